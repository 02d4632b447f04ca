// @vitest-environment happy-dom
// When the crawl page draws: once per frame, in a task after the frame's own (so that the drawing's script and the
// browser's layout and paint of it are two tasks, not one long one).
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createCrawlSignals } from '../../../components/crawl-signals';
import type { CrawlMeta } from '../../../utils/crawl/types';
import { DEFAULT_SETTINGS } from '../../../utils/settings';

const META: CrawlMeta = {
  crawlId: 'c1',
  tabId: 3,
  startUrl: 'https://site.test/',
  origin: 'https://site.test',
  options: { maxDepth: 3, maxPages: 500, samePathOnly: false, useSitemap: true, respectRobots: true, asMe: false },
  settings: DEFAULT_SETTINGS,
  state: 'running',
  paused: false,
  startedAt: 0,
  finishedAt: null,
  queued: 0,
  notes: [],
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'setTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

it('draws what arrived in a task of its own right after the next frame, not in the frame', () => {
  const signals = createCrawlSignals();
  const link = {
    url: 'https://site.test/a',
    occurrences: 1,
    texts: [],
    phase: 'queued' as const,
    sources: [],
    sourceCount: 1,
  };
  signals.apply({ type: 'crawl-snapshot', meta: META, pages: [], links: [link] });
  expect(signals.links.value).toHaveLength(0);
  vi.advanceTimersToNextFrame();
  // The frame has run: the drawing waits for the task that follows it.
  expect(signals.links.value).toHaveLength(0);
  vi.runOnlyPendingTimers();
  expect(signals.links.value).toEqual([link]);
});
