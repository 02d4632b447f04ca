// The second opinion in Firefox ESR: the same walls, loaded in background tabs of Firefox, every tab closed.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../utils/settings';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { readRows, readSummary, waitForState } from './harness';
import {
  type FirefoxWithExtension,
  firefoxTabId,
  launchFirefox,
  openExtensionPage,
  openFirefoxPopup,
} from './harness-firefox';

let server: FixtureServer;
let ff: FirefoxWithExtension;

beforeAll(async () => {
  server = await startFixtureServer();
  // The 999 wall is served over https with the fixture's own certificate, which this Firefox is told to accept.
  ff = await launchFirefox(['links.test', 'wall.test', 'docs.test', 'inward.test'], { acceptInsecureCerts: true });
}, 120_000);
afterAll(async () => {
  await ff?.close();
  await server?.close();
});

/** The ids of every tab Firefox has open, asked of the extension from one of its own pages. */
const tabIds = (page: Page) =>
  page.evaluate(async () => {
    const api = (globalThis as unknown as { browser: { tabs: { query(q: object): Promise<{ id?: number }[]> } } })
      .browser;
    return (await api.tabs.query({})).map((t) => t.id ?? -1);
  });

/** Checks the page at `url` in a fresh tab with the default settings but `verifyTimeoutSec`; returns its report. */
async function checkPage(url: string): Promise<{ page: Page; report: Page }> {
  const settings = await openExtensionPage(ff, '/options.html');
  await settings.evaluate(
    (value) =>
      (
        globalThis as unknown as { browser: { storage: { sync: { set(v: object): Promise<void> } } } }
      ).browser.storage.sync.set({ settings: value }),
    { ...DEFAULT_SETTINGS, verifyTimeoutSec: 8 },
  );
  await settings.close();
  const page = await ff.browser.newPage();
  await page.goto(url);
  const tabId = await firefoxTabId(ff, url);
  const popup = await openFirefoxPopup(ff, tabId);
  await waitForState(popup, 'done', 60_000);
  await popup.close();
  const report = await openExtensionPage(ff, `/report.html?tab=${tabId}`);
  await waitForState(report, 'done');
  return { page, report };
}

describe('verify in the browser, in Firefox', () => {
  it('settles the walls in background tabs, two at most, all closed, focus kept', async () => {
    const { page, report } = await checkPage(server.url('/pages/verify.html', 'links.test'));
    await report.bringToFront();
    const before = new Set(await tabIds(report));
    await report.evaluate(() => {
      const log: string[] = [];
      (globalThis as unknown as { __focusLog: string[] }).__focusLog = log;
      document.addEventListener('visibilitychange', () => log.push(`visibility ${document.visibilityState}`));
    });
    const button = await report.waitForSelector('[data-testid="verify-in-browser"]:not([disabled])');
    expect(await button?.evaluate((b) => b.textContent)).toContain('Verify 6 links');
    let most = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const extra = (await tabIds(report)).filter((id) => !before.has(id)).length;
        most = Math.max(most, extra);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await button?.click();
    await report.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="link-row"][data-verifying]').length === 0 &&
        document.querySelectorAll('[data-testid="link-row"][data-verified="browser"]').length === 6,
      { timeout: 90_000 },
    );
    const deadline = Date.now() + 10_000;
    while ((await tabIds(report)).some((id) => !before.has(id)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    polling = false;
    await poll;

    const rows = await readRows(report);
    const at = (path: string, host: string) => server.url(path, host);
    expect(rows.get(at('/wall/js-challenge/a', 'wall.test'))).toMatchObject({ verdict: 'ok', status: '200' });
    // 999 to the extension's fetch, the page itself to a real navigation.
    expect(rows.get(server.tlsUrl('/wall/navigate-only', 'wall.test'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(rows.get(at('/wall/forever', 'wall.test'))).toMatchObject({ verdict: 'blocked', reason: 'challenge' });
    expect(rows.get(at('/wall/js-challenge/b?then=404', 'wall.test'))).toMatchObject({
      verdict: 'broken',
      status: '404',
    });
    expect(rows.get(at('/script-ids#built-later', 'docs.test'))).toMatchObject({ verdict: 'ok' });
    expect(rows.get(at('/script-ids#nowhere', 'docs.test'))).toMatchObject({
      verdict: 'broken',
      reason: 'fragment-missing',
    });
    expect((await tabIds(report)).filter((id) => !before.has(id))).toEqual([]);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    expect(await report.evaluate(() => (globalThis as unknown as { __focusLog: string[] }).__focusLog)).toEqual([]);
    // ok: the two walls passed, the script-built anchor, and /ok itself; as in Chromium.
    expect(await readSummary(report)).toMatchObject({ ok: '4', blocked: '1', broken: '3', skipped: '1' });
    await report.close();
    await page.close();
  });

  it('blocks a redirect, a subresource or a worker into a private address before it is sent, and removes its rules', async () => {
    const { page, report } = await checkPage(server.url('/pages/verify-private.html', 'inward.test'));
    const wall = (key: string, then: string, to: string) =>
      server.url(`/wall/js-challenge/${key}?then=${then}&to=${encodeURIComponent(to)}`, 'wall.test');
    const redirected = wall('inward', 'redirect', server.url('/ok?verify-redirected', '127.0.0.1'));
    const named = wall('named', 'redirect', server.url('/ok?verify-named', 'localhost'));
    const image = wall('pixel', 'image', server.url('/ok?verify-image', '127.0.0.1'));
    const workers = server.tlsUrl(
      `/wall/js-challenge/workers?then=worker&to=${encodeURIComponent(server.url('/ok?verify-worker', '127.0.0.1'))}`,
      'wall.test',
    );
    const before = await readRows(report);
    server.resetStats();
    await report.click('[data-testid="verify-in-browser"]');
    await report.waitForFunction(
      () =>
        document.querySelector('[data-testid="link-row"][data-verifying]') === null &&
        document.querySelector('[data-testid="link-row"][data-verified="browser"]') !== null,
      { timeout: 90_000 },
    );
    // A worker's request could come after its tab closed (a service worker outlives it): give one the time to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The tabs passed their walls, and nothing reached the private targets; no worker was even fetched.
    expect(server.requestsTo('/wall/js-challenge/inward').length).toBeGreaterThanOrEqual(2);
    expect(server.requestsTo('/wall/js-challenge/workers').length).toBeGreaterThanOrEqual(2);
    expect(server.requestsTo('/ok')).toEqual([]);
    expect(server.requestsTo('/wall/worker.js')).toEqual([]);
    const rows = await readRows(report);
    for (const url of [redirected, named]) {
      expect(rows.get(url), url).toMatchObject({ verdict: 'blocked', reason: before.get(url)?.reason });
    }
    for (const url of [image, workers]) expect(rows.get(url), url).toMatchObject({ verdict: 'ok', status: '200' });
    const rules = await report.evaluate(() =>
      (
        globalThis as unknown as { browser: { declarativeNetRequest: { getSessionRules(): Promise<unknown[]> } } }
      ).browser.declarativeNetRequest.getSessionRules(),
    );
    expect(rules).toEqual([]);
    await report.close();
    await page.close();
  });
});
