// Nothing lost, nothing leaked: a worker stopped mid-run, tabs closed or navigated mid-run, two tabs at once.
import type { Page, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAVE_RETRY_MAX_MS } from '../../utils/run/run-writer';
import { DEFAULT_SETTINGS } from '../../utils/settings';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import {
  badgeText,
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  readRows,
  readSummary,
  tabIdOf,
  waitForState,
  writeSettings,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;

type Chrome = {
  chrome: {
    storage: { session: { get(k: null): Promise<Record<string, unknown>> } };
    alarms: { getAll(): Promise<{ name: string }[]> };
  };
};

async function sessionKeys(): Promise<string[]> {
  const worker = await ext.worker();
  return worker.evaluate(async () =>
    Object.keys(await (globalThis as unknown as Chrome).chrome.storage.session.get(null)),
  );
}

/** A run's keys in storage.session: its metadata `run:<tab>` and its chunks `run:<tab>:<n>`. */
const ofTab = (key: string, tabId: number) => key === `run:${tabId}` || key.startsWith(`run:${tabId}:`);

async function alarms(): Promise<{ name: string }[]> {
  const worker = await ext.worker();
  return worker.evaluate(() => (globalThis as unknown as Chrome).chrome.alarms.getAll());
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('a service worker stopped in the middle of a run', () => {
  it('resumes the run where it stopped: every link judged, none checked twice but those in flight', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=500&hosts=5&latency=400', 'gen.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await popup.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="run-summary"]')?.dataset.checked) >= 100,
      { timeout: 30_000 },
    );
    await until(() => server.inFlightNow() > 0, 'requests are in flight');
    await popup.close();

    const worker: WebWorker = await ext.worker();
    await worker.close();
    // The stopped worker's requests end with it.
    await until(() => server.inFlightNow() === 0, 'the stopped worker’s requests are gone');
    const sentBefore = server.requestsTo('/latency/').length;
    expect(sentBefore).toBeLessThan(500);

    // Any extension event starts the worker again; opening the report page connects to it.
    const report = await openReport(ext, tabId);
    // The popup opened again shows the same run going on (a new run would start from nothing and send all 500 again).
    const again = await openPopup(ext, page);
    const resumed = await readSummary(again);
    expect(resumed.total).toBe('500');
    expect(['running', 'done']).toContain(resumed.state);
    expect(Number(resumed.checked)).toBeGreaterThanOrEqual(100);
    await waitForState(again, 'done', 60_000);
    expect(await readSummary(again)).toMatchObject({ state: 'done', total: '500', checked: '500', ok: '500' });
    await again.close();

    // A page in the background does not render: bring the report to the front to read it.
    await report.bringToFront();
    await waitForState(report, 'done', 60_000);
    const summary = await readSummary(report);
    expect(summary).toMatchObject({ state: 'done', total: '500', checked: '500', ok: '500' });
    const rows = await readRows(report);
    expect(rows.size).toBe(500);
    expect([...rows.values()].every((r) => r.verdict === 'ok' && r.status === '200')).toBe(true);
    expect(server.requestsTo('/latency/').length).toBeGreaterThan(sentBefore);

    // Each link was requested once, except those in flight when the worker stopped (HEAD only: all answer 200).
    const perPath = new Map<string, number>();
    for (const r of server.requestsTo('/latency/')) perPath.set(r.path, (perPath.get(r.path) ?? 0) + 1);
    expect(perPath.size).toBe(500);
    const twice = [...perPath.values()].filter((n) => n > 1);
    expect(twice.every((n) => n === 2)).toBe(true);
    // At most 5 hosts × 6 were in flight; the answers of the last 150 ms batch before the stop (not yet written) may
    // come again too, so twice that bounds it.
    expect(twice.length).toBeLessThanOrEqual(2 * 5 * DEFAULT_SETTINGS.perHostConcurrency);

    // The worker is kept awake only while a run goes on: the resume alarm is gone once it is done.
    await until(async () => (await alarms()).length === 0, 'the resume alarm is cleared');
    await report.close();
    await page.close();
  });

  it('resumes an interrupted Re-check still asking every server, not taking recent results', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=60&hosts=1&latency=300', 'fresh.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 30_000);
    // Every result is now recent. A Re-check asks the servers again; the worker stops in the middle of it.
    server.resetStats();
    await popup.click('[data-testid="recheck"]');
    await until(() => server.requestsTo('/latency/').length >= 12, 'the re-check is under way');
    await popup.close();
    await (await ext.worker()).close();
    await until(() => server.inFlightNow() === 0, 'the stopped worker’s requests are gone');
    expect(server.requestsTo('/latency/').length).toBeLessThan(60);
    const report = await openReport(ext, tabId);
    await waitForState(report, 'done', 30_000);
    expect(await readSummary(report)).toMatchObject({ total: '60', checked: '60', ok: '60' });
    // The resumed part asked the server too: every link of the page was requested during the re-check.
    expect(new Set(server.requestsTo('/latency/').map((r) => r.path)).size).toBe(60);
    await report.close();
    await page.close();
  });

  it('wakes again by itself through the resume alarm, with no page of the extension open', async () => {
    server.resetStats();
    const page = await ext.browser.newPage();
    // 60 links on one host, 6 at a time, 2 s each: about 20 s of work.
    await page.goto(server.url('/generate?n=60&hosts=1&latency=2000', 'alarm.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await until(() => server.requestsTo('/latency/').length >= 12, 'two rounds of requests were sent');
    await popup.close();
    expect((await alarms()).map((a) => a.name)).toEqual(['linkpulse-resume']);

    await (await ext.worker()).close();
    await until(() => server.inFlightNow() === 0, 'the stopped worker’s requests are gone');
    const sentBefore = server.requestsTo('/latency/').length;
    // Nothing of the extension is open; only the alarm (every 30 s while a run goes on) can start the worker.
    await until(() => server.requestsTo('/latency/').length > sentBefore, 'the worker resumes the run', 45_000);

    const report = await openReport(ext, tabId);
    await waitForState(report, 'done', 60_000);
    expect(await readSummary(report)).toMatchObject({ state: 'done', total: '60', checked: '60', ok: '60' });
    await until(async () => (await alarms()).length === 0, 'the resume alarm is cleared');
    await report.close();
    await page.close();
  });
  it('forgets a finished run whose tab went to another page while the worker was stopped', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=3&hosts=1&latency=0', 'asleep.test'));
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 15_000);
    await popup.close();
    await (await ext.worker()).close();
    // The navigation itself wakes the worker, before it has loaded the runs it kept.
    await page.goto(server.url('/generate?n=5&hosts=1&latency=0', 'asleep.test'));
    const again = await openPopup(ext, page);
    await waitForState(again, 'done', 15_000);
    expect((await readSummary(again)).total).toBe('5');
    await again.close();
    await page.close();
  });
});

