import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CrawlStore } from '../../../utils/crawl/crawl-store';
import type { CrawlMeta } from '../../../utils/crawl/types';
import { withBaseline } from '../../../utils/history/diff';
import { CHUNK_ROWS, createHistory } from '../../../utils/history/history-store';
import { DB_VERSION, openLinkpulseDb } from '../../../utils/storage/database';
import type { Verdict } from '../../../utils/types';
import { donePageRun, judged } from '../../support/kept-runs';
import { crawl as storedCrawl } from '../../support/stored-crawls';

const entry = judged;

const meta = donePageRun;

beforeEach(() => {
  // A fresh, empty IndexedDB for each test.
  globalThis.indexedDB = new IDBFactory();
});

describe('the history database', () => {
  it('keeps a run and gives it back whole, rows in order across chunks', async () => {
    const history = createHistory(openLinkpulseDb());
    const entries = Array.from({ length: CHUNK_ROWS * 2 + 5 }, (_, i) => entry(`https://a.test/${i}`, 'ok'));
    await history.save(meta('r1', 'https://a.test/page#top', 10), entries);
    const loaded = await history.load('r1');
    expect(loaded?.entries.map((e) => e.url)).toEqual(entries.map((e) => e.url));
    expect(loaded?.record).toMatchObject({ pageKey: 'https://a.test/page', site: 'a.test', chunks: 3 });
    expect(loaded?.record.summary).toMatchObject({ total: 2005, ok: 2005, newProblems: 0 });
  });

  it('keeps a run without what only its life in the worker said of it (not kept yet, not saved in the session)', async () => {
    const history = createHistory(openLinkpulseDb());
    // A run that ended while session storage refused its rows, kept on a second try: a past report must not say either.
    await history.save({ ...meta('r', 'https://a.test/p', 1), kept: false, unsaved: true }, [
      entry('https://a.test/x', 'ok'),
    ]);
    const loaded = await history.load('r');
    expect(loaded?.record.meta).not.toHaveProperty('kept');
    expect(loaded?.record.meta).not.toHaveProperty('unsaved');
    const [listed] = await history.runsOf('https://a.test/p');
    expect(listed?.meta).not.toHaveProperty('kept');
  });

  it('opens a run kept by an earlier version with those marks as though it had none', async () => {
    const history = createHistory(openLinkpulseDb());
    const record = await history.save(meta('r', 'https://a.test/p', 1), [entry('https://a.test/x', 'ok')]);
    const db = await openLinkpulseDb();
    await db.put('runs', { ...record, meta: { ...record.meta, kept: false, unsaved: true } });
    const loaded = await history.load('r');
    expect(loaded?.record.meta).not.toHaveProperty('kept');
    expect(loaded?.record.meta).not.toHaveProperty('unsaved');
  });

  it('lists a page’s runs newest first, a fragment of the URL making no other page', async () => {
    const history = createHistory(openLinkpulseDb());
    await history.save(meta('old', 'https://a.test/p', 1), [entry('https://a.test/x', 'ok')]);
    await history.save(meta('new', 'https://a.test/p#b', 2), [entry('https://a.test/x', 'broken')]);
    await history.save(meta('other', 'https://a.test/q', 3), [entry('https://a.test/x', 'ok')]);
    expect((await history.runsOf('https://a.test/p')).map((r) => r.runId)).toEqual(['new', 'old']);
  });

  it('keeps the new-problems count of a run against its baseline', async () => {
    const history = createHistory(openLinkpulseDb());
    const baseline = new Map<string, Verdict>([['https://a.test/x', 'ok']]);
    const entries = withBaseline([entry('https://a.test/x', 'broken'), entry('https://a.test/y', 'error')], baseline);
    const record = await history.save(meta('r', 'https://a.test/p', 1), entries);
    expect(record.summary.newProblems).toBe(2);
  });

  it('prunes a page to its last runs after each save, rows included', async () => {
    const history = createHistory(openLinkpulseDb(), { perPage: { page: 2, site: 1 }, maxBytes: 1e9 });
    for (let i = 1; i <= 3; i++)
      await history.save(meta(`r${i}`, 'https://a.test/p', i), [entry('https://a.test/x', 'ok')]);
    expect((await history.runsOf('https://a.test/p')).map((r) => r.runId)).toEqual(['r3', 'r2']);
    expect(await history.load('r1')).toBeUndefined();
    const db = await openLinkpulseDb();
    expect(await db.count('runLinks')).toBe(2);
  });

  it('clears one page, one site, or everything', async () => {
    const history = createHistory(openLinkpulseDb());
    await history.save(meta('a1', 'https://a.test/1', 1), [entry('https://a.test/x', 'ok')]);
    await history.save(meta('a2', 'https://a.test/2', 2), [entry('https://a.test/x', 'ok')]);
    await history.save(meta('b1', 'https://b.test/1', 3), [entry('https://b.test/x', 'ok')]);
    await history.save(meta('c1', 'https://c.test/1', 4), [entry('https://c.test/x', 'ok')]);
    expect(await history.clearPage('https://a.test/1#x')).toBe(1);
    expect((await history.records()).map((r) => r.runId).sort()).toEqual(['a2', 'b1', 'c1']);
    expect(await history.clearSite('b.test')).toBe(1);
    expect((await history.records()).map((r) => r.runId).sort()).toEqual(['a2', 'c1']);
    await history.clearAll();
    expect(await history.records()).toEqual([]);
    const db = await openLinkpulseDb();
    expect(await db.count('runLinks')).toBe(0);
  });

  it("clears a site's finished site checks with its site, and every finished one with everything", async () => {
    const db = await openLinkpulseDb();
    const crawls = new CrawlStore(db);
    const crawl = (crawlId: string, startUrl: string, state: CrawlMeta['state']) =>
      storedCrawl(crawlId, startUrl, 2, state);
    for (const meta of [
      crawl('a-done', 'https://a.test/', 'done'),
      crawl('b-done', 'https://b.test/', 'done'),
      crawl('b-cancelled', 'https://b.test/docs/', 'cancelled'),
      crawl('c-running', 'https://c.test/', 'running'),
    ]) {
      await crawls.saveMeta(meta);
      await crawls.saveRows(meta.crawlId, 'links', [{ url: `${meta.startUrl}x` }]);
    }
    const history = createHistory(db);
    await history.clearSite('b.test');
    expect((await crawls.list()).map((c) => c.crawlId).sort()).toEqual(['a-done', 'c-running']);
    await history.clearAll();
    // The site check still going keeps its rows: it is writing them.
    expect((await crawls.list()).map((c) => c.crawlId)).toEqual(['c-running']);
    expect(await db.count('crawlChunks')).toBe(1);
  });
});

describe('the database schema with history', () => {
  it('is at the version its migrations reach, with the history stores beside the site checks', async () => {
    const db = await openLinkpulseDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['crawlChunks', 'crawls', 'runLinks', 'runs']);
    expect([...db.transaction('runs').store.indexNames].sort()).toEqual(['byFinished', 'byPage', 'bySite']);
  });

  it('upgrades a database of site checks only: the crawls stay, and history starts empty and works', async () => {
    const v1 = await openLinkpulseDb(1);
    expect([...v1.objectStoreNames].sort()).toEqual(['crawlChunks', 'crawls']);
    // What version 1 held: a site check's record (the shape is the crawl store's; only its survival matters here).
    await v1.put('crawls', { crawlId: 'c1', startedAt: 1 } as never);
    v1.close();
    const db = await openLinkpulseDb();
    expect((await db.get('crawls', 'c1'))?.crawlId).toBe('c1');
    const history = createHistory(db);
    expect(await history.records()).toEqual([]);
    await history.save(meta('r1', 'https://a.test/p', 5), [entry('https://a.test/x', 'broken')]);
    expect((await history.runsOf('https://a.test/p')).map((r) => r.runId)).toEqual(['r1']);
  });
});
