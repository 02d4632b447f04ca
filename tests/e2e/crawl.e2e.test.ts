// The site check, as a person starts it: "Check this site" in the popup, then the crawl page it opens.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import { type ExtensionBrowser, launchWithExtension, siteCheckDone, startSiteCheck, writeSettings } from './harness';
import { BROKEN, colourMeter } from './page-colour';

let server: FixtureServer;
let ext: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const site = (path: string) => server.url(path, 'site.test');
const shareOfColour = colourMeter(() => ext);

type Rows = Map<string, Record<string, string>>;
async function rowsOf(page: Page, testid: 'link-row' | 'page-row'): Promise<Rows> {
  const rows = await page.$$eval(`[data-testid="${testid}"]`, (els) =>
    els.map((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>),
  );
  return new Map(rows.map((r) => [r.url ?? '', r]));
}

/** Starts a site check from `page` (after the options `prepare` sets); returns its crawl page once it shows one. */
async function startCrawl(page: Page, prepare?: (popup: Page) => Promise<void>): Promise<Page> {
  const crawl = await startSiteCheck(ext, page, { prepare });
  await crawl.waitForSelector('[data-testid="crawl-summary"]', { timeout: 15_000 });
  return crawl;
}

describe('check this site', () => {
  let crawl: Page;
  let links: Rows;
  let pages: Rows;

  beforeAll(async () => {
    server.resetStats();
    const page = await ext.browser.newPage();
    await page.goto(site('/site/'));
    crawl = await startCrawl(page);
    await siteCheckDone(crawl);
    links = await rowsOf(crawl, 'link-row');
    pages = await rowsOf(crawl, 'page-row');
  });

  it('fetches the pages of depth 0–3 from the current page, and checks every link once', async () => {
    const summary = await crawl.$eval('[data-testid="crawl-summary"]', (el) => ({ ...(el as HTMLElement).dataset }));
    expect(Number(summary.pages)).toBe(pages.size);
    expect(summary.queued).toBe('0');
    expect(Number(summary.total)).toBe(links.size);
    expect(summary.checked).toBe(summary.total);
    for (const path of ['/site/', '/site/d1', '/site/d2', '/site/d3', '/site/from-sitemap']) {
      expect(pages.get(site(path))?.status, path).toBe('200');
    }
    expect(pages.get(site('/site/'))?.links).toBe('16');
    expect(pages.has(site('/site/d4'))).toBe(false);
    expect(links.get(site('/site/d4'))?.verdict).toBe('ok');
    expect(server.requests.some((r) => r.path === '/site/d5')).toBe(false);
    // Pages the start page does not link (its own page check, the popup's, requests those it does) are fetched once.
    for (const path of ['/site/d2', '/site/d3', '/site/loop-b']) {
      expect(
        server.requests.filter((r) => r.host === 'site.test' && r.path === path),
        path,
      ).toHaveLength(1);
    }
  });

  it('never requests logout, delete, nofollow or robots-disallowed links: skipped rows with their reason', () => {
    for (const [path, reason] of [
      ['/site/logout', 'state-changing'],
      ['/site/account?action=delete', 'state-changing'],
      ['/site/nofollow-target', 'nofollow'],
      ['/site/private/secret', 'robots'],
    ]) {
      expect(links.get(site(path as string)), path).toMatchObject({ verdict: 'skipped', reason });
      expect(server.requests.some((r) => r.path === path)).toBe(false);
    }
  });

  it('gives each link the verdicts of a page check, with the number of pages that hold it', () => {
    expect(links.get(site('/site/missing'))).toMatchObject({ verdict: 'broken', status: '404' });
    expect(links.get(site('/site/moved'))).toMatchObject({ verdict: 'redirected', finalUrl: site('/site/about') });
    expect(links.get(site('/site/about#nobody'))).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    expect(links.get(site('/site/members'))).toMatchObject({ verdict: 'blocked', status: '403' });
    expect(links.get(server.url('/status/404', 'ext.test'))).toMatchObject({ verdict: 'broken', status: '404' });
    // On the start page and on About (the docs pages do not link it).
    expect(links.get(server.url('/ok', 'ext.test'))?.sources).toBe('2');
    expect(Number(links.get(site('/site/'))?.sources)).toBeGreaterThanOrEqual(2);
  });

  /** Clicks a problem row's source page; returns the tab it opens and the row's status of it once settled. */
  async function openSource(link: string, source: string): Promise<{ tab: Page; status: Record<string, string> }> {
    const before = new Set(ext.browser.targets());
    const opened = ext.browser.waitForTarget((t) => !before.has(t) && t.type() === 'page' && t.url() === source, {
      timeout: 15_000,
    });
    const row = `[data-testid="link-row"][data-url="${link}"]`;
    // As the person sees it: the crawl page in front (a page in the background draws no frame to click on).
    await crawl.bringToFront();
    await crawl.click(`${row} [data-testid="open-source"][data-url="${source}"]`);
    const tab = (await (await opened).asPage()) as Page;
    // Read from here: the crawl page is behind the new tab now, and a page in the background runs no animation frame.
    const statusOf = () =>
      crawl.$$eval(`${row} [data-testid="source-status"]`, (els) =>
        els.map((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>),
      );
    let status: Record<string, string> = {};
    await until(
      async () => {
        status = (await statusOf())[0] ?? {};
        return status.state !== undefined && status.state !== 'opening';
      },
      'the row says what became of the source page',
      45_000,
    );
    return { tab, status };
  }

  it('opens a source page with the link scrolled into view and outlined, where the page cannot read it', async () => {
    const gone = site('/site/gone-far');
    expect(links.get(gone)).toMatchObject({ verdict: 'broken', status: '404' });
    const { tab, status } = await openSource(gone, site('/site/long'));
    // Both places the page holds it are marked; the first is scrolled to.
    expect(status).toMatchObject({ state: 'shown', count: '2' });
    expect(await tab.evaluate(() => window.scrollY)).toBeGreaterThan(3000);
    // Outlined in the verdict's colour once the first flash is over.
    await until(async () => (await shareOfColour(tab, '#far', BROKEN)) > 0.05, 'the link is outlined in red');
    const seen = await tab.evaluate(() => {
      const far = document.querySelector('#far') as HTMLElement;
      const added = document.documentElement.lastElementChild as HTMLElement;
      return {
        farAttributes: far.getAttributeNames(),
        farOutline: getComputedStyle(far).outlineStyle,
        added: { tag: added.tagName, attributes: added.getAttributeNames(), openRoot: added.shadowRoot !== null },
        text: added.textContent,
      };
    });
    // Nothing on the page's own link; the one element added has nothing a page script can read.
    expect(seen).toEqual({
      farAttributes: ['id', 'href'],
      farOutline: 'none',
      added: { tag: 'DIV', attributes: ['style'], openRoot: false },
      text: '',
    });
    await tab.close();
  });

  it('says so when the page, as the browser shows it, lacks the link the crawl read there', async () => {
    const scripted = site('/site/gone-scripted');
    const { tab, status } = await openSource(scripted, site('/site/long'));
    expect(status.state).toBe('not-found');
    expect(await tab.evaluate(() => document.documentElement.lastElementChild?.tagName)).toBe('BODY');
    await tab.close();
  });

  it('exports the whole site check, with its pages and where each link was found', async () => {
    const before = new Set(readdirSync(ext.downloadDir));
    await crawl.bringToFront();
    await crawl.click('[data-testid="export-json"]');
    const deadline = Date.now() + 15_000;
    let file = '';
    while (Date.now() < deadline && !file) {
      const fresh = readdirSync(ext.downloadDir).find((f) => f.endsWith('.json') && !before.has(f));
      if (fresh && statSync(join(ext.downloadDir, fresh)).size > 0) file = join(ext.downloadDir, fresh);
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(existsSync(file)).toBe(true);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.page.url).toBe(site('/site/'));
    expect(json.site.pages).toHaveLength(pages.size);
    expect(json.links).toHaveLength(links.size);
    const missing = json.links.find((l: { url: string }) => l.url === site('/site/missing'));
    expect(missing.sources.map((s: { page: string }) => s.page)).toEqual([site('/site/')]);
    for (const format of ['csv', 'md', 'html']) {
      expect(await crawl.$(`[data-testid="export-${format}"]`)).not.toBeNull();
    }
  });
});

describe('a site check too big for one message', () => {
  it('reaches its crawl page whole, though its rows weigh more than the 64 MiB Chromium lets a message carry', async () => {
    // The site check above is stored; a copy of it for a tab of its own is given 2 000 links, each held by 20 pages
    // with long addresses (a site whose URLs carry long query strings): ~80 MB of rows, in the stored format.
    const tab = 987_654;
    const crawl = await ext.browser.newPage();
    await crawl.goto(`chrome-extension://${ext.extensionId}/crawl.html?tab=${tab}`);
    // None yet for that tab; the background has opened its database to look.
    await crawl.waitForSelector('[data-testid="unavailable"]', { timeout: 15_000 });
    const weight = await crawl.evaluate(async (tabId: number) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('linkpulse');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const request = <T>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      const tx = db.transaction(['crawls', 'crawlChunks'], 'readwrite');
      const metas = (await request(tx.objectStore('crawls').getAll())) as { crawlId: string; state: string }[];
      const done = metas.find((m) => m.state === 'done');
      if (!done) throw new Error('no finished site check stored');
      const chunks = (await request(tx.objectStore('crawlChunks').index('byCrawl').getAll(done.crawlId))) as {
        kind: string;
        index: number;
        rows: string;
      }[];
      const linkChunk = chunks.find((c) => c.kind === 'links' && c.index === 0);
      if (!linkChunk) throw new Error('no link rows stored');
      const model = JSON.parse(linkChunk.rows)[0];
      const crawlId = 'too-big-for-one-message';
      const long = 'x'.repeat(2_000);
      const links = Array.from({ length: 2_000 }, (_, i) => ({
        ...model,
        url: `https://big.test/link/${i}`,
        sources: Array.from({ length: 20 }, (_, k) => ({
          page: `https://big.test/page/${k}?q=${long}`,
          text: `l${i}`,
        })),
        sourceCount: 20,
      }));
      let chars = 0;
      for (let index = 0; index * 500 < links.length; index++) {
        const rows = JSON.stringify(links.slice(index * 500, (index + 1) * 500));
        chars += rows.length;
        tx.objectStore('crawlChunks').put({ crawlId, kind: 'links', index, rows });
      }
      for (const c of chunks.filter((c) => c.kind === 'pages')) {
        tx.objectStore('crawlChunks').put({ ...c, crawlId });
      }
      tx.objectStore('crawls').put({ ...done, crawlId, tabId, startedAt: Date.now() });
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      return chars;
    }, tab);
    expect(weight).toBeGreaterThan(64 * 1024 * 1024);
    await crawl.reload();
    await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="done"][data-total="2000"]', {
      timeout: 60_000,
    });
    const rows = await rowsOf(crawl, 'link-row');
    expect(rows.size).toBe(2_000);
    expect(rows.get('https://big.test/link/1999')?.sources).toBe('20');
    await crawl.close();
  });
});