describe('tabs', () => {
  let hanging: Page;
  let hangingTab: number;

  it('cancels the run of a tab that closes, aborting its requests and freeing its state', async () => {
    hanging = await ext.browser.newPage();
    await hanging.goto(server.url('/generate?n=12&hosts=1&latency=60000', 'slow.test'));
    hangingTab = await tabIdOf(ext, hanging);
    const popup = await openPopup(ext, hanging);
    await until(() => server.inFlightNow() >= 6, 'requests are in flight');
    await popup.close();
    expect(await sessionKeys()).toContain(`run:${hangingTab}`);
    await hanging.close();
    await until(() => server.inFlightNow() === 0, 'the closed tab’s requests are aborted');
    await until(
      async () => !(await sessionKeys()).some((k) => ofTab(k, hangingTab)),
      'its run is removed from storage',
    );
  });

  it('keeps two tabs checked at once apart: their own runs, counts and badges', async () => {
    // The basic page's hanging link would hold the second run for the default timeout and its retries.
    await writeSettings(ext, { ...DEFAULT_SETTINGS, requestTimeoutSec: 2, retries: 0 });
    try {
      const first = await ext.browser.newPage();
      await first.goto(server.url('/pages/tricky-export.html', 'one.test'));
      const second = await ext.browser.newPage();
      await second.goto(server.url('/pages/basic.html', 'two.test'));
      const [firstTab, secondTab] = [await tabIdOf(ext, first), await tabIdOf(ext, second)];
      const popupOne = await openPopup(ext, first);
      await popupOne.close();
      const popupTwo = await openPopup(ext, second);
      await popupTwo.close();
      const reportOne = await openReport(ext, firstTab);
      const reportTwo = await openReport(ext, secondTab);
      // A page behind another is not drawn in headless Chromium: bring each to the front before reading it.
      await reportOne.bringToFront();
      await waitForState(reportOne, 'done', 60_000);
      expect(await readSummary(reportOne)).toMatchObject({ total: '8', broken: '2' });
      await reportTwo.bringToFront();
      await waitForState(reportTwo, 'done', 60_000);
      expect(await readSummary(reportTwo)).toMatchObject({ total: '34', broken: '4' });
      expect(await badgeText(ext, firstTab)).toBe('2');
      expect(await badgeText(ext, secondTab)).toBe('4');
      for (const p of [reportOne, reportTwo, first, second]) await p.close();
    } finally {
      await writeSettings(ext, null);
    }
  });

  it('cancels the run of a tab that navigates away and clears its badge', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/basic.html', 'nav.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await until(async () => (await badgeText(ext, tabId)) !== '', 'the badge shows broken links');
    await popup.close();
    server.resetStats();
    await page.goto(server.url('/pages/no-links.html', 'nav.test'));
    await until(async () => (await badgeText(ext, tabId)) === '', 'the badge is cleared');
    await until(() => server.inFlightNow() === 0, 'the old page’s requests are aborted');
    await until(async () => !(await sessionKeys()).some((k) => ofTab(k, tabId)), 'its run is removed');
    await page.close();
  });

  it('leaves one run after a double click on Re-check, and Cancel stops it', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=12&hosts=1&latency=60000', 'twice.test'));
    const popup = await openPopup(ext, page);
    await until(() => server.inFlightNow() >= 6, 'requests are in flight');
    await popup.click('[data-testid="cancel"]');
    await waitForState(popup, 'cancelled', 5_000);
    await until(() => server.inFlightNow() === 0, 'the first run is stopped');
    server.resetStats();
    // Two clicks before the popup has redrawn: two Re-check messages, each starting a run.
    await popup.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="recheck"]');
      if (!button) throw new Error('no Re-check button');
      button.click();
      button.click();
    });
    await until(() => server.inFlightNow() >= 6, 'the new run sends its requests');
    await waitForState(popup, 'running', 5_000);
    await popup.click('[data-testid="cancel"]');
    await waitForState(popup, 'cancelled', 5_000);
    // A run left going that Cancel cannot reach would keep (or send) requests: its own, or those Chromium held back
    // behind the cancelled run's six. Every request ends at once, and nothing follows.
    await until(() => server.inFlightNow() === 0, 'every request is aborted', 3_000);
    const sent = server.requests.length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(server.inFlightNow()).toBe(0);
    expect(server.requests.length).toBe(sent);
    await popup.close();
    await page.close();
  });

  it('keeps the per-host limit across two tabs checking the same host', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, perHostConcurrency: 2 });
    server.resetStats();
    const pages: Page[] = [];
    for (const latency of [400, 401]) {
      const page = await ext.browser.newPage();
      await page.goto(server.url(`/generate?n=6&hosts=1&latency=${latency}`, `shared${latency}.test`));
      await (await openPopup(ext, page)).close();
      pages.push(page);
    }
    await until(() => server.requestsTo('/latency/').length === 12 && server.inFlightNow() === 0, 'both runs end');
    expect(server.maxInFlightByHost()['h0.test']).toBe(2);
    await writeSettings(ext, null);
    for (const page of pages) await page.close();
  });

  it('aborts in-flight requests when a run is cancelled', async () => {
    server.resetStats();
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=12&hosts=1&latency=60000', 'cancel.test'));
    const popup = await openPopup(ext, page);
    await until(() => server.inFlightNow() >= 6, 'requests are in flight');
    await popup.click('[data-testid="cancel"]');
    await waitForState(popup, 'cancelled', 5_000);
    await until(() => server.inFlightNow() === 0, 'the cancelled requests are aborted');
    // Queued links were never sent.
    expect(server.requestsTo('/latency/60000/').length).toBe(6);
    await popup.close();
    await page.close();
  });
});

