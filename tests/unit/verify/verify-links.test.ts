import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleepUnlessAborted } from '../../../utils/check/limiter';
import type { DocumentProbe } from '../../../utils/verify/probe';
import type { MainFrame, TabOutcome } from '../../../utils/verify/tab-verdict';
import { type TabOpener, type VerifyTab, verifyLinks } from '../../../utils/verify/verify-links';

/** A page as a tab would see it over time: each step holds from `at` ms after the tab opened. */
interface Step {
  at: number;
  frame: Partial<MainFrame>;
  doc?: Partial<DocumentProbe>;
}

const clock = { now: () => Date.now(), sleep: sleepUnlessAborted };

function fakeTabs(pages: Record<string, Step[]>) {
  const open = new Set<number>();
  let maxOpen = 0;
  let nextId = 1;
  const closed: number[] = [];
  const opener: TabOpener = {
    async open(url) {
      const steps = pages[url];
      if (!steps) return { code: 'tab-not-loaded', error: 'no such page' };
      const id = nextId++;
      const openedAt = Date.now();
      open.add(id);
      maxOpen = Math.max(maxOpen, open.size);
      const current = () => [...steps].reverse().find((s) => Date.now() - openedAt >= s.at) ?? null;
      const tab: VerifyTab = {
        frame() {
          const step = current();
          const base: MainFrame = {
            status: null,
            url: null,
            hops: [],
            challengeHeader: null,
            error: null,
            loading: true,
            changedAt: openedAt,
            refused: null,
            closed: false,
          };
          return step ? { ...base, loading: false, changedAt: openedAt + step.at, ...step.frame } : base;
        },
        async probe(fragment) {
          // A closed tab cannot be scripted, as the browser's own error page cannot.
          if (current()?.frame.closed) return null;
          const doc = current()?.doc ?? {};
          return {
            readyState: 'complete',
            title: 'Page',
            marker: null,
            fragment: fragment === null ? null : 'missing',
            ...doc,
          };
        },
        async close() {
          open.delete(id);
          closed.push(id);
        },
      };
      return tab;
    },
  };
  return { opener, openNow: () => open.size, maxOpen: () => maxOpen, closed, opened: () => nextId - 1 };
}

async function run(
  pages: Record<string, Step[]>,
  options: { tabsAtOnce?: number; msPerTab?: number; controller?: AbortController } = {},
) {
  const tabs = fakeTabs(pages);
  const outcomes = new Map<string, TabOutcome>();
  const controller = options.controller ?? new AbortController();
  const done = verifyLinks({
    urls: Object.keys(pages),
    tabs: tabs.opener,
    clock,
    tabsAtOnce: options.tabsAtOnce ?? 2,
    msPerTab: options.msPerTab ?? 20_000,
    signal: controller.signal,
    onStart: () => {},
    onOutcome: (url, outcome) => outcomes.set(url, outcome),
  });
  return { tabs, outcomes, done, controller };
}

const ok: Step[] = [{ at: 100, frame: { status: 200, url: 'https://a.test/ok' } }];

