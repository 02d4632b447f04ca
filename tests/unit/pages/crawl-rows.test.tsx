// @vitest-environment happy-dom
// The site check page's link table as rows stream in: problems first, the rest where found, only changed rows redrawn.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { badgeOf } from '../../../components/VerdictBadge';
import { LinkRows } from '../../../entrypoints/crawl/LinkRows';
import type { CrawlLink } from '../../../utils/crawl/types';
import type { Verdict } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';

// Every row drawn asks once how its verdict badge looks: counting those calls counts the rows drawn.
vi.mock('../../../components/VerdictBadge', async (original) => {
  const badge = await original<typeof import('../../../components/VerdictBadge')>();
  return { ...badge, badgeOf: vi.fn(badge.badgeOf) };
});
const rowsDrawn = () => vi.mocked(badgeOf).mock.calls.length;

function link(path: string, verdict?: Verdict): CrawlLink {
  const url = `https://site.test/${path}`;
  return {
    url,
    occurrences: 1,
    texts: [],
    phase: verdict ? 'done' : 'queued',
    result: verdict ? resultOf(url, verdict) : undefined,
    sources: [{ page: 'https://site.test/', text: path }],
    sourceCount: 1,
  };
}

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

const showNoSource = async () => ({ state: 'unreachable' }) as const;

function show(links: CrawlLink[], only: Verdict | null = null) {
  root ??= document.body.appendChild(document.createElement('div'));
  const host = root;
  act(() => {
    render(
      <LinkRows links={links} only={only} redirectsAreProblems={false} showSource={showNoSource} label="Links">
        <thead />
      </LinkRows>,
      host,
    );
  });
  return [...host.querySelectorAll<HTMLTableRowElement>('[data-testid="link-row"]')];
}

const paths = (rows: HTMLTableRowElement[]) => rows.map((r) => r.dataset.url?.replace('https://site.test/', ''));