describe('session storage full', () => {
  it('goes on with the run, tells the person, and saves it all once there is room', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=300&hosts=3&latency=300&tag=full', 'full.test'));
    const tabId = await tabIdOf(ext, page);
    const worker = await ext.worker();
    type Session = {
      QUOTA_BYTES: number;
      getBytesInUse(k: null): Promise<number>;
      set(v: object): Promise<void>;
      remove(k: string): Promise<void>;
    };
    // Something else (another run, the result cache) has taken all but 4 kB of the browser's 10 MB.
    await worker.evaluate(async () => {
      const session = (globalThis as unknown as { chrome: { storage: { session: Session } } }).chrome.storage.session;
      const free = session.QUOTA_BYTES - (await session.getBytesInUse(null));
      await session.set({ 'test-filler': 'x'.repeat(free - 4_000) });
    });
    const popup = await openPopup(ext, page);
    await popup.waitForSelector('[data-testid="unsaved"]', { timeout: 30_000 });
    await waitForState(popup, 'done', 90_000);
    expect(await readSummary(popup)).toMatchObject({ total: '300', checked: '300' });
    await worker.evaluate(async () => {
      await (globalThis as unknown as { chrome: { storage: { session: Session } } }).chrome.storage.session.remove(
        'test-filler',
      );
    });
    // Written with the next try (5 s after the first failure, then less and less often, at least once a minute:
    // saveRetryMs), then the notice goes.
    await popup.waitForSelector('[data-testid="unsaved"]', { hidden: true, timeout: SAVE_RETRY_MAX_MS + 15_000 });
    expect((await sessionKeys()).filter((k) => ofTab(k, tabId))).toContain(`run:${tabId}`);
    await popup.close();
    // Nothing was lost: every row judged.
    const report = await openReport(ext, tabId);
    await waitForState(report, 'done');
    const rows = [...(await readRows(report)).values()];
    expect(rows).toHaveLength(300);
    expect(rows.filter((r) => r.verdict !== 'ok')).toEqual([]);
    await report.close();
    await page.close();
  }, 240_000);
});

