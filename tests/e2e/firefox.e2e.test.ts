// The same extension in Firefox ESR, driven over WebDriver BiDi: built for Firefox, linted by web-ext, installed as
// a temporary add-on, and giving the same verdicts as Chromium on the same fixture page.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { readRows, readSummary, waitForState } from './harness';
import {
  FIREFOX_EXTENSION_DIR,
  type FirefoxWithExtension,
  firefoxTabId,
  launchFirefox,
  openExtensionPage,
  openFirefoxPopup,
} from './harness-firefox';

const ROOT = resolve(import.meta.dirname, '../..');
const bin = (name: string) => resolve(ROOT, 'node_modules/.bin', name);

let server: FixtureServer;
let ff: FirefoxWithExtension;

beforeAll(async () => {
  server = await startFixtureServer();
  // nx.test is left out on purpose: it must not resolve.
  ff = await launchFirefox(['site.test', 'a.test', 'b.test', 'c.test', 'd.test', 'ext.test']);
}, 120_000);
afterAll(async () => {
  await ff?.close();
  await server?.close();
});

describe('the Firefox build', () => {
  it('passes web-ext lint with no error, warning or notice', () => {
    const out = execFileSync(bin('web-ext'), ['lint', '--source-dir', FIREFOX_EXTENSION_DIR, '--output', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const report = JSON.parse(out.slice(out.indexOf('{'))) as {
      errors: unknown[];
      warnings: unknown[];
      notices: unknown[];
    };
    // Preact's one innerHTML assignment (dangerouslySetInnerHTML, never used) is taken out at build: see wxt.config.ts.
    expect({ errors: report.errors, warnings: report.warnings, notices: report.notices }).toEqual({
      errors: [],
      warnings: [],
      notices: [],
    });
  });
});

describe('a check in Firefox', () => {
  let page: Page;
  let tabId: number;

  it('gives the same verdicts as Chromium on the demo page', async () => {
    page = await ff.browser.newPage();
    // The person is signed in to a.test: the browser holds its session cookie (see the cookie test below).
    await page.goto(server.url('/set-cookie', 'a.test'));
    const url = server.url('/pages/basic.html', 'site.test');
    await page.goto(url);
    tabId = await firefoxTabId(ff, url);
    const popup = await openFirefoxPopup(ff, tabId);
    expect((await readSummary(popup)).state).toBe('running');
    await waitForState(popup, 'done', 60_000);
    expect(await readSummary(popup)).toEqual({
      state: 'done',
      total: '34',
      checked: '34',
      ok: '20',
      redirected: '1',
      broken: '4',
      blocked: '2',
      error: '3',
      skipped: '4',
    });
    await popup.close();

    const report = await openExtensionPage(ff, `/report.html?tab=${tabId}`);
    await waitForState(report, 'done');
    const rows = await readRows(report);
    const at = (path: string, host: string) => server.url(path, host);
    const expected: [string, string, string, string][] = [
      [at('/ok', 'a.test'), 'ok', '200', ''],
      [at('/head-405', 'a.test'), 'ok', '200', ''],
      [at('/redirect/2', 'a.test'), 'redirected', '200', 'redirect'],
      [at('/status/404', 'a.test'), 'broken', '404', 'status'],
      [at('/status/500', 'a.test'), 'broken', '500', 'status'],
      [at('/doc-with-ids#nope', 'a.test'), 'broken', '200', 'fragment-missing'],
      [at('/auth', 'b.test'), 'blocked', '401', 'auth'],
      [at('/bot-challenge', 'b.test'), 'blocked', '403', 'bot-challenge'],
      [at('/hang', 'b.test'), 'error', '', 'timeout'],
      // Firefox names these NS_ERROR_NET_RESET and NS_ERROR_UNKNOWN_HOST; they map to the same reasons.
      [at('/reset', 'a.test'), 'error', '', 'connection'],
      [at('/', 'nx.test'), 'error', '', 'dns'],
      ['mailto:someone@example.com', 'skipped', '', 'scheme'],
      [at('/ok', '127.0.0.1'), 'skipped', '', 'private-network'],
      [at('/ok?from=shadow', 'd.test'), 'ok', '200', ''],
    ];
    for (const [url, verdict, status, reason] of expected) {
      expect(rows.get(url), url).toMatchObject({ verdict, status, reason });
    }
    expect(rows.get(at('/redirect/2', 'a.test'))?.finalUrl).toBe(at('/ok', 'a.test'));
    // Firefox's webRequest shows the extension's own redirect hops too (matched by originUrl, not initiator).
    const hops = await report.$eval(
      `[data-testid="link-row"][data-url="${at('/redirect/2', 'a.test')}"]`,
      (el) => (el as HTMLElement).dataset.redirects,
    );
    expect(hops).toBe('2');
    // The reason cell's title carries Firefox's own words: each hop, then the NS_ERROR_* name of a failure.
    const trail = (url: string) =>
      report.$eval(`[data-testid="link-row"][data-url="${url}"] td.reason`, (td) => td.getAttribute('title'));
    expect(await trail(at('/redirect/2', 'a.test'))).toBe(
      [`302 ${at('/redirect/2', 'a.test')}`, `302 ${at('/redirect/1', 'a.test')}`, `200 ${at('/ok', 'a.test')}`].join(
        '\n',
      ),
    );
    expect(await trail(at('/', 'nx.test'))).toMatch(/NS_ERROR_UNKNOWN_HOST/);
    expect(await trail(at('/reset', 'a.test'))).toMatch(/NS_ERROR_NET_(RESET|INTERRUPT|PARTIAL_TRANSFER)/);
    await report.close();
  });

  it('never sent more than 6 requests at once to one host', () => {
    for (const max of Object.values(server.maxInFlightByHost())) expect(max).toBeLessThanOrEqual(6);
  });

  it("sent none of the person's cookies with its checks (the default), though the browser holds one", async () => {
    // The browser's own requests (the sign-in page and its icon) are not checks.
    const browsers = ['/set-cookie', '/favicon.ico'];
    const checks = server.requests.filter((r) => r.host === 'a.test' && !browsers.includes(r.path));
    expect(checks.length).toBeGreaterThan(3);
    expect(checks.filter((r) => r.headers.cookie !== undefined).map((r) => r.path)).toEqual([]);
    // The control: the browser's own visit to the same host carries the cookie.
    const visit = await ff.browser.newPage();
    await visit.goto(server.url('/ok?a-visit', 'a.test'));
    expect(server.requests.find((r) => r.host === 'a.test' && r.path === '/ok?a-visit')?.headers.cookie).toBe(
      'session=1',
    );
    await visit.close();
  });
});

describe('a site check in Firefox', () => {
  let crawl: Page;

  it('crawls the fixture site as in Chromium: the same pages, skipped kinds and verdicts', async () => {
    const at = (path: string, host = 'site.test') => server.url(path, host);
    const page = await ff.browser.newPage();
    const start = at('/site/?firefox');
    await page.goto(start);
    const tabId = await firefoxTabId(ff, start);
    const options = {
      maxDepth: 3,
      maxPages: 500,
      samePathOnly: false,
      useSitemap: true,
      respectRobots: true,
      asMe: false,
    };
    // What the popup's "Check this site" opens (see entrypoints/popup/main.tsx).
    crawl = await openExtensionPage(
      ff,
      `/crawl.html?tab=${tabId}&start=${encodeURIComponent(JSON.stringify(options))}`,
    );
    await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="done"]', { timeout: 90_000 });
    const rows = async (testid: string) =>
      new Map(
        (
          await crawl.$$eval(`[data-testid="${testid}"]`, (els) =>
            els.map((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>),
          )
        ).map((r) => [r.url ?? '', r]),
      );
    const pages = await rows('page-row');
    const links = await rows('link-row');
    for (const path of ['/site/d1', '/site/d2', '/site/d3', '/site/about', '/site/from-sitemap']) {
      expect(pages.get(at(path))?.status, path).toBe('200');
    }
    expect(pages.has(at('/site/d4'))).toBe(false);
    expect(links.get(at('/site/logout'))).toMatchObject({ verdict: 'skipped', reason: 'state-changing' });
    expect(links.get(at('/site/nofollow-target'))).toMatchObject({ verdict: 'skipped', reason: 'nofollow' });
    expect(links.get(at('/site/private/secret'))).toMatchObject({ verdict: 'skipped', reason: 'robots' });
    expect(
      server.requests.some((r) => ['/site/logout', '/site/nofollow-target', '/site/private/secret'].includes(r.path)),
    ).toBe(false);
    expect(links.get(at('/site/missing'))).toMatchObject({ verdict: 'broken', status: '404' });
    expect(links.get(at('/site/members'))).toMatchObject({ verdict: 'blocked', status: '403' });
    expect(links.get(at('/status/404', 'ext.test'))).toMatchObject({ verdict: 'broken', status: '404' });
    expect(links.get(at('/site/about#nobody'))).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
  });

  it('lists the check on screen in the open history panel once it is kept after its end, as in Chromium', async () => {
    // The word that the history changed goes over a BroadcastChannel from the background page to the crawl page.
    await crawl.click('[data-testid="open-history"]');
    await crawl.waitForSelector('[data-testid="history-run"][aria-current="true"]', { timeout: 20_000 });
    await crawl.click('[data-testid="crawl-again"]');
    await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="running"]', { timeout: 20_000 });
    await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="done"]', { timeout: 90_000 });
    await crawl.waitForFunction(
      () =>
        document.querySelectorAll('[data-testid="history-run"]').length === 2 &&
        document.querySelector('[data-testid="history-run"]')?.getAttribute('aria-current') === 'true',
      { timeout: 20_000 },
    );
  });
});
