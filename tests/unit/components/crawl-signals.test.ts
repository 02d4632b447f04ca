// @vitest-environment happy-dom
// The crawl page's store: what the crawl port sends, shown a frame at a time, a bounded number of changed links each.
import { describe, expect, it, vi } from 'vitest';
import { createCrawlSignals } from '../../../components/crawl-signals';
import { type CrawlServerMessage, inParts } from '../../../utils/crawl/protocol';
import type { CrawlLink, CrawlMeta, CrawlPage } from '../../../utils/crawl/types';
import { summarize } from '../../../utils/report/report';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { type Before, type RunStateName, VERDICTS, type Verdict } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';
import { random } from '../../support/random';

function meta(state: RunStateName, crawlId = 'c1'): CrawlMeta {
  return {
    crawlId,
    tabId: 3,
    startUrl: 'https://site.test/',
    origin: 'https://site.test',
    options: { maxDepth: 3, maxPages: 500, samePathOnly: false, useSitemap: true, respectRobots: true, asMe: false },
    settings: DEFAULT_SETTINGS,
    state,
    paused: false,
    startedAt: 0,
    finishedAt: state === 'running' ? null : 1,
    queued: 0,
    notes: [],
  };
}

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

/** A store whose frames run when the test says so. */
function store(perFrame: number) {
  const frames: (() => void)[] = [];
  const signals = createCrawlSignals((publish) => frames.push(publish), perFrame);
  const frame = () => {
    const due = frames.splice(0);
    for (const publish of due) publish();
    return due.length;
  };
  const paths = () => signals.links.value.map((l) => l.url.replace('https://site.test/', ''));
  return { signals, frame, paths };
}

