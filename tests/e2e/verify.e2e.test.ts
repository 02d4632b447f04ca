// The second opinion: blocked links and missing anchors loaded in real background tabs, against fixture hosts that
// behave like the walls met on the web. Every tab it opens must close, and the person's page must keep the focus.
import type { Page, Target } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../utils/settings';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import {
  badgeText,
  type ExtensionBrowser,
  fixtureSpki,
  launchWithExtension,
  openPopup,
  openReport,
  readRows,
  readSummary,
  sessionRules,
  tabIdOf,
  verificationDone,
  waitForState,
  writeSettings,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;

/** Every page target the browser opens from now on that the test did not open itself: the verification's tabs. */
function watchTabs(ours: () => Set<Target>) {
  const open = new Set<Target>();
  const seen: string[] = [];
  let max = 0;
  const created = (t: Target) => {
    if (t.type() !== 'page' || ours().has(t)) return;
    open.add(t);
    max = Math.max(max, open.size);
  };
  const changed = (t: Target) => {
    if (open.has(t) && t.url() !== 'about:blank') seen.push(t.url());
  };
  const destroyed = (t: Target) => open.delete(t);
  ext.browser.on('targetcreated', created);
  ext.browser.on('targetchanged', changed);
  ext.browser.on('targetdestroyed', destroyed);
  return {
    open: () => open.size,
    max: () => max,
    seen,
    stop() {
      ext.browser.off('targetcreated', created);
      ext.browser.off('targetchanged', changed);
      ext.browser.off('targetdestroyed', destroyed);
    },
  };
}

/** Records, in the person's page, anything that would mean it lost the focus or was hidden. */
async function watchFocus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const log: string[] = [];
    (globalThis as unknown as { __focusLog: string[] }).__focusLog = log;
    addEventListener('blur', () => log.push('blur'));
    document.addEventListener('visibilitychange', () => log.push(`visibility ${document.visibilityState}`));
  });
  return () => page.evaluate(() => (globalThis as unknown as { __focusLog: string[] }).__focusLog);
}

/** The verification tabs the worker has recorded as open. */
async function recordedTabs(): Promise<number[]> {
  const worker = await ext.worker();
  return worker.evaluate(async () => {
    const session = (
      globalThis as unknown as {
        chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
      }
    ).chrome.storage.session;
    const ids = (await session.get('verify:tabs'))['verify:tabs'];
    return Array.isArray(ids) ? (ids as number[]) : [];
  });
}

