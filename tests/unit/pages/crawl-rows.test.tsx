// @vitest-environment happy-dom
// The site check page's link table as rows stream in: problems first, only the rows whose link changed painted again.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkRows } from '../../../entrypoints/crawl/LinkRows';
import type { CrawlLink } from '../../../utils/crawl/types';
import type { Verdict } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';

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

function show(links: CrawlLink[], only: Verdict | null = null, running = false) {
  root ??= document.body.appendChild(document.createElement('table'));
  const host = root;
  act(() => {
    render(
      <LinkRows
        links={links}
        only={only}
        running={running}
        redirectsAreProblems={false}
        showSource={async () => ({ state: 'unreachable' })}
      />,
      host,
    );
  });
  return [...host.querySelectorAll<HTMLTableRowElement>('[data-testid="link-row"]')];
}

const paths = (rows: HTMLTableRowElement[]) => rows.map((r) => r.dataset.url?.replace('https://site.test/', ''));

describe("the site check page's link rows", () => {
  it('shows problems first, unchecked links last, by URL within each', () => {
    const rows = show([link('d', 'ok'), link('c'), link('b', 'broken'), link('a', 'ok'), link('e', 'error')]);
    expect(paths(rows)).toEqual(['b', 'e', 'a', 'd', 'c']);
    expect(rows.map((r) => r.dataset.verdict)).toEqual(['broken', 'error', 'ok', 'ok', '']);
    expect(rows[0]?.dataset.sources).toBe('1');
    // A problem lists its source page to open; an ok link does not.
    expect(rows[0]?.querySelector('[data-testid="open-source"]')?.getAttribute('data-url')).toBe('https://site.test/');
    expect(rows[2]?.querySelector('[data-testid="open-source"]')).toBeNull();
  });

  it('moves a row whose verdict arrives to its place and leaves the other rows as they are', () => {
    const first = [link('a', 'ok'), link('b'), link('c', 'ok'), link('d')];
    const before = show(first);
    expect(paths(before)).toEqual(['a', 'c', 'b', 'd']);
    // The next update: d is found broken, b ok, and a new link joins; a and c are the same objects.
    const next = [first[0] as CrawlLink, link('b', 'ok'), first[2] as CrawlLink, link('d', 'broken'), link('aa')];
    const rowA = before[0] as HTMLTableRowElement;
    const cellA = rowA.querySelector('td.url');
    const after = show(next);
    expect(paths(after)).toEqual(['d', 'a', 'b', 'c', 'aa']);
    // Not painted again: the same row element with the same cells.
    expect(after[1]).toBe(rowA);
    expect(rowA.querySelector('td.url')).toBe(cellA);
    expect(after).toHaveLength(5);
  });

  it('while the crawl runs, moves problems to the top and leaves every other link where it was found', () => {
    const first = [link('d', 'ok'), link('c'), link('b'), link('a', 'ok')];
    expect(paths(show(first, null, true))).toEqual(['d', 'c', 'b', 'a']);
    const next = [
      first[0] as CrawlLink,
      link('c', 'ok'),
      link('b', 'broken'),
      first[3] as CrawlLink,
      link('aa', 'error'),
    ];
    expect(paths(show(next, null, true))).toEqual(['b', 'aa', 'd', 'c', 'a']);
    // Done: everything in order.
    expect(paths(show(next, null, false))).toEqual(['b', 'aa', 'a', 'c', 'd']);
  });

  it('hides the rows of other verdicts when a chip is on, keeping every row in the DOM', () => {
    const rows = show([link('a', 'ok'), link('b', 'broken'), link('c', 'ok')], 'broken');
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => !r.hidden).map((r) => r.dataset.url)).toEqual(['https://site.test/b']);
    const all = show([link('a', 'ok'), link('b', 'broken'), link('c', 'ok')], null);
    expect(all.filter((r) => r.hidden)).toEqual([]);
  });
});
