// Site checks in the history, as a person meets them: check a site, the site changes, check it again after the
// background was stopped; each link row says what changed since the last site check, and the history lists both checks
// with their counts, each opening its crawl page; the page's report lists them too.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openReport,
  siteCheckDone,
  startSiteCheck,
  tabIdOf,
  writeSettings,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
let crawl: Page;
let startUrl: string;
const link = (key: string) => server.url(`/changeable/${key}`, 'links.test');

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  // Fresh answers on every check: the recent-results cache would otherwise hide the site's change.
  await writeSettings(ext, { cacheMinutes: 0 });
  server.setAnswer('heals', 404);
  server.setChangingPage(['stays', 'breaks', 'heals', 'removed'].map(link));
  page = await ext.browser.newPage();
  startUrl = server.url('/changing-page', 'site.test');
  await page.goto(startUrl);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

/** The changeable links' rows of a crawl page, as key → change; every link row has a data-change. */
async function changes(p: Page): Promise<Record<string, string>> {
  const rows = await p.$$eval('[data-testid="link-row"]', (els) =>
    els.map((el) => [(el as HTMLElement).dataset.url ?? '', (el as HTMLElement).dataset.change ?? 'MISSING'] as const),
  );
  for (const [url, change] of rows) expect(change, url).not.toBe('MISSING');
  return Object.fromEntries(
    rows.filter(([url]) => url.includes('/changeable/')).map(([url, change]) => [url.split('/').pop(), change]),
  );
}