describe('check this site as me', () => {
  it("sends the person's cookies to the site's own pages only when asked", async () => {
    // Nothing from the first site check's cache: every external link is asked again, so its cookies can be seen.
    await writeSettings(ext, { cacheMinutes: 0 });
    const page = await ext.browser.newPage();
    // The person signs in to both sites: each sets its session cookie in the browser.
    await page.goto(server.url('/set-cookie', 'ext.test'));
    await page.goto(site('/set-cookie'));
    // Another address than the first test's tab, so that the test finds this tab by its URL.
    await page.goto(site('/site/?signed-in'));
    server.resetStats();
    const crawl = await startCrawl(page, async (popup) => {
      await popup.click('.site-check summary');
      await popup.click('[data-testid="crawl-as-me"]');
      await popup.evaluate(() => {
        const depth = document.querySelector('[data-testid="crawl-depth"]') as HTMLInputElement;
        depth.value = '1';
        depth.dispatchEvent(new Event('input', { bubbles: true }));
      });
    });
    await siteCheckDone(crawl);
    const pages = await rowsOf(crawl, 'page-row');
    const links = await rowsOf(crawl, 'link-row');
    expect(pages.get(site('/site/members'))?.status).toBe('200');
    expect(links.get(site('/site/members'))?.verdict).toBe('ok');
    // Depth 1: the members page is fetched, its own links are checked but not followed.
    expect(pages.has(site('/site/members/area'))).toBe(false);
    const external = server.requests.filter((r) => r.host === 'ext.test');
    expect(external.length).toBeGreaterThan(0);
    expect(external.every((r) => r.headers.cookie === undefined)).toBe(true);
    expect(server.requests.some((r) => r.host === 'site.test' && /session=1/.test(r.headers.cookie ?? ''))).toBe(true);
  });
});

