// Finished site checks as history entries: kept per start page beside page checks, pruned and cleared with them, and
// the ones stored before they joined the history (database version 2) taken in by the upgrade.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CrawlStore } from '../../../utils/crawl/crawl-store';
import type { CrawlLink, CrawlMeta } from '../../../utils/crawl/types';
import { entryChange, withBaseline } from '../../../utils/history/diff';
import { createHistory } from '../../../utils/history/history-store';
import { createSiteHistory } from '../../../utils/history/site-history';
import { DB_NAME, openLinkpulseDb } from '../../../utils/storage/database';
import type { LinkEntry } from '../../../utils/types';
import { donePageRun } from '../../support/kept-runs';
import { crawl, link, page, writeCrawl } from '../../support/stored-crawls';

const pageRun = donePageRun;

const pageEntry = (url: string): LinkEntry => ({ url, occurrences: 1, texts: [], phase: 'done' });

/** Writes a finished site check and keeps it in the history, as the background does when one ends. */
async function finish(history: ReturnType<typeof createHistory>, meta: CrawlMeta, links: CrawlLink[]) {
  await writeCrawl(meta, links);
  return history.saveSiteCheck(meta, links, 1);
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('site checks in the history', () => {
  it('keeps no record of a site check whose rows were cleared as it ended (nothing could open it)', async () => {
    const history = createHistory(openLinkpulseDb());
    const meta = crawl('cleared', 'https://s.test/', 10);
    // Its rows written, then removed by a clear of the history before the record was written.
    await writeCrawl(meta, [link('https://s.test/a', 'ok')]);
    await new CrawlStore(await openLinkpulseDb()).remove(meta.crawlId);
    expect(await history.saveSiteCheck(meta, [], 1)).toBeNull();
    expect(await history.siteChecksOf(meta.startUrl)).toEqual([]);
  });

  it('keeps a finished site check as an entry of its start page, with its counts and its size on disk', async () => {
    const history = createHistory(openLinkpulseDb());
    const links = [
      link('https://s.test/a', 'ok'),
      link('https://s.test/b', 'broken'),
      link('https://x.test/', 'error'),
    ];
    await finish(history, crawl('c1', 'https://s.test/', 10), links);
    const [kept, ...rest] = await history.siteChecksOf('https://s.test/');
    expect(rest).toEqual([]);
    expect(kept).toMatchObject({ runId: 'c1', kind: 'site', site: 's.test', finishedAt: 10, pages: 1 });
    expect(kept?.summary).toMatchObject({ total: 3, checked: 3, ok: 1, broken: 1, error: 1, state: 'done' });
    // Its rows stay where the crawl wrote them; their size is what they take there.
    const stored = await history.loadSiteCheck('c1');
    expect(stored?.links.map((l) => l.url)).toEqual(links.map((l) => l.url));
    expect(kept?.bytes).toBe(JSON.stringify([page('https://s.test/')]).length + JSON.stringify(links).length);
    // Neither a page check of the same page nor a site check of another start page.
    expect(await history.runsOf('https://s.test/')).toEqual([]);
    expect(await history.siteChecksOf('https://s.test/docs/')).toEqual([]);
  });

  it('keeps the last 20 site checks of a start page by default, removing the rows of the older ones', async () => {
    const history = createHistory(openLinkpulseDb());
    for (let i = 1; i <= 21; i++)
      await finish(history, crawl(`c${i}`, 'https://s.test/', i), [link('https://s.test/a', 'ok')]);
    await finish(history, crawl('other', 'https://s.test/docs/', 1), [link('https://s.test/a', 'ok')]);
    const kept = (await history.siteChecksOf('https://s.test/')).map((r) => r.runId);
    expect(kept).toHaveLength(20);
    expect(kept).not.toContain('c1');
    expect(kept[0]).toBe('c21');
    expect(await history.loadSiteCheck('c1')).toBeUndefined();
    const db = await openLinkpulseDb();
    expect(await db.countFromIndex('crawlChunks', 'byCrawl', 'c1')).toBe(0);
    // Another start page has its own count.
    expect((await history.siteChecksOf('https://s.test/docs/')).map((r) => r.runId)).toEqual(['other']);
  });

  it('counts site checks and page checks of one page apart, and prunes both under one size cap, oldest first', async () => {
    const history = createHistory(openLinkpulseDb(), { perPage: { page: 1, site: 2 }, maxBytes: 1e9 });
    await history.save(pageRun('p1', 'https://s.test/', 1), [pageEntry('https://s.test/a')]);
    for (let i = 1; i <= 3; i++)
      await finish(history, crawl(`c${i}`, 'https://s.test/', i + 1), [link('https://s.test/a', 'ok')]);
    expect((await history.siteChecksOf('https://s.test/')).map((r) => r.runId)).toEqual(['c3', 'c2']);
    expect((await history.runsOf('https://s.test/')).map((r) => r.runId)).toEqual(['p1']);

    // Room for three site checks of this size: the oldest run of any kind, the page check, goes, then nothing else.
    const siteBytes = (await history.siteChecksOf('https://s.test/'))[0]?.bytes ?? 0;
    const capped = createHistory(openLinkpulseDb(), { perPage: { page: 20, site: 20 }, maxBytes: 3 * siteBytes });
    await finish(capped, crawl('c4', 'https://s.test/', 9), [link('https://s.test/a', 'ok')]);
    const left = (await capped.records()).map((r) => r.runId).sort();
    expect(left).toEqual(['c2', 'c3', 'c4']);
  });

  it('clears a start page’s site checks with the page, rows and all, and leaves one still going', async () => {
    const history = createHistory(openLinkpulseDb());
    await finish(history, crawl('done', 'https://s.test/', 1), [link('https://s.test/a', 'ok')]);
    await writeCrawl(crawl('cancelled', 'https://s.test/', 2, 'cancelled'), [link('https://s.test/a', 'ok')]);
    await writeCrawl(crawl('going', 'https://s.test/', 3, 'running'), [link('https://s.test/a', 'ok')]);
    await finish(history, crawl('elsewhere', 'https://s.test/docs/', 4), [link('https://s.test/a', 'ok')]);
    expect(await history.clearPage('https://s.test/#top')).toBe(1);
    const crawls = new CrawlStore(await openLinkpulseDb());
    expect((await crawls.list()).map((c) => c.crawlId).sort()).toEqual(['elsewhere', 'going']);
    expect((await history.records()).map((r) => r.runId)).toEqual(['elsewhere']);
    const db = await openLinkpulseDb();
    expect(await db.countFromIndex('crawlChunks', 'byCrawl', 'done')).toBe(0);
    await history.clearAll();
    expect((await crawls.list()).map((c) => c.crawlId)).toEqual(['going']);
    expect(await db.count('crawlChunks')).toBe(2);
  });

  it('leaves the site checks of the history to it when the crawl store makes room for a new one', async () => {
    const history = createHistory(openLinkpulseDb());
    for (let i = 1; i <= 3; i++)
      await finish(history, crawl(`kept${i}`, 'https://s.test/', i), [link('https://s.test/a', 'ok')]);
    for (let i = 1; i <= 3; i++) await writeCrawl(crawl(`cancelled${i}`, 'https://s.test/', 10 + i, 'cancelled'), []);
    const crawls = new CrawlStore(await openLinkpulseDb());
    await crawls.prune(1);
    expect((await crawls.list()).map((c) => c.crawlId)).toEqual(['cancelled3', 'kept3', 'kept2', 'kept1']);
  });
});

describe('the upgrade to site checks in the history (database version 3)', () => {
  it('takes in every finished site check stored before, losing none, and leaves the others as they were', async () => {
    const v2 = await openLinkpulseDb(2);
    const old = (meta: CrawlMeta, chunks: { kind: string; index: number; rows: string }[]) => {
      const tx = v2.transaction(['crawls', 'crawlChunks'], 'readwrite');
      void tx.objectStore('crawls').put(meta);
      for (const chunk of chunks) void tx.objectStore('crawlChunks').put({ crawlId: meta.crawlId, ...chunk });
      return tx.done;
    };
    const links = [link('https://s.test/a', 'ok'), link('https://s.test/b', 'broken')];
    await old(crawl('old-done', 'https://s.test/', 5), [
      { kind: 'pages', index: 0, rows: JSON.stringify([page('https://s.test/'), page('https://s.test/a')]) },
      { kind: 'links', index: 0, rows: JSON.stringify(links.slice(0, 1)) },
      { kind: 'links', index: 1, rows: JSON.stringify(links.slice(1)) },
    ]);
    await old(crawl('old-cancelled', 'https://s.test/', 6, 'cancelled'), [{ kind: 'links', index: 0, rows: '[]' }]);
    // A chunk that no longer reads as rows: the check is still taken in, with what can be read.
    await old(crawl('old-damaged', 'https://t.test/', 7), [{ kind: 'links', index: 0, rows: '{not json' }]);
    v2.close();

    const db = await openLinkpulseDb();
    const history = createHistory(db);
    const [done] = await history.siteChecksOf('https://s.test/');
    expect(done).toMatchObject({ runId: 'old-done', kind: 'site', site: 's.test', finishedAt: 5, pages: 2 });
    expect(done?.summary).toMatchObject({ total: 2, ok: 1, broken: 1 });
    expect((await history.siteChecksOf('https://t.test/')).map((r) => r.runId)).toEqual(['old-damaged']);
    expect((await history.records()).map((r) => r.runId).sort()).toEqual(['old-damaged', 'old-done']);
    // Nothing was moved or removed: every check keeps its rows where they were.
    expect((await history.loadSiteCheck('old-done'))?.links.map((l) => l.url)).toEqual(links.map((l) => l.url));
    expect(await history.loadSiteCheck('old-cancelled')).toBeDefined();
    // And the next finished check of that start page is listed above it.
    await finish(history, crawl('new', 'https://s.test/', 9), links);
    expect((await history.siteChecksOf('https://s.test/')).map((r) => r.runId)).toEqual(['new', 'old-done']);
  });

  it('opens a version 2 database that holds no site checks', async () => {
    (await openLinkpulseDb(2)).close();
    const db = await openLinkpulseDb();
    expect(await db.count('runs')).toBe(0);
    // The raw database says the same version as the wrapper.
    const raw = await openDB(DB_NAME);
    expect(raw.version).toBe(db.version);
    raw.close();
  });
});

describe('a site check compared with the previous one of its start page', () => {
  const quiet = { error: () => {} };
  function setUp(isPrivate = false) {
    const history = createHistory(openLinkpulseDb());
    return { history, site: createSiteHistory({ history, isPrivate: async () => isPrivate, log: quiet }) };
  }

  it('marks each link new, newly broken or fixed against the latest finished one', async () => {
    const { history, site } = setUp();
    await finish(history, crawl('first', 'https://s.test/', 1), [link('https://s.test/a', 'ok')]);
    await finish(history, crawl('second', 'https://s.test/', 2), [
      link('https://s.test/stays', 'ok'),
      link('https://s.test/breaks', 'ok'),
      link('https://s.test/heals', 'broken'),
    ]);
    const start = await site.prepare(1, 'https://s.test/');
    expect(start.meta).toEqual({ baseline: { crawlId: 'second', finishedAt: 2 } });
    const now = [
      link('https://s.test/stays', 'ok'),
      link('https://s.test/breaks', 'error'),
      link('https://s.test/heals', 'ok'),
      link('https://s.test/joins', 'ok'),
    ];
    const changes = withBaseline(now, start.baseline).map((l) => [l.url.split('/').pop(), entryChange(l)]);
    expect(changes).toEqual([
      ['stays', ''],
      ['breaks', 'newly-broken'],
      ['heals', 'fixed'],
      ['joins', 'new'],
    ]);
    // After a restart of the worker, the check going on finds the same verdicts again.
    const again = await site.baselineOf({ ...crawl('third', 'https://s.test/', 3, 'running'), ...start.meta });
    expect(again).toEqual(start.baseline);
  });

  it('compares with nothing the first time, or when the previous one was cleared', async () => {
    const { history, site } = setUp();
    expect(await site.prepare(1, 'https://s.test/')).toEqual({ meta: {}, baseline: null });
    await finish(history, crawl('first', 'https://s.test/', 1), [link('https://s.test/a', 'ok')]);
    await history.clearPage('https://s.test/');
    expect(await site.prepare(1, 'https://s.test/')).toEqual({ meta: {}, baseline: null });
  });

  it('keeps a finished check once done, not a cancelled one, and nothing at all of one of a private window', async () => {
    const { history, site } = setUp();
    for (const [id, state] of [
      ['done', 'done'],
      ['cancelled', 'cancelled'],
    ] as const) {
      const meta = crawl(id, 'https://s.test/', 1, state);
      await writeCrawl(meta, [link('https://s.test/a', 'broken')]);
      await site.ended(meta, [page(meta.startUrl)], [link('https://s.test/a', 'broken')]);
    }
    for (const state of ['done', 'cancelled'] as const) {
      const privately = { ...crawl(`private-${state}`, 'https://s.test/', 2, state), private: true };
      await writeCrawl(privately, [link('https://s.test/a', 'broken')]);
      await site.ended(privately, [page(privately.startUrl)], [link('https://s.test/a', 'broken')]);
    }
    expect((await history.siteChecksOf('https://s.test/')).map((r) => r.runId)).toEqual(['done']);
    // The cancelled one stays for its crawl page; the private ones' rows are gone.
    const crawls = new CrawlStore(await openLinkpulseDb());
    expect((await crawls.list()).map((c) => c.crawlId).sort()).toEqual(['cancelled', 'done']);
    const db = await openLinkpulseDb();
    expect(await db.countFromIndex('crawlChunks', 'byCrawl', 'private-done')).toBe(0);
  });

  it('reads nothing of the history for a private window, and marks the check so it is not kept', async () => {
    const { history, site } = setUp(true);
    await finish(history, crawl('first', 'https://s.test/', 1), [link('https://s.test/a', 'ok')]);
    expect(await site.prepare(1, 'https://s.test/')).toEqual({ meta: { private: true }, baseline: null });
  });
});