const summaryOf = (p: Page) =>
  p.$eval('[data-testid="crawl-summary"]', (el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);

/** The site checks the crawl page's history panel lists, newest first. */
async function listedChecks(p: Page, count: number): Promise<Record<string, string>[]> {
  await p.bringToFront();
  const open = await p.$eval('details.history-panel', (d) => (d as HTMLDetailsElement).open);
  if (!open) await p.click('[data-testid="open-history"]');
  await p.waitForFunction(
    (n) => document.querySelectorAll('[data-testid="history-run"][data-kind="site"]').length === n,
    { timeout: 20_000 },
    count,
  );
  return p.$$eval('[data-testid="history-run"]', (rows) =>
    rows.map((r) => ({
      ...(r as HTMLElement).dataset,
      current: r.getAttribute('aria-current') ?? '',
      href: r.querySelector<HTMLAnchorElement>('[data-testid="history-open"]')?.href ?? '',
    })),
  );
}

/** Clicks "Check this site" in the popup of the checked page; returns the crawl page it opens. */
const startCrawl = () => startSiteCheck(ext, page);

describe('site checks in the history', () => {
  it('compares nothing on the first site check of a start page', async () => {
    crawl = await startCrawl();
    await siteCheckDone(crawl);
    expect(await changes(crawl)).toEqual({ stays: '', breaks: '', heals: '', removed: '' });
    expect((await summaryOf(crawl)).newProblems).toBe('0');
    expect(await crawl.$('[data-testid="compared-with"]')).toBeNull();
  });

  it('marks each link new, newly broken or fixed against the previous site check, after the background was stopped', async () => {
    server.setAnswer('breaks', 500);
    server.setAnswer('heals', 200);
    server.setAnswer('joins', 404);
    server.setChangingPage(['stays', 'breaks', 'heals', 'joins'].map(link));
    // Chrome stops an idle worker the same way: the next site check must find the first one in IndexedDB.
    await crawl.close();
    await (await ext.worker()).close();
    // The page loading again wakes the worker (as any event does), so the popup can be opened on it.
    await page.reload();
    crawl = await startCrawl();
    await crawl.waitForSelector('[data-testid="compared-with"]', { timeout: 30_000 });
    await siteCheckDone(crawl);
    expect(await changes(crawl)).toEqual({ stays: '', breaks: 'newly-broken', heals: 'fixed', joins: 'new' });
    // The link that broke and the new link that is broken; the fixed one is not a problem.
    expect((await summaryOf(crawl)).newProblems).toBe('2');
  });

  it('lists both site checks of the start page with their counts, and opens the earlier one', async () => {
    const [latest, first, ...rest] = await listedChecks(crawl, 2);
    expect(rest).toEqual([]);
    // Newest first: the one on screen (breaks and joins broken), then the first (heals broken).
    expect(latest).toMatchObject({ kind: 'site', problems: '2', current: 'true', href: '' });
    expect(first).toMatchObject({ kind: 'site', problems: '1', current: '' });
    expect(first?.href).toContain('/crawl.html?crawl=');

    const past = await ext.browser.newPage();
    await past.goto(first?.href ?? '');
    await past.waitForSelector('[data-testid="past-crawl"]');
    await siteCheckDone(past);
    // The first check as it was: the removed link still there, the new one not yet, nothing compared.
    expect(await changes(past)).toEqual({ stays: '', breaks: '', heals: '', removed: '' });
    const rows = await past.$$eval('[data-testid="link-row"]', (els) =>
      Object.fromEntries(els.map((el) => [(el as HTMLElement).dataset.url, (el as HTMLElement).dataset.verdict])),
    );
    expect(rows[link('heals')]).toBe('broken');
    expect(rows[link('breaks')]).toBe('ok');
    expect(await past.$('[data-testid="crawl-again"]')).toBeNull();
    // Its own history panel marks it as the one shown.
    const listed = await listedChecks(past, 2);
    expect(listed.map((r) => r.current)).toEqual(['', 'true']);
    await past.close();
  });

  it('lists the site checks from a page in that page’s report history too', async () => {
    const report = await openReport(ext, await tabIdOf(ext, page));
    await report.click('[data-testid="open-history"]');
    await report.waitForSelector('[data-testid="history"][data-kind="site"] [data-testid="history-run"]', {
      timeout: 20_000,
    });
    const sites = await report.$$eval('[data-testid="history"][data-kind="site"] [data-testid="history-run"]', (rows) =>
      rows.map((r) => [
        (r as HTMLElement).dataset.problems,
        r.querySelector<HTMLAnchorElement>('[data-testid="history-open"]')?.href ?? '',
      ]),
    );
    expect(sites.map(([problems]) => problems)).toEqual(['2', '1']);
    for (const [, href] of sites) expect(href).toContain('/crawl.html?crawl=');
    await report.close();
  });

  it('clears a page’s site checks with its history on the options page: gone from the list and from their address', async () => {
    const [, first] = await listedChecks(crawl, 2);
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    const entry = `[data-testid="history-page"][data-url="${startUrl}"]`;
    await options.waitForSelector(entry, { timeout: 20_000 });
    expect(await options.$eval(entry, (li) => (li as HTMLElement).dataset.siteChecks)).toBe('2');
    await options.click(`${entry} [data-testid="clear-history-page"]`);
    await options.waitForSelector('[data-testid="history-none"]', { timeout: 20_000 });
    await options.close();

    const gone = await ext.browser.newPage();
    await gone.goto(first?.href ?? '');
    await gone.waitForSelector('[data-testid="unavailable"]');
    expect(await gone.$('[data-testid="link-row"]')).toBeNull();
    await gone.close();
    // The crawl page still shows the check it has, and lists none kept.
    await crawl.reload();
    await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="done"]', { timeout: 20_000 });
    await crawl.click('[data-testid="open-history"]');
    await crawl.waitForSelector('[data-testid="history-empty"][data-kind="site"]', { timeout: 20_000 });
  });

  it('lists the check on screen once it has finished while the panel was open', async () => {
    // The panel is open and lists nothing kept; Check again starts a check, which is kept only after it ends.
    expect(await crawl.$eval('details.history-panel', (d) => (d as HTMLDetailsElement).open)).toBe(true);
    await crawl.click('[data-testid="crawl-again"]');
    await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="running"]', { timeout: 20_000 });
    await siteCheckDone(crawl);
    // Left open, the panel lists it as the one shown, without being opened again.
    const [kept, ...rest] = await listedChecks(crawl, 1);
    expect(rest).toEqual([]);
    expect(kept).toMatchObject({ kind: 'site', problems: '2', current: 'true', href: '' });
  });
});