describe('Re-check failed only', () => {
  it('asks again only the links that failed, keeping the others as they were', async () => {
    server.setChangingPage(['/changeable/recheck-broken', '/changeable/recheck-fine', '/status/404?recheck=still']);
    server.setAnswer('recheck-broken', 503);
    const page = await ext.browser.newPage();
    await page.goto(server.url('/changing-page', 'recheck.test'));
    await writeSettings(ext, { ...DEFAULT_SETTINGS, retries: 0 });
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 30_000);
    expect(await readSummary(popup)).toMatchObject({ total: '3', ok: '1', broken: '2' });
    // The server is back; the person asks only for the failed links again.
    server.setAnswer('recheck-broken', 200);
    server.resetStats();
    await popup.click('[data-testid="recheck-failed"]');
    await popup.waitForSelector('[data-testid="run-summary"][data-state="done"][data-ok="2"]', { timeout: 30_000 });
    expect(await readSummary(popup)).toMatchObject({ total: '3', ok: '2', broken: '1' });
    // Of the page's three links (the host's soft-404 probe aside), the two that had failed were asked again.
    const links = ['/changeable/recheck-broken', '/changeable/recheck-fine', '/status/404?recheck=still'];
    const asked = server.requests.map((r) => r.path).filter((p) => links.includes(p));
    expect(asked.sort()).toEqual(['/changeable/recheck-broken', '/status/404?recheck=still']);
    await writeSettings(ext, null);
    await popup.close();
    await page.close();
  });
});
