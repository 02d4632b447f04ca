// Live pages in Firefox ESR: the same pages as tests/e2e/live.e2e.test.ts, with the popup in a tab of its own (Firefox
// has no scriptable toolbar click). Links that come later, a route change with pushState, frames and SVG.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import { readRows, readSummary } from './harness';
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
  ff = await launchFirefox(['site.test', 'spa.test', 'other.test', 'churn.test', 'a.test', 'b.test', 'c.test']);
}, 120_000);
afterAll(async () => {
  await ff?.close();
  await server?.close();
});

async function waitForDone(page: Page, total: number, timeout = 30_000): Promise<void> {
  await page.waitForSelector(`[data-testid="run-summary"][data-state="done"][data-total="${total}"]`, { timeout });
}

/** Opens a fixture page in a tab and the popup for it in another (which starts the run). */
async function check(path: string, host: string): Promise<{ page: Page; popup: Page; tabId: number }> {
  const page = await ff.browser.newPage();
  const url = server.url(path, host);
  await page.goto(url);
  const tabId = await firefoxTabId(ff, url);
  const popup = await openFirefoxPopup(ff, tabId);
  return { page, popup, tabId };
}

describe('live pages in Firefox', () => {
  it('joins links added 1 s and 3 s after the click and on scroll, keeping the one that left; lets go once done', async () => {
    const { page, popup, tabId } = await check('/pages/live-later.html', 'site.test');
    await page.evaluate(() => (window as unknown as { addLater(): void }).addLater());
    await waitForDone(popup, 3, 20_000);
    // Scroll events come with the rendering of the page in front; the popup's tab renders its rows once in front again.
    await page.bringToFront();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await until(() => server.requestsTo('/ok?at=scroll').length > 0, 'the revealed link is checked');
    await popup.bringToFront();
    await waitForDone(popup, 4, 15_000);
    expect(await readSummary(popup)).toMatchObject({ state: 'done', total: '4', ok: '3', broken: '1' });
    const report = await openReport(tabId);
    const rows = await readRows(report);
    expect(rows.get(server.url('/ok?at=1s', 'a.test'))?.verdict).toBe('ok');
    expect(rows.get(server.url('/status/404?at=3s', 'b.test'))?.verdict).toBe('broken');
    // Nobody looks and the run is done: the page is no longer followed.
    await report.close();
    await popup.close();
    await new Promise((r) => setTimeout(r, 1000));
    await page.evaluate(() => (window as unknown as { addUnwatched(): void }).addUnwatched());
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.requestsTo('/ok?at=unwatched')).toHaveLength(0);
    await page.close();
  });

  it('follows pushState and replaceState route changes in the same run, covering the new addresses', async () => {
    const { page, popup, tabId } = await check('/pages/live-spa.html', 'spa.test');
    await waitForDone(popup, 2);
    await page.evaluate(() => (window as unknown as { go(route: string): void }).go('second'));
    await waitForDone(popup, 4, 15_000);
    await page.evaluate(() => (window as unknown as { go(route: string, replace: boolean): void }).go('third', true));
    await waitForDone(popup, 5, 15_000);
    const report = await openReport(tabId);
    const rows = await readRows(report);
    expect(rows.get(server.url('/status/404?route=first', 'a.test'))?.verdict).toBe('broken');
    expect(rows.get(server.url('/redirect/1?route=second', 'b.test'))?.verdict).toBe('redirected');
    expect(rows.get(server.url('/ok?route=third', 'c.test'))?.verdict).toBe('ok');
    const covered = await report.$eval('[data-testid="covered-addresses"]', (el) => el.textContent ?? '');
    expect(covered).toContain(server.url('/pages/live-spa.html?view=second', 'spa.test'));
    expect(covered).toContain(server.url('/pages/live-spa.html?view=third', 'spa.test'));
    // Another document ends the run.
    await page.goto(server.url('/pages/no-links.html', 'spa.test'));
    await report.bringToFront();
    await report.waitForSelector('[data-testid="unavailable"]', { timeout: 10_000 });
    await report.close();
    await popup.close();
    await page.close();
  });

  it('reads same-origin frames at any depth and SVG links, and counts the frame from another site', async () => {
    const { page, popup, tabId } = await check('/pages/live-frames.html', 'site.test');
    await waitForDone(popup, 6);
    const report = await openReport(tabId);
    const rows = await readRows(report);
    const frameUrl = server.url('/pages/live-frame-inner.html', 'site.test');
    expect([...rows.keys()].sort()).toEqual(
      [
        server.url('/ok?in=top', 'a.test'),
        server.url('/ok?in=svg-href', 'a.test'),
        server.url('/status/404?in=svg-xlink', 'a.test'),
        server.url('/ok?in=frame', 'a.test'),
        `${frameUrl}#in-frame-missing`,
        server.url('/ok?in=nested-frame', 'b.test'),
      ].sort(),
    );
    expect(await report.$eval('[data-testid="cross-origin-frames"]', (el) => el.textContent)).toMatch(
      /^1 frame from another site was not read/,
    );
    expect(server.requestsTo('/ok?in=cross-origin-frame')).toHaveLength(0);
    await page.evaluate(() => (window as unknown as { addFrame(): void }).addFrame());
    await waitForDone(report, 7, 15_000);
    await report.close();
    await popup.close();
    await page.close();
  });
});

describe('a page that changes 1000 times a second, in Firefox', () => {
  it('joins its new links, keeps the popup responsive, and follows nothing once nobody looks', async () => {
    const { page, popup } = await check('/pages/live-churn.html', 'churn.test');
    await waitForDone(popup, 1);
    // The page must be in front for its timers to run at full rate; the popup's tab answers scripts meanwhile.
    await page.bringToFront();
    const latencies: number[] = [];
    let churning = true;
    const probe = (async () => {
      while (churning) {
        const sent = Date.now();
        await popup.evaluate(() => document.querySelectorAll('[data-testid="run-summary"]').length);
        latencies.push(Date.now() - sent);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    type Churned = { mutations: number; added: number };
    const { mutations, added } = await page.evaluate(() =>
      (window as unknown as { churn(s: number): Promise<Churned> }).churn(10),
    );
    churning = false;
    await probe;
    console.log('live churn in Firefox:', JSON.stringify({ mutations, added, popupMaxMs: Math.max(...latencies) }));
    expect(mutations).toBeGreaterThanOrEqual(9000);
    expect(added).toBeGreaterThanOrEqual(90);
    await popup.bringToFront();
    await waitForDone(popup, 1 + added, 30_000);
    expect((await readSummary(popup)).ok).toBe(String(1 + added));
    // The popup answered throughout: no script of it waited long behind the stream of updates.
    expect(Math.max(...latencies)).toBeLessThan(500);
    // Nobody looks: the popup closed and the run done. The page goes on changing; nothing follows it.
    await popup.close();
    await new Promise((r) => setTimeout(r, 1500));
    const before = server.requestsTo('/ok?churn=').length;
    await page.bringToFront();
    await page.evaluate(() => (window as unknown as { churn(s: number): Promise<unknown> }).churn(3));
    await new Promise((r) => setTimeout(r, 1000));
    expect(server.requestsTo('/ok?churn=').length).toBe(before);
    await page.close();
  });
});

async function openReport(tabId: number): Promise<Page> {
  const report = await openExtensionPage(ff, `/report.html?tab=${tabId}`);
  await report.waitForSelector('[data-testid="run-summary"]', { timeout: 15_000 });
  return report;
}
