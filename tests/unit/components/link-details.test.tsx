// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkDetails } from '../../../components/LinkDetails';
import type { LinkEntry, LinkResult, Verdict } from '../../../utils/types';

function entry(url: string, verdict: Verdict, status: number | null): LinkEntry {
  return {
    url,
    occurrences: 1,
    texts: ['a link'],
    phase: 'done',
    result: {
      url,
      verdict,
      reason: verdict === 'ok' ? '' : 'status',
      status,
      finalUrl: status === null ? null : url,
      ms: 12,
      attempts: 1,
      redirects: [],
      checkedAt: 0,
    },
  };
}

let root: HTMLElement | null = null;
function mount(e: LinkEntry): HTMLElement {
  root = document.createElement('div');
  document.body.append(root);
  render(<LinkDetails entry={e} />, root);
  return root;
}
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

describe('LinkDetails: the Internet Archive link', () => {
  it('offers the archived copy of a broken link, to open in a new tab without a referrer', () => {
    const link = mount(entry('https://gone.example/old/page?x=1#top', 'broken', 404)).querySelector(
      '[data-testid="archive-link"]',
    ) as HTMLAnchorElement | null;
    expect(link?.getAttribute('href')).toBe('https://web.archive.org/web/https://gone.example/old/page?x=1#top');
    expect(link?.target).toBe('_blank');
    expect(link?.rel.split(' ').sort()).toEqual(['noopener', 'noreferrer']);
  });

  it('offers nothing for links that are not broken, nor for other schemes', () => {
    expect(mount(entry('https://fine.example/', 'ok', 200)).querySelector('[data-testid="archive-link"]')).toBeNull();
    render(null, root as HTMLElement);
    expect(
      mount(entry('https://wall.example/', 'blocked', 403)).querySelector('[data-testid="archive-link"]'),
    ).toBeNull();
    render(null, root as HTMLElement);
    const weird = entry('javascript:alert(1)', 'broken', null);
    expect(mount(weird).querySelector('[data-testid="archive-link"]')).toBeNull();
  });
});

describe('LinkDetails: the note', () => {
  const noteOf = (result: Partial<LinkResult>) => {
    const e = entry('https://blog.example/gone/', 'broken', 200);
    return mount({ ...e, result: { ...(e.result as LinkResult), ...result } }).querySelector(
      '[data-testid="link-note"]',
    )?.textContent;
  };

  it('words a note stored as a value', () => {
    expect(noteOf({ notes: [{ code: 'soft404-front-page', finalUrl: 'https://blog.example/' }] })).toBe(
      'Soft 404: redirected to the front page (https://blog.example/), as a path that does not exist is.',
    );
  });

  it('shows the text a result of an older version holds as it is', () => {
    expect(noteOf({ note: 'Soft 404: stored before notes were values.' })).toBe(
      'Soft 404: stored before notes were values.',
    );
  });

  it('shows no note where there is none', () => {
    expect(noteOf({})).toBeUndefined();
  });
});

describe('LinkDetails: why a link got its verdict', () => {
  const detailsOf = (result: Partial<LinkResult>) => {
    const e = entry('https://blog.example/gone/', 'skipped', null);
    const root = mount({ ...e, result: { ...(e.result as LinkResult), ...result } });
    return root.textContent ?? '';
  };

  it('words Linkpulse’s reason, and shows the text an older version stored as it is', () => {
    expect(detailsOf({ reason: 'ignored', detail: { code: 'ignored', note: 'known wall' } })).toContain(
      'DetailsIgnored: known wall',
    );
    render(null, root as HTMLElement);
    expect(detailsOf({ reason: 'ignored', errorText: 'Ignored on this site.' })).toContain(
      'DetailsIgnored on this site.',
    );
  });
});
