// History as a person meets it: check a page, the site changes, check again after the background was stopped; each row
// says what changed and the summary counts the new problems; an ignored link is skipped on the next check.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  tabIdOf,
  waitForState,
  writeSettings,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
let pageUrl: string;
const link = (key: string) => server.url(`/changeable/${key}`, 'links.test');

/** Rows of the report page as url key → [verdict, reason, change]. */
async function changes(report: Page): Promise<Record<string, string[]>> {
  const rows = await report.$$eval('[data-testid="link-row"]', (els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return [d.url ?? '', d.verdict ?? '', d.reason ?? '', d.change ?? 'MISSING'] as const;
    }),
  );
  return Object.fromEntries(rows.map(([url, ...rest]) => [url.slice(url.lastIndexOf('/') + 1), rest]));
}

const newProblems = (p: Page) =>
  p.$eval('[data-testid="run-summary"]', (el) => (el as HTMLElement).dataset.newProblems ?? 'MISSING');

/** Stops the service worker as Chrome does when it idles; the next event starts it afresh. */
async function stopWorker(): Promise<void> {
  await (await ext.worker()).close();
}

/** Leaves the page and comes back: the tab's run is forgotten, so the popup starts a new check at once. */
async function checkAgain(expectedTotal: number): Promise<Page> {
  await page.goto(server.url('/ok', 'elsewhere.test'));
  await page.goto(pageUrl);
  const popup = await openPopup(ext, page);
  await popup.waitForSelector(`[data-testid="run-summary"][data-state="done"][data-total="${expectedTotal}"]`, {
    timeout: 60_000,
  });
  return popup;
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  // Fresh answers on every check: the recent-results cache would otherwise hide the site's change.
  await writeSettings(ext, { cacheMinutes: 0 });
  server.setAnswer('heals', 404);
  server.setAnswer('known-blocked', 403);
  server.setChangingPage(['stays', 'breaks', 'heals', 'removed', 'known-blocked'].map(link));
  page = await ext.browser.newPage();
  pageUrl = server.url('/changing-page', 'site.test');
  await page.goto(pageUrl);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('history of a page', () => {
  let report: Page;

  it('shows no change on the first check of a page', async () => {
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    expect(await newProblems(popup)).toBe('0');
    await popup.close();
    report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    expect(await changes(report)).toEqual({
      stays: ['ok', '', ''],
      breaks: ['ok', '', ''],
      heals: ['broken', 'status', ''],
      removed: ['ok', '', ''],
      'known-blocked': ['blocked', 'auth', ''],
    });
    expect(await newProblems(report)).toBe('0');
    await report.close();
  });

  it('marks each link new, newly broken or fixed on the next check, after the background was stopped', async () => {
    server.setAnswer('breaks', 404);
    server.setAnswer('heals', 200);
    server.setAnswer('added-broken', 410);
    server.setChangingPage(['stays', 'breaks', 'heals', 'known-blocked', 'added-broken', 'added-ok'].map(link));
    await stopWorker();
    const popup = await checkAgain(6);
    // breaks (ok → broken) and added-broken (not on the page before, broken now).
    expect(await newProblems(popup)).toBe('2');
    await popup.click('[data-testid="chip-new-problems"]');
    const shown = await popup.$$eval('[data-testid="popup-row"]', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.url?.split('/').pop()).sort(),
    );
    expect(shown).toEqual(['added-broken', 'breaks']);
    await popup.close();
    report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    expect(await changes(report)).toEqual({
      stays: ['ok', '', ''],
      breaks: ['broken', 'status', 'newly-broken'],
      heals: ['ok', '', 'fixed'],
      'known-blocked': ['blocked', 'auth', ''],
      'added-broken': ['broken', 'status', 'new'],
      'added-ok': ['ok', '', 'new'],
    });
    expect(await newProblems(report)).toBe('2');
  });

  it('skips an ignored link on the next check of that site, without asking its server', async () => {
    const row = `[data-testid="link-row"][data-url="${link('known-blocked')}"]`;
    await report.click(`${row} [data-testid="ignore"]`);
    await report.type(`${row} [data-testid="ignore-note"]`, 'needs a login');
    await report.click(`${row} [data-testid="ignore-confirm"]`);
    await report.waitForSelector(`${row} [data-testid="unignore"]`);
    await stopWorker();
    server.resetStats();
    const popup = await checkAgain(6);
    await popup.close();
    await report.close();
    report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    expect((await changes(report))['known-blocked']).toEqual(['skipped', 'ignored', '']);
    expect(server.requestsTo('/changeable/known-blocked')).toEqual([]);
    expect(server.requestsTo('/changeable/stays').length).toBeGreaterThan(0);
    expect(await newProblems(report)).toBe('0');
  });

  it('lists the page’s past checks with a trend, and opens any one’s full report', async () => {
    await report.click('[data-testid="open-history"]');
    await report.waitForSelector('[data-testid="history-run"]');
    const runs = await report.$$eval('[data-testid="history-run"]', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.problems),
    );
    // Newest first: the check with the ignored link (2 broken), the changed site (2 broken + 1 blocked), the first.
    expect(runs).toEqual(['2', '3', '2']);
    expect(await report.$('[data-testid="history-trend"] polyline')).not.toBeNull();
    const href = await report.$$eval(
      '[data-testid="history-open"]',
      (links) => (links.at(-1) as HTMLAnchorElement).href,
    );
    const past = await ext.browser.newPage();
    await past.goto(href);
    await past.waitForSelector('[data-testid="past-run"]');
    await waitForState(past, 'done');
    expect(Object.keys(await changes(past)).sort()).toEqual(['breaks', 'heals', 'known-blocked', 'removed', 'stays']);
    await past.close();
  });
});