describe('the crawl page store', () => {
  it('shows at most its share of changed links per frame, in the order they arrived, until all are shown', () => {
    const { signals, frame, paths } = store(2);
    signals.apply({ type: 'crawl-snapshot', meta: meta('running'), pages: [], links: [link('a'), link('b')] });
    signals.apply({ type: 'crawl-update', meta: meta('running'), pages: [], links: [link('c'), link('d'), link('e')] });
    expect(paths()).toEqual([]);
    expect(frame()).toBe(1);
    expect(paths()).toEqual(['a', 'b']);
    expect(frame()).toBe(1);
    expect(paths()).toEqual(['a', 'b', 'c', 'd']);
    expect(frame()).toBe(1);
    expect(paths()).toEqual(['a', 'b', 'c', 'd', 'e']);
    // Nothing left: no more frames asked for.
    expect(frame()).toBe(0);
  });

  it('leaves the pages and the metadata as they were on a frame that only draws rows', () => {
    const { signals, frame } = store(1);
    const page: CrawlPage = {
      url: 'https://site.test/',
      depth: 0,
      status: 200,
      finalUrl: null,
      title: 'Home',
      links: 3,
      note: '',
    };
    signals.apply({ type: 'crawl-snapshot', meta: meta('running'), pages: [page], links: [link('a')] });
    frame();
    const pages = signals.pages.value;
    const links = [link('b'), link('c'), link('d')];
    signals.apply({ type: 'crawl-update', meta: meta('running'), pages: [], links });
    frame();
    // The update's metadata (a new object) is shown once, then kept while its rows are drawn, a frame each.
    const held = signals.meta.value;
    frame();
    expect(signals.links.value).toHaveLength(3);
    expect(signals.meta.value).toBe(held);
    // No page came with the update: the same list, so nothing that shows pages draws again.
    expect(signals.pages.value).toBe(pages);
    signals.apply({
      type: 'crawl-update',
      meta: meta('running'),
      pages: [{ ...page, url: 'https://site.test/p' }],
      links: [],
    });
    frame();
    expect(signals.links.value).toHaveLength(4);
    expect(signals.pages.value.map((p) => p.url)).toEqual(['https://site.test/', 'https://site.test/p']);
  });

  it('gives a changed link its new object in the place it had, the others the same objects', () => {
    const { signals, frame, paths } = store(10);
    signals.apply({ type: 'crawl-snapshot', meta: meta('running'), pages: [], links: [link('a'), link('b')] });
    frame();
    const before = signals.links.value;
    const b = link('b', 'broken');
    signals.apply({ type: 'crawl-update', meta: meta('running'), pages: [], links: [b, link('c')] });
    frame();
    expect(paths()).toEqual(['a', 'b', 'c']);
    expect(signals.links.value[0]).toBe(before[0]);
    expect(signals.links.value[1]).toBe(b);
    expect(signals.summary.value.broken).toBe(1);
  });

  it('reads as done only once every link it was sent is shown', () => {
    const { signals, frame } = store(1);
    signals.apply({ type: 'crawl-snapshot', meta: meta('running'), pages: [], links: [] });
    frame();
    signals.apply({ type: 'crawl-update', meta: meta('done'), pages: [], links: [link('a', 'ok'), link('b', 'ok')] });
    frame();
    expect(signals.meta.value?.state).toBe('running');
    expect(signals.summary.value).toMatchObject({ state: 'running', total: 1 });
    frame();
    expect(signals.meta.value?.state).toBe('done');
    expect(signals.summary.value).toMatchObject({ state: 'done', total: 2, checked: 2, ok: 2 });
  });

  it('a finished check opened later fills in over a few frames and then reads as done', () => {
    const { signals, frame, paths } = store(2);
    const links = ['a', 'b', 'c'].map((p) => link(p, 'ok'));
    signals.apply({ type: 'crawl-snapshot', meta: meta('done'), pages: [], links });
    frame();
    expect(signals.meta.value?.state).toBe('running');
    frame();
    expect(paths()).toEqual(['a', 'b', 'c']);
    expect(signals.meta.value?.state).toBe('done');
  });

  it('keeps the rows of the same crawl sent again (a reconnected port), and starts another crawl from none', () => {
    const { signals, frame, paths } = store(10);
    signals.apply({ type: 'crawl-snapshot', meta: meta('running'), pages: [], links: [link('a'), link('b')] });
    frame();
    signals.apply({
      type: 'crawl-snapshot',
      meta: meta('running'),
      pages: [],
      links: [link('a'), link('b'), link('c')],
    });
    frame();
    expect(paths()).toEqual(['a', 'b', 'c']);
    // An update of another crawl is not this one's.
    signals.apply({ type: 'crawl-update', meta: meta('running', 'c2'), pages: [], links: [link('x')] });
    frame();
    expect(paths()).toEqual(['a', 'b', 'c']);
    signals.apply({ type: 'crawl-snapshot', meta: meta('running', 'c2'), pages: [], links: [link('y')] });
    frame();
    expect(paths()).toEqual(['y']);
  });

  it('takes a crawl too big for one message whole, in parts, and a part of another crawl not as its own', () => {
    const { signals, frame, paths } = store(1_000);
    const names = Array.from({ length: 300 }, (_, i) => `page-${i}`);
    const links = names.map((n, i) => link(n, i % 2 ? 'ok' : 'broken'));
    // Pages whose titles alone take more than a part.
    const pages: CrawlPage[] = Array.from({ length: 40 }, (_, i) => ({
      url: `https://site.test/p${i}`,
      depth: 1,
      status: 200,
      finalUrl: null,
      title: `title ${i} ${'t'.repeat(500)}`,
      links: 1,
      note: '',
    }));
    const budget = 3_000;
    const parts = inParts({ type: 'crawl-snapshot', meta: meta('done'), pages, links }, budget);
    // Sent as several messages, none more than a small share of the whole, the snapshot itself last.
    expect(parts.length).toBeGreaterThan(10);
    expect(parts.map((p) => p.type)).toEqual([...parts.slice(1).map(() => 'crawl-rows'), 'crawl-snapshot']);
    const whole = JSON.stringify({ pages, links }).length;
    const sizes = (parts as { pages: CrawlPage[]; links: CrawlLink[] }[]).map(
      (part) => JSON.stringify({ pages: part.pages, links: part.links }).length,
    );
    expect(Math.max(...sizes)).toBeLessThan(whole / 5);
    // A part left from another crawl (replaced while its snapshot was on the way) is dropped.
    signals.apply({
      type: 'crawl-rows',
      crawlId: 'c0',
      pages: [{ ...pages[0], url: 'stale' } as CrawlPage],
      links: [link('stale')],
    });
    for (const part of parts) signals.apply(part);
    frame();
    expect(paths()).toEqual(names);
    expect(signals.pages.value.map((p) => p.url)).toEqual(pages.map((p) => p.url));
    expect(signals.summary.value).toMatchObject({ state: 'done', total: 300, broken: 150, ok: 150 });
    // An update in parts adds its rows after the rows there.
    const more = [link('x', 'ok'), link('y', 'ok'), link('z', 'ok')];
    const morePages = [{ ...(pages[0] as CrawlPage), url: 'https://site.test/q' }];
    const update = inParts({ type: 'crawl-update', meta: meta('done'), pages: morePages, links: more }, 1);
    expect(update).toHaveLength(4);
    for (const part of update) signals.apply(part);
    frame();
    expect(paths()).toEqual([...names, 'x', 'y', 'z']);
    expect(signals.pages.value.at(-1)?.url).toBe('https://site.test/q');
    // A message that fits goes as it is.
    const small: CrawlServerMessage = { type: 'crawl-update', meta: meta('done'), pages: [], links: more };
    expect(inParts(small)).toEqual([small]);
  });

  it('draws what arrived in a task of its own right after the next frame, not in the frame', () => {
    // The drawing's script and the browser's layout and paint of it are two tasks, not one long one.
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'setTimeout'] });
    try {
      const signals = createCrawlSignals();
      signals.apply({ type: 'crawl-snapshot', meta: meta('running'), pages: [], links: [link('a')] });
      expect(signals.links.value).toHaveLength(0);
      vi.advanceTimersToNextFrame();
      // The frame has run: the drawing waits for the task that follows it.
      expect(signals.links.value).toHaveLength(0);
      vi.runOnlyPendingTimers();
      expect(signals.links.value.map((l) => l.url)).toEqual(['https://site.test/a']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps its counts link by link equal to counting every link shown, through changes, new links and a new crawl', () => {
    const next = random(7);
    const { signals, frame } = store(5);
    const befores: (Before | undefined)[] = [undefined, 'absent', 'ok', 'broken'];
    const someLink = (): CrawlLink => {
      const verdict = next(3) === 0 ? undefined : VERDICTS[next(VERDICTS.length)];
      return { ...link(`l${next(40)}`, verdict), before: befores[next(befores.length)] };
    };
    let crawlId = 'c1';
    let counted = 0;
    for (let step = 0; step < 400; step++) {
      const roll = next(50);
      if (roll === 0) {
        // Another crawl replaces this one: its snapshot starts from no rows.
        crawlId = `c${step}`;
        const links = Array.from({ length: next(8) }, someLink);
        signals.apply({ type: 'crawl-snapshot', meta: meta('running', crawlId), pages: [], links });
      } else if (roll < 30) {
        const links = Array.from({ length: 1 + next(6) }, someLink);
        signals.apply({ type: 'crawl-update', meta: meta('running', crawlId), pages: [], links });
      } else frame();
      const { state, ...counts } = signals.summary.value;
      const { state: _, ...expected } = summarize(signals.links.value, 'running');
      expect(counts).toEqual(expected);
      if (counts.checked > 0 && counts.newProblems > 0) counted += 1;
    }
    // The stream did reach checked links and new problems (the comparison above was not only of zeros).
    expect(counted).toBeGreaterThan(50);
  });
});