/** Whether every given tab has finished loading or is closed already (`status` needs no `tabs` permission). */
async function tabsLoaded(ids: number[]): Promise<boolean> {
  const worker = await ext.worker();
  return worker.evaluate(async (wanted: number[]) => {
    const tabs = (globalThis as unknown as { chrome: { tabs: { get(id: number): Promise<{ status?: string }> } } })
      .chrome.tabs;
    const states = await Promise.all(
      wanted.map((id) =>
        tabs.get(id).then(
          (t) => t.status,
          () => 'gone',
        ),
      ),
    );
    return states.every((s) => s === 'complete' || s === 'gone');
  }, ids);
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension([`--ignore-certificate-errors-spki-list=${fixtureSpki()}`]);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('verify in the browser', () => {
  it('settles each wall the way a person’s browser does, two tabs at most, all closed, focus kept', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, verifyTimeoutSec: 8 });
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/verify.html', 'links.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();

    const report = await openReport(ext, tabId);
    await report.bringToFront();
    const before = await readRows(report);
    const wall = `http://wall.test:${server.port}/wall/js-challenge/a`;
    const navigateOnly = server.tlsUrl('/wall/navigate-only', 'wall.test');
    const forever = `http://wall.test:${server.port}/wall/forever`;
    const wall404 = `http://wall.test:${server.port}/wall/js-challenge/b?then=404`;
    const built = `http://docs.test:${server.port}/script-ids#built-later`;
    const nowhere = `http://docs.test:${server.port}/script-ids#nowhere`;
    // What the extension's own requests concluded: the walls refuse it, the anchors are not in the served HTML.
    for (const url of [wall, forever, wall404]) expect(before.get(url)).toMatchObject({ verdict: 'blocked' });
    expect(before.get(navigateOnly)).toMatchObject({ verdict: 'blocked', status: '999' });
    for (const url of [built, nowhere]) expect(before.get(url)).toMatchObject({ reason: 'fragment-missing' });

    const button = await report.waitForSelector('[data-testid="verify-in-browser"]:not([disabled])');
    expect(await button?.evaluate((b) => b.textContent)).toContain('Verify 6 links');
    expect(await report.$eval('[data-testid="verify-notice"]', (el) => el.textContent)).toMatch(/cookies/);

    const ours = new Set(ext.browser.targets().filter((t) => t.type() === 'page'));
    const tabs = watchTabs(() => ours);
    const focusLog = await watchFocus(report);
    server.resetStats();
    await button?.click();
    await verificationDone(report);
    await until(() => tabs.open() === 0, 'every verification tab is closed', 10_000);
    tabs.stop();

    const rows = await readRows(report);
    const attr = (url: string, name: string) =>
      report.$eval(`[data-testid="link-row"][data-url="${url}"]`, (el, n) => el.getAttribute(n), name);
    expect(rows.get(wall)).toMatchObject({ verdict: 'ok', status: '200', finalUrl: wall, reason: '' });
    expect(rows.get(navigateOnly)).toMatchObject({ verdict: 'ok', status: '200' });
    expect(rows.get(forever)).toMatchObject({ verdict: 'blocked', reason: 'challenge', status: '403' });
    expect(rows.get(wall404)).toMatchObject({ verdict: 'broken', reason: 'status', status: '404' });
    expect(rows.get(built)).toMatchObject({ verdict: 'ok', status: '200' });
    expect(rows.get(nowhere)).toMatchObject({ verdict: 'broken', reason: 'fragment-missing', status: '200' });
    for (const url of [wall, navigateOnly, forever, wall404, built, nowhere]) {
      expect(await attr(url, 'data-verified'), url).toBe('browser');
    }
    // Links outside the set were never loaded in a tab, nor asked of their servers again.
    for (const [url, row] of rows) {
      if (![wall, navigateOnly, forever, wall404, built, nowhere].includes(url)) {
        expect(await attr(url, 'data-verified'), url).toBe('');
        expect(row.verdict).toBe(before.get(url)?.verdict);
      }
    }
    expect(server.requestsTo('/ok')).toHaveLength(0);
    expect(server.requestsTo('/status/404')).toHaveLength(0);
    expect(server.requestsTo('/forbidden')).toHaveLength(0);
    expect(tabs.seen.some((u) => u.includes('/ok') || u.includes('/status/') || u.includes('/forbidden'))).toBe(false);
    // The navigation-only host saw a real navigation.
    const navigations = server.requestsTo('/wall/navigate-only');
    expect(navigations.some((r) => r.headers['sec-fetch-mode'] === 'navigate')).toBe(true);

    expect(tabs.max()).toBe(2);
    expect(await focusLog()).toEqual([]);
    expect(await report.evaluate(() => document.visibilityState)).toBe('visible');
    expect(ext.browser.targets().filter((t) => t.type() === 'page').length).toBe(ours.size);

    // Counts and the badge follow the new verdicts: ok 3 (+1 built, +1 wall, +1 navigate-only), broken 3.
    const summary = await readSummary(report);
    expect(summary).toMatchObject({ ok: '4', blocked: '1', broken: '3', skipped: '1' });
    expect(await badgeText(ext, tabId)).toBe('3');

    // The result stays when the report is opened again.
    await report.close();
    const again = await openReport(ext, tabId);
    expect(
      await again.$eval(`[data-testid="link-row"][data-url="${wall}"]`, (el) => el.getAttribute('data-verified')),
    ).toBe('browser');
    expect((await readRows(again)).get(wall)?.verdict).toBe('ok');
    await again.close();
    await page.close();
  });

  it('closes the tabs a stopped worker left open and verifies the rest after it restarts', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, verifyTimeoutSec: 6 });
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/verify-walls.html', 'walls.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();
    const report = await openReport(ext, tabId);
    await report.bringToFront();
    const ours = new Set(ext.browser.targets().filter((t) => t.type() === 'page'));
    const tabs = watchTabs(() => ours);
    await report.click('[data-testid="verify-in-browser"]');
    await until(() => tabs.open() === 2, 'two verification tabs are open', 20_000);

    // Stopped once both tabs are on the worker's record (kept in storage.session for this very case) and loaded: a
    // worker closed while its tabs start their navigations was seen left half-stopped by Chromium for 60–90 s (neither
    // running nor gone), which no user meets — Chrome stops an idle worker, not one starting navigations.
    await until(async () => (await recordedTabs()).length === 2, 'both tabs are recorded', 10_000);
    const recorded = await recordedTabs();
    await until(() => tabsLoaded(recorded), 'both tabs have loaded', 10_000);
    // From a public page each tab is guarded by session rules of its own, which outlive the worker.
    expect((await sessionRules(ext)).length).toBeGreaterThan(0);
    await (await ext.worker()).close();
    // The report page reconnects, which starts the worker again: it closes what it left and goes on.
    await verificationDone(report);
    await report.waitForFunction(
      () => document.querySelectorAll('[data-testid="link-row"][data-verified="browser"]').length === 5,
      { timeout: 90_000 },
    );
    await until(() => tabs.open() === 0, 'every verification tab is closed', 10_000);
    tabs.stop();
    expect(tabs.max()).toBeLessThanOrEqual(2);
    const rows = await readRows(report);
    expect(rows.get(`http://wall.test:${server.port}/wall/js-challenge/many`)?.verdict).toBe('ok');
    for (let n = 1; n <= 4; n++) {
      expect(rows.get(`http://wall.test:${server.port}/wall/forever?n=${n}`)).toMatchObject({
        verdict: 'blocked',
        reason: 'challenge',
      });
    }
    expect(ext.browser.targets().filter((t) => t.type() === 'page').length).toBe(ours.size);
    // The stopped worker's rules went with its tabs, and the new tabs' with theirs.
    expect((await sessionRules(ext)).length).toBe(0);
    await report.close();
    await page.close();
  });

  it('stops on request: every tab closed, the rows not reached keep the check’s verdict', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, verifyTimeoutSec: 20 });
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/verify-walls.html', 'stop.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();
    const report = await openReport(ext, tabId);
    const ours = new Set(ext.browser.targets().filter((t) => t.type() === 'page'));
    const tabs = watchTabs(() => ours);
    await report.click('[data-testid="verify-in-browser"]');
    await until(() => tabs.open() === 2, 'two verification tabs are open', 20_000);
    // The tabs are the browser's; the page hears of the rows waiting by message and shows Stop once it has rendered
    // them, which nothing orders before a target event reaching the test: click it once it is there, as a person would.
    await (await report.waitForSelector('[data-testid="verify-stop"]', { timeout: 5_000 }))?.click();
    await report.waitForFunction(() => !document.querySelector('[data-testid="link-row"][data-verifying]'));
    await until(() => tabs.open() === 0, 'every verification tab is closed', 10_000);
    tabs.stop();
    const rows = await readRows(report);
    for (let n = 1; n <= 4; n++) {
      expect(rows.get(`http://wall.test:${server.port}/wall/forever?n=${n}`)).toMatchObject({
        verdict: 'blocked',
        reason: 'bot-challenge',
      });
    }
    await report.close();
    await page.close();
  });

  it('keeps the check’s verdict when the person closes the tab before it settled', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, verifyTimeoutSec: 20 });
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/verify-closed.html', 'closed.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();
    const report = await openReport(ext, tabId);
    const url = server.tlsUrl('/wall/interstitial', 'wall.test');
    expect((await readRows(report)).get(url)).toMatchObject({ verdict: 'blocked', reason: 'auth' });
    await report.click('[data-testid="verify-in-browser"]');
    // The interstitial waits for a person: the tab stays on it, and the person closes it (or its window).
    const target = await ext.browser.waitForTarget((t) => t.url() === url, { timeout: 20_000 });
    const tab = await target.page();
    await tab?.waitForFunction(
      () => document.readyState === 'complete' && document.getElementById('sec-if-cpt-container'),
    );
    await report.waitForSelector('[data-testid="link-row"][data-verifying]');
    const closedAt = Date.now();
    await tab?.close();
    await report.waitForFunction(() => !document.querySelector('[data-testid="link-row"][data-verifying]'));
    const row = (await readRows(report)).get(url);
    expect(row).toMatchObject({ verdict: 'blocked', reason: 'auth' });
    expect(
      await report.$eval(`[data-testid="link-row"][data-url="${url}"]`, (el) => el.getAttribute('data-verified')),
    ).toBe('');
    // Its slot is free at once, not after the time the tab was given.
    expect(Date.now() - closedAt).toBeLessThan(10_000);
    await report.close();
    await page.close();
  });

  it('judges a page whose load never ends by its document once the tab’s time is up', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, verifyTimeoutSec: 5 });
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/verify-slow.html', 'slow.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();
    const report = await openReport(ext, tabId);
    const url = server.tlsUrl('/wall/hanging-image', 'wall.test');
    expect((await readRows(report)).get(url)).toMatchObject({ verdict: 'blocked', reason: 'auth' });
    await report.click('[data-testid="verify-in-browser"]');
    await report.waitForSelector('[data-testid="link-row"][data-verifying]');
    await report.waitForFunction(() => !document.querySelector('[data-testid="link-row"][data-verifying]'), {
      timeout: 30_000,
    });
    expect((await readRows(report)).get(url)).toMatchObject({ verdict: 'ok', status: '200' });
    await report.close();
    await page.close();
  });

  it('verifies after each check when the option is on, also with the popup closed', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, autoVerify: true, verifyTimeoutSec: 6 });
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/verify.html', 'auto.test'));
    const tabId = await tabIdOf(ext, page);
    const ours = new Set(ext.browser.targets().filter((t) => t.type() === 'page'));
    const tabs = watchTabs(() => ours);
    const focusLog = await watchFocus(page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();
    await until(() => tabs.max() > 0, 'a verification tab opened', 20_000);
    await until(() => tabs.open() === 0 && tabs.max() > 0, 'every verification tab is closed', 90_000);
    tabs.stop();
    // The popup takes the focus while it is open (blur); no verification tab ever hid the page.
    expect((await focusLog()).filter((event) => event !== 'blur')).toEqual([]);
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    const report = await openReport(ext, tabId);
    await verificationDone(report);
    const wall = `http://wall.test:${server.port}/wall/js-challenge/a`;
    expect((await readRows(report)).get(wall)?.verdict).toBe('ok');
    expect(tabs.max()).toBe(2);
    await report.close();
    await page.close();
    await writeSettings(ext, null);
  });
});