describe("the site check page's link rows", () => {
  it('shows problems first (broken, error, blocked; by URL within each), then the other links in the order found', () => {
    const rows = show([
      link('d', 'ok'),
      link('c'),
      link('f', 'blocked'),
      link('b', 'broken'),
      link('a', 'ok'),
      link('e', 'error'),
      link('aa', 'broken'),
    ]);
    expect(paths(rows)).toEqual(['aa', 'b', 'e', 'f', 'd', 'c', 'a']);
    expect(rows.map((r) => r.dataset.verdict)).toEqual(['broken', 'broken', 'error', 'blocked', 'ok', '', 'ok']);
    expect(rows[0]?.dataset.sources).toBe('1');
    // The report's data-* (the contract), redirect count included, beside data-sources.
    expect(rows[0]?.dataset.redirects).toBe('0');
    expect(rows[5]?.dataset.redirects).toBe('0');
    // A problem lists its source page to open; an ok link does not.
    expect(rows[0]?.querySelector('[data-testid="open-source"]')?.getAttribute('data-url')).toBe('https://site.test/');
    expect(rows[4]?.querySelector('[data-testid="open-source"]')).toBeNull();
  });

  it('draws again only the rows whose link changed, and moves only the rows that become or stop being problems', () => {
    const first = [link('a', 'ok'), link('b'), link('c', 'ok'), link('d')];
    const before = show(first);
    expect(paths(before)).toEqual(['a', 'b', 'c', 'd']);
    const [rowA, rowB, rowC] = before as [HTMLTableRowElement, HTMLTableRowElement, HTMLTableRowElement];
    const cellA = rowA.querySelector('td.url');
    // The next update: d is found broken, b ok, and a new link joins; a and c are the same objects.
    const next = [first[0] as CrawlLink, link('b', 'ok'), first[2] as CrawlLink, link('d', 'broken'), link('aa')];
    const after = show(next);
    expect(paths(after)).toEqual(['d', 'a', 'b', 'c', 'aa']);
    // Not drawn again: the same row elements with the same cells; b got its verdict in the row it had.
    expect(after[1]).toBe(rowA);
    expect(rowA.querySelector('td.url')).toBe(cellA);
    expect(after[2]).toBe(rowB);
    expect(rowB.dataset.verdict).toBe('ok');
    expect(after[3]).toBe(rowC);
    // A problem a tab settles as ok goes back where the crawl found it.
    const settled = [next[0], next[1], next[2], link('d', 'ok'), next[4]] as CrawlLink[];
    expect(paths(show(settled))).toEqual(['a', 'b', 'c', 'd', 'aa']);
  });

  it('orders the problems again when one changes verdict', () => {
    const first = [link('a', 'error'), link('b', 'broken'), link('c', 'ok')];
    expect(paths(show(first))).toEqual(['b', 'a', 'c']);
    // A problem that becomes another problem (a recheck): broken leads error, so a now goes first.
    expect(paths(show([link('a', 'broken'), first[1], first[2]] as CrawlLink[]))).toEqual(['a', 'b', 'c']);
  });

  it('leaves no problem behind when the list shrinks under it (another check with fewer links)', () => {
    const longer = [link('x', 'ok'), link('y', 'blocked')];
    expect(paths(show(longer))).toEqual(['y', 'x']);
    expect(paths(show([longer[0] as CrawlLink]))).toEqual(['x']);
    // Nothing left of the problems' chunk: only the chunk of the link that stays.
    expect([...(root as HTMLElement).querySelectorAll('tbody')].map((b) => b.children.length)).toEqual([1]);
  });

  it('keeps every row in the DOM in chunks of fifty, a new link joining the last one', () => {
    const many = Array.from({ length: 140 }, (_, i) => link(`p${String(i).padStart(3, '0')}`, 'ok'));
    many[60] = link('p060', 'broken');
    const rows = show(many);
    expect(rows).toHaveLength(140);
    const chunks = [...(root as HTMLElement).querySelectorAll('tbody')].map((b) => b.children.length);
    // The problem's chunk first, then the found links, each chunk of found indexes keeping its own.
    expect(chunks).toEqual([1, 50, 49, 40]);
    expect((root as HTMLElement).querySelector('table')?.firstElementChild?.tagName).toBe('THEAD');
    const grown = show([...many, link('p140', 'ok')]);
    expect(grown).toHaveLength(141);
    expect(paths(grown).at(-1)).toBe('p140');
    expect([...(root as HTMLElement).querySelectorAll('tbody')].map((b) => b.children.length)).toEqual([1, 50, 49, 41]);
  });

  it('draws one row for a frame that changed one link of thousands', () => {
    const many = Array.from({ length: 2_000 }, (_, i) => link(`p${i}`));
    show(many);
    vi.mocked(badgeOf).mockClear();
    const next = [...many];
    next[1_500] = link('p1500', 'broken');
    show(next);
    expect(rowsDrawn()).toBe(1);
    show(next);
    expect(rowsDrawn()).toBe(1);
  });

  it('says what changed since the previous site check, next to the verdict', () => {
    const [broken, fixed, same] = show([
      { ...link('a', 'broken'), before: 'ok' },
      { ...link('b', 'ok'), before: 'broken' },
      { ...link('c', 'ok'), before: 'ok' },
    ]);
    expect(broken?.dataset.change).toBe('newly-broken');
    expect(broken?.querySelector('.change-newly-broken')?.textContent).not.toBe('');
    expect(fixed?.dataset.change).toBe('fixed');
    expect(fixed?.querySelector('.change-fixed')?.textContent).not.toBe('');
    expect(same?.dataset.change).toBe('');
    expect(same?.querySelector('.change')).toBeNull();
  });

  it('hides the rows of other verdicts when a chip is on, keeping every row in the DOM', () => {
    const rows = show([link('a', 'ok'), link('b', 'broken'), link('c', 'ok')], 'broken');
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => !r.hidden).map((r) => r.dataset.url)).toEqual(['https://site.test/b']);
    const all = show([link('a', 'ok'), link('b', 'broken'), link('c', 'ok')], null);
    expect(all.filter((r) => r.hidden)).toEqual([]);
  });
});