describe('a long site check', () => {
  it('pauses, resumes, and goes on after the service worker is stopped mid-crawl', async () => {
    const page = await ext.browser.newPage();
    await page.goto(site('/site/wide/'));
    server.resetStats();
    const crawl = await startCrawl(page);
    const summary = () => crawl.$eval('[data-testid="crawl-summary"]', (el) => ({ ...(el as HTMLElement).dataset }));
    await crawl.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="crawl-summary"]')?.dataset.pages) >= 3,
      { timeout: 30_000 },
    );
    await crawl.click('[data-testid="crawl-pause"]');
    await crawl.waitForSelector('[data-testid="crawl-resume"]');
    // Pages already asked for may still arrive; then nothing more is fetched while paused.
    await new Promise((r) => setTimeout(r, 1_500));
    const paused = await summary();
    const sentWhilePaused = server.requests.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await summary()).pages).toBe(paused.pages);
    expect(server.requests.length).toBe(sentWhilePaused);
    expect(Number(paused.queued)).toBeGreaterThan(0);
    expect(paused.state).toBe('running');
    await crawl.click('[data-testid="crawl-resume"]');
    await crawl.waitForFunction(
      (before: number) =>
        Number(document.querySelector<HTMLElement>('[data-testid="crawl-summary"]')?.dataset.pages) > before,
      { timeout: 30_000 },
      Number(paused.pages),
    );
    // Chrome stops an idle worker the same way; the crawl is picked up from IndexedDB when the worker starts again.
    await (await ext.worker()).close();
    await siteCheckDone(crawl);
    const pages = await rowsOf(crawl, 'page-row');
    // The index, its 30 pages, and the sitemap's page and the page it links to.
    expect(pages.size).toBe(33);
    for (let i = 1; i <= 30; i++) expect(pages.get(site(`/site/wide/${i}`))?.status, `page ${i}`).toBe('200');
    const done = await summary();
    expect(done.checked).toBe(done.total);
  });
});
