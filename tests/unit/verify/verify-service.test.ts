// The second opinion plugged into the run lifecycle: when it starts, what stops it, how a restarted worker goes on.
import { describe, expect, it } from 'vitest';
import { RunLifecycle } from '../../../utils/run/lifecycle';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { Verdict } from '../../../utils/types';
import type { MainFrame } from '../../../utils/verify/tab-verdict';
import type { TabOpener, VerifyTab } from '../../../utils/verify/verify-links';
import { VerifyService } from '../../../utils/verify/verify-service';
import { settle } from '../../support/fake-clock';
import { fakeClient, fakeRunPlatform, links } from '../../support/fake-run-platform';
import type { recordingArea } from '../../support/storage-area';

/** Tabs that load at once (200, or 403 with `challenge`), or never (`hang`), recording what was opened and closed. */
function fakeTabs(hang: boolean, challenge = false) {
  const opened: string[] = [];
  const open = new Set<string>();
  const most = { atOnce: 0 };
  const tabs: TabOpener = {
    async open(url) {
      opened.push(url);
      open.add(url);
      most.atOnce = Math.max(most.atOnce, open.size);
      const frame: MainFrame = {
        status: hang ? null : challenge ? 403 : 200,
        url: hang ? null : url,
        hops: [],
        challengeHeader: null,
        error: null,
        loading: hang,
        changedAt: Number.NEGATIVE_INFINITY,
        refused: null,
        closed: false,
      };
      const tab: VerifyTab = {
        frame: () => frame,
        probe: async () => ({ readyState: 'complete', title: 'Real', marker: null, fragment: null }),
        close: async () => {
          open.delete(url);
        },
      };
      return tab;
    },
  };
  return { tabs, opened, open, most };
}

