// A site check the background stopped before recording: Chrome may stop the worker between the check's last write
// (done, in IndexedDB) and its history record. The next worker records it, so the next check compares with it and the
// history lists it. The stop cannot be timed into that instant from outside, so the test leaves the same state behind:
// the finished check stored, its record taken out of the history, the worker stopped.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_NAME } from '../../utils/storage/database';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import { type ExtensionBrowser, launchWithExtension, siteCheckDone, startSiteCheck, writeSettings } from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
const link = (key: string) => server.url(`/changeable/${key}`, 'links.test');

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  // Fresh answers on every check: the recent-results cache would otherwise hide the site's change.
  await writeSettings(ext, { cacheMinutes: 0 });
  server.setAnswer('heals', 404);
  server.setChangingPage(['stays', 'breaks', 'heals'].map(link));
  page = await ext.browser.newPage();
  await page.goto(server.url('/changing-page', 'site.test'));
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

/** Clicks "Check this site" in the popup of the checked page and waits for the check to finish on its crawl page. */
async function checkSite(): Promise<Page> {
  const crawl = await startSiteCheck(ext, page);
  await siteCheckDone(crawl);
  return crawl;
}

/**
 * The site checks in the history's `runs` store, read in the service worker; `remove` also takes them out (page checks,
 * which the popup starts on its own, stay).
 */
async function siteRecords(remove = false): Promise<string[]> {
  const worker = await ext.worker();
  return worker.evaluate(
    (name, remove) =>
      new Promise<string[]>((resolve, reject) => {
        const opening = indexedDB.open(name);
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
          const db = opening.result;
          const tx = db.transaction('runs', 'readwrite');
          const runs = tx.objectStore('runs');
          const ids: string[] = [];
          const reading = runs.getAll();
          reading.onsuccess = () => {
            for (const record of reading.result as { runId: string; kind: string }[]) {
              if (record.kind !== 'site') continue;
              ids.push(record.runId);
              if (remove) runs.delete(record.runId);
            }
          };
          tx.onerror = () => reject(tx.error);
          tx.oncomplete = () => {
            db.close();
            resolve(ids);
          };
        };
      }),
    DB_NAME,
    remove,
  );
}

describe('a site check the background stopped before recording', () => {
  it('is recorded by the next background: the next check compares with it, the history lists it', async () => {
    const first = await checkSite();
    // Taken out once written (not before: a late write would put it back), then the worker stops as Chrome stops it.
    await until(async () => (await siteRecords()).length === 1, 'the first check is recorded');
    expect(await siteRecords(true)).toHaveLength(1);
    expect(await siteRecords()).toEqual([]);
    await first.close();
    await (await ext.worker()).close();

    server.setAnswer('breaks', 500);
    server.setAnswer('heals', 200);
    server.setAnswer('joins', 404);
    server.setChangingPage(['stays', 'breaks', 'heals', 'joins'].map(link));
    // The page loading again wakes the worker (as any event does), so the popup can be opened on it.
    await page.reload();
    const second = await checkSite();
    // Compared with the first check: without its record there would be nothing to compare with.
    await second.waitForSelector('[data-testid="compared-with"]', { timeout: 20_000 });
    const changes = await second.$$eval('[data-testid="link-row"]', (rows) =>
      Object.fromEntries(
        rows
          .map((r) => [(r as HTMLElement).dataset.url ?? '', (r as HTMLElement).dataset.change ?? 'MISSING'] as const)
          .filter(([url]) => url.includes('/changeable/'))
          .map(([url, change]) => [url.split('/').pop(), change]),
      ),
    );
    expect(changes).toEqual({ stays: '', breaks: 'newly-broken', heals: 'fixed', joins: 'new' });

    await second.click('[data-testid="open-history"]');
    await second.waitForFunction(
      () => document.querySelectorAll('[data-testid="history-run"][data-kind="site"]').length === 2,
      { timeout: 20_000 },
    );
    const problems = await second.$$eval('[data-testid="history-run"]', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.problems),
    );
    // Newest first: this check (breaks and joins broken), then the first (heals broken), each once.
    expect(problems).toEqual(['2', '1']);
    expect(await siteRecords()).toHaveLength(2);
  });
});