describe('history on the options page', () => {
  let options: Page;
  const site = () => new URL(pageUrl).host;

  beforeAll(async () => {
    options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.waitForSelector('[data-testid="history-page"]');
  });

  it('lists the ignored link under its site, and un-ignores it', async () => {
    const listed = await options.$$eval('[data-testid="ignored-link"]', (items) =>
      items.map((li) => [li.closest('[data-site]')?.getAttribute('data-site'), (li as HTMLElement).dataset.url]),
    );
    expect(listed).toEqual([[site(), link('known-blocked')]]);
    await options.click('[data-testid="options-unignore"]');
    await options.waitForFunction(() => document.querySelectorAll('[data-testid="ignored-link"]').length === 0, {
      polling: 100,
    });
    // The next check asks the server again.
    server.resetStats();
    const popup = await checkAgain(6);
    await popup.close();
    expect(server.requestsTo('/changeable/known-blocked').length).toBeGreaterThan(0);
  });

  it('clears one page’s history, then everything', async () => {
    // A second page of the same site, so that clearing one page leaves another.
    await page.goto(server.url('/changing-page?second', 'site.test'));
    const second = await openPopup(ext, page);
    await waitForState(second, 'done');
    await second.close();
    await options.bringToFront();
    await options.reload();
    await options.waitForFunction(() => document.querySelectorAll('[data-testid="history-page"]').length === 2, {
      timeout: 20_000,
      polling: 100,
    });
    await options.click(`[data-testid="history-page"][data-url="${pageUrl}"] [data-testid="clear-history-page"]`);
    await options.waitForFunction(() => document.querySelectorAll('[data-testid="history-page"]').length === 1, {
      timeout: 20_000,
      polling: 100,
    });
    await options.click('[data-testid="clear-history-all"]');
    await options.waitForSelector('[data-testid="history-none"]', { timeout: 20_000 });
    // With no previous run kept, the next check compares with nothing.
    const popup = await checkAgain(6);
    expect(await newProblems(popup)).toBe('0');
    expect(await popup.$('[data-testid="chip-new-problems"]')).toBeNull();
    await popup.close();
  });
});