/** Sleeps end only when aborted: a hanging tab waits until the test stops it. */
const clock = {
  now: () => 0,
  sleep: (_ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
};

/** Time that passes as it is slept: a tab still refused is judged once its time is up. */
function steppingClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

/** The second opinion over one worker's runs, in fake tabs; `onLeftovers` hears each sweep for tabs left open. */
function serviceOver(
  runs: RunLifecycle,
  worker: ReturnType<typeof fakeRunPlatform>,
  browser: ReturnType<typeof fakeTabs>,
  options: { clock?: typeof clock; onLeftovers?: () => void } = {},
) {
  return new VerifyService(runs, {
    tabs: browser.tabs,
    closeLeftovers: async () => options.onLeftovers?.(),
    clock: options.clock ?? clock,
    area: worker.storage.area,
    log: console,
  });
}

async function checkedRun(
  verdicts: Verdict[],
  options: { hang?: boolean; challenge?: boolean; autoVerify?: boolean; area?: ReturnType<typeof recordingArea> } = {},
) {
  const worker = fakeRunPlatform({
    settings: { ...DEFAULT_SETTINGS, autoVerify: options.autoVerify ?? false },
    area: options.area,
  });
  worker.openPage(1, links(verdicts.length));
  const runs = new RunLifecycle(worker.platform);
  const browser = fakeTabs(options.hang ?? false, options.challenge);
  let leftoversClosed = 0;
  const service = serviceOver(runs, worker, browser, {
    clock: options.challenge ? steppingClock() : clock,
    onLeftovers: () => {
      leftoversClosed++;
    },
  });
  const page = fakeClient();
  await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
  verdicts.forEach((verdict, i) => {
    worker.jobs[0]?.answer(`https://a.test/${i}`, verdict);
  });
  await settle();
  return { worker, runs, service, browser, page, leftovers: () => leftoversClosed };
}

describe('the second opinion in a run', () => {
  it('opens only the links a tab can settle, and the row takes the tab’s verdict', async () => {
    const { runs, service, browser, worker } = await checkedRun(['blocked', 'ok', 'broken']);
    service.start(1);
    await settle();
    expect(browser.opened).toEqual(['https://a.test/0']);
    expect(browser.open.size).toBe(0);
    const row = runs.get(1)?.entries[0];
    expect(row?.result).toMatchObject({ verdict: 'ok', verified: 'browser', status: 200 });
    expect(row?.verifying).toBeUndefined();
    expect(runs.get(1)?.entries[2]?.result?.verified).toBeUndefined();
    await worker.time.advance(500);
    expect(worker.badges.get(1)).toBe(1);
  });

  it('does nothing on its own unless the option is on, then starts when the check finishes', async () => {
    const off = await checkedRun(['blocked']);
    await settle();
    expect(off.browser.opened).toEqual([]);
    const on = await checkedRun(['blocked'], { autoVerify: true });
    await settle();
    expect(on.browser.opened).toEqual(['https://a.test/0']);
  });

  it('verifies on its own only the links no tab has seen yet when a watched page’s joined links finish', async () => {
    const { runs, browser, worker } = await checkedRun(['blocked'], { autoVerify: true, challenge: true });
    await settle();
    expect(browser.opened).toEqual(['https://a.test/0']);
    expect(runs.get(1)?.entries[0]?.result).toMatchObject({ verdict: 'blocked', reason: 'challenge' });
    // The page adds a link later (live pages): the run goes on and finishes again.
    runs.addLinks(1, links(1, 'https://a.test/later/'));
    worker.jobs.at(-1)?.answerAll('blocked');
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    expect(browser.opened).toEqual(['https://a.test/0', 'https://a.test/later/0']);
  });

  it('closes its tabs and leaves the new run alone when the tab is checked again', async () => {
    const { runs, service, browser, page, worker } = await checkedRun(['blocked', 'blocked'], { hang: true });
    service.start(1);
    await settle();
    expect(browser.open.size).toBe(2);
    await runs.connect(page.client).receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    await settle();
    expect(browser.open.size).toBe(0);
    expect(runs.get(1)?.entries.every((e) => !e.verifying && !e.result)).toBe(true);
    expect(worker.jobs).toHaveLength(2);
  });

  it('keeps to the tabs-at-once setting across the runs of two tabs verified together', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, links(2), 'https://a.test/');
    worker.openPage(2, links(2, 'https://b.test/'), 'https://b.test/');
    const runs = new RunLifecycle(worker.platform);
    const browser = fakeTabs(true);
    const service = serviceOver(runs, worker, browser);
    for (const tabId of [1, 2]) {
      await runs.connect(fakeClient().client).receive({ type: 'watch', tabId, startIfNone: true });
      worker.jobs.at(-1)?.answerAll('blocked');
    }
    await settle();
    service.start(1);
    service.start(2);
    await settle();
    expect(browser.most.atOnce).toBe(DEFAULT_SETTINGS.verifyTabs);
    // Tab 1's verification stopped: its tabs close, and tab 2's links have their turn.
    service.stop(1);
    await settle();
    expect(browser.open.size).toBe(2);
    expect([...browser.open].every((url) => url.startsWith('https://b.test/'))).toBe(true);
    service.stop(2);
    await settle();
    expect(browser.open.size).toBe(0);
    expect(browser.most.atOnce).toBe(DEFAULT_SETTINGS.verifyTabs);
  });

  it('stops on request, the rows keeping the check’s verdict', async () => {
    const { runs, service, browser } = await checkedRun(['blocked'], { hang: true });
    service.start(1);
    await settle();
    service.stop(1);
    await settle();
    expect(browser.open.size).toBe(0);
    expect(runs.get(1)?.entries[0]).toMatchObject({ result: { verdict: 'blocked' } });
    expect(runs.get(1)?.entries[0]?.verifying).toBeUndefined();
  });

  it('after a worker restart, closes what was left open and verifies the rows still waiting', async () => {
    const first = await checkedRun(['blocked', 'ok'], { hang: true });
    first.service.start(1);
    await settle();
    await first.worker.time.advance(6_000);
    // A second worker on the same storage: the first one stopped with its tab open.
    const worker = fakeRunPlatform({ area: first.worker.storage });
    const runs = new RunLifecycle(worker.platform);
    const browser = fakeTabs(false);
    let leftovers = 0;
    const service = serviceOver(runs, worker, browser, {
      onLeftovers: () => {
        leftovers++;
      },
    });
    await service.resume();
    await settle();
    expect(leftovers).toBe(1);
    expect(browser.opened).toEqual(['https://a.test/0']);
    expect(runs.get(1)?.entries[0]?.result).toMatchObject({ verdict: 'ok', verified: 'browser' });
  });

  it('puts the rows waiting for a tab on record before the first tab opens, not with the next batch', async () => {
    const first = await checkedRun(['blocked', 'ok'], { hang: true });
    first.service.start(1);
    await settle();
    // Stopped as soon as its tab opened, before any batch went out: the row waiting is in storage and on the page.
    expect(first.browser.open.size).toBe(1);
    expect(first.page.received.some((m) => m.type === 'update' && m.changes.some(([, e]) => e.verifying))).toBe(true);
    const worker = fakeRunPlatform({ area: first.worker.storage });
    const runs = new RunLifecycle(worker.platform);
    const browser = fakeTabs(false);
    const service = serviceOver(runs, worker, browser);
    await service.resume();
    await settle();
    expect(browser.opened).toEqual(['https://a.test/0']);
    expect(runs.get(1)?.entries[0]?.result).toMatchObject({ verdict: 'ok', verified: 'browser' });
  });
});