describe('verifyLinks: each link in a background tab', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes a JavaScript challenge that solves itself and reloads into the page', async () => {
    const url = 'https://wall.test/js';
    const { outcomes, done, tabs } = await run({
      [url]: [
        {
          at: 100,
          frame: { status: 403, url, challengeHeader: 'cf-mitigated: challenge' },
          doc: { title: 'Just a moment...' },
        },
        { at: 2_000, frame: { status: 200, url }, doc: { title: 'The real page' } },
      ],
    });
    await vi.advanceTimersByTimeAsync(30_000);
    await done;
    const outcome = outcomes.get(url);
    expect(outcome).toMatchObject({
      kind: 'settled',
      judgement: { verdict: 'ok' },
      sight: { status: 200, title: 'The real page' },
    });
    expect(tabs.openNow()).toBe(0);
  });

  it('keeps a wall that never lets through blocked, after the whole time it was given', async () => {
    const url = 'https://wall.test/forever';
    const { outcomes, done } = await run(
      { [url]: [{ at: 100, frame: { status: 403, url, challengeHeader: 'cf-mitigated: challenge' } }] },
      { msPerTab: 8_000 },
    );
    await vi.advanceTimersByTimeAsync(7_000);
    expect(outcomes.has(url)).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await done;
    expect(outcomes.get(url)).toMatchObject({
      kind: 'settled',
      judgement: { verdict: 'blocked', reason: 'challenge', challenge: 'cf-mitigated: challenge' },
    });
  });

  it('ends a wall in front of a missing page broken with the page’s status', async () => {
    const url = 'https://wall.test/gone';
    const { outcomes, done } = await run({
      [url]: [
        { at: 100, frame: { status: 403, url, challengeHeader: 'cf-mitigated: challenge' } },
        { at: 1_500, frame: { status: 404, url } },
      ],
    });
    await vi.advanceTimersByTimeAsync(30_000);
    await done;
    expect(outcomes.get(url)).toMatchObject({
      judgement: { verdict: 'broken', reason: 'status' },
      sight: { status: 404 },
    });
  });

  it('waits for a script to build the anchor, and gives up after the grace time', async () => {
    const late = 'https://docs.test/page#built';
    const never = 'https://docs.test/other#nowhere';
    const { outcomes, done } = await run({
      [late]: [
        { at: 100, frame: { status: 200, url: 'https://docs.test/page' } },
        { at: 1_200, frame: { status: 200, url: 'https://docs.test/page', changedAt: 0 }, doc: { fragment: 'found' } },
      ],
      [never]: [{ at: 100, frame: { status: 200, url: 'https://docs.test/other' } }],
    });
    await vi.advanceTimersByTimeAsync(30_000);
    await done;
    expect(outcomes.get(late)).toMatchObject({ judgement: { verdict: 'ok' } });
    const missing = outcomes.get(never);
    expect(missing).toMatchObject({ judgement: { verdict: 'broken', reason: 'fragment-missing' } });
    expect(missing?.sight.ms).toBeGreaterThanOrEqual(3_000);
    expect(missing?.sight.ms).toBeLessThan(20_000);
  });

  it('never has more tabs open than allowed, and closes every one', async () => {
    const pages = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`https://h${i}.test/`, ok]));
    const { tabs, done, outcomes } = await run(pages, { tabsAtOnce: 2 });
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
    expect(outcomes.size).toBe(7);
    expect(tabs.maxOpen()).toBe(2);
    expect(tabs.opened()).toBe(7);
    expect(tabs.closed).toHaveLength(7);
  });

  it('closes its tabs when cancelled and reports nothing for them', async () => {
    const url = 'https://wall.test/forever';
    const { tabs, done, outcomes, controller } = await run({
      [url]: [{ at: 100, frame: { status: 403, url, challengeHeader: 'cf-mitigated: challenge' } }],
      'https://wall.test/also-forever': [{ at: 100, frame: { status: 999 } }],
    });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(tabs.openNow()).toBe(2);
    controller.abort();
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(tabs.openNow()).toBe(0);
    expect(outcomes.has(url)).toBe(false);
  });

  it('leaves the verdict to the check when the tab saw no document in time, and says why', async () => {
    const url = 'https://slow.test/';
    const { outcomes, done } = await run({ [url]: [] }, { msPerTab: 5_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    expect(outcomes.get(url)).toMatchObject({
      kind: 'unsettled',
      sight: { note: { code: 'tab-timeout', seconds: 5 } },
    });
  });

  it('judges a page whose load never ends (an image that never comes) by its parsed document once its time is up', async () => {
    const url = 'https://wall.test/page-with-a-hanging-image';
    const { outcomes, done } = await run(
      { [url]: [{ at: 100, frame: { status: 200, url }, doc: { readyState: 'interactive', title: 'The real page' } }] },
      { msPerTab: 8_000 },
    );
    await vi.advanceTimersByTimeAsync(7_000);
    expect(outcomes.has(url)).toBe(false);
    await vi.advanceTimersByTimeAsync(2_000);
    await done;
    expect(outcomes.get(url)).toMatchObject({
      kind: 'settled',
      judgement: { verdict: 'ok' },
      sight: { status: 200, title: 'The real page' },
    });
  });

  it('keeps the check’s verdict when the person closes the tab, at once, never judging the closed tab', async () => {
    const url = 'https://wall.test/interstitial';
    const { outcomes, done } = await run({
      [url]: [
        { at: 100, frame: { status: 200, url }, doc: { marker: '#sec-if-cpt-container' } },
        { at: 2_000, frame: { status: 200, url, closed: true } },
      ],
    });
    await vi.advanceTimersByTimeAsync(30_000);
    await done;
    expect(outcomes.get(url)).toMatchObject({ kind: 'unsettled', sight: { note: { code: 'tab-closed' } } });
    expect(outcomes.get(url)?.sight.ms).toBeLessThan(3_000);
  });

  it('stops at a redirect the private-network guard refuses', async () => {
    const url = 'https://a.test/to-router';
    const { outcomes, done } = await run({
      [url]: [{ at: 100, frame: { status: null, refused: 'http://192.168.1.1/' } }],
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await done;
    expect(outcomes.get(url)).toMatchObject({ kind: 'unsettled' });
    expect(outcomes.get(url)?.sight.note).toEqual({ code: 'tab-refused', target: 'http://192.168.1.1/' });
  });
});
