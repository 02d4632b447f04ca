import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_ROWS, CrawlStore } from '../../../utils/crawl/crawl-store';
import type { CrawlLink, CrawlMeta } from '../../../utils/crawl/types';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { DB_NAME, DB_VERSION, openLinkpulseDb } from '../../../utils/storage/database';

const opened: { close(): void }[] = [];
/** Opens the database and remembers to close it: a database with open connections cannot be deleted. */
async function open() {
  const db = await openLinkpulseDb();
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  await deleteDB(DB_NAME);
});

const meta = (crawlId: string, startedAt: number): CrawlMeta => ({
  crawlId,
  tabId: 1,
  startUrl: 'https://s.example/',
  origin: 'https://s.example',
  options: { maxDepth: 3, maxPages: 500, samePathOnly: false, useSitemap: true, respectRobots: true, asMe: false },
  settings: DEFAULT_SETTINGS,
  state: 'running',
  paused: false,
  startedAt,
  finishedAt: null,
  queued: 0,
  notes: [],
});

const link = (i: number): CrawlLink => ({
  url: `https://s.example/p${i}`,
  occurrences: 1,
  texts: [],
  phase: 'queued',
  sources: [{ page: 'https://s.example/', text: `p${i}` }],
  sourceCount: 1,
});

describe('the site-check store (IndexedDB)', () => {
  it('keeps a crawl of many links in chunks and rewrites only the chunks that changed', async () => {
    const store = new CrawlStore(await open());
    const links = Array.from({ length: CHUNK_ROWS * 2 + 10 }, (_, i) => link(i));
    await store.saveMeta(meta('c1', 1));
    await store.saveRows('c1', 'links', links);
    const changed = links.map((l, i) => (i === CHUNK_ROWS + 1 ? { ...l, phase: 'done' as const } : l));
    // Only chunk 1 is written: a change in chunk 0 that was not named stays unwritten.
    changed[0] = { ...changed[0], occurrences: 99 } as CrawlLink;
    await store.saveRows('c1', 'links', changed, [1]);
    const loaded = await store.load('c1');
    expect(loaded?.links).toHaveLength(links.length);
    expect(loaded?.links[CHUNK_ROWS + 1]?.phase).toBe('done');
    expect(loaded?.links[0]?.occurrences).toBe(1);
    expect(loaded?.meta.crawlId).toBe('c1');
  });

  it('reads back a list that shrank, or emptied, as it is now: the chunks of a longer earlier list go', async () => {
    const store = new CrawlStore(await open());
    await store.saveMeta(meta('c1', 1));
    const pending = Array.from({ length: CHUNK_ROWS + 100 }, (_, i) => ({ url: `https://s.example/p${i}`, depth: 1 }));
    await store.saveRows('c1', 'pending', pending);
    await store.saveRows('c1', 'pending', pending.slice(0, 100));
    expect((await store.load('c1'))?.pending).toEqual(pending.slice(0, 100));
    await store.saveRows('c1', 'pending', []);
    expect((await store.load('c1'))?.pending).toEqual([]);
    // The same holds for the other kinds, and a write of some chunks leaves the others of the list alone.
    const links = Array.from({ length: CHUNK_ROWS * 2 + 10 }, (_, i) => link(i));
    await store.saveRows('c1', 'links', links);
    await store.saveRows('c1', 'links', links.slice(0, CHUNK_ROWS + 1), [1]);
    expect((await store.load('c1'))?.links).toEqual(links.slice(0, CHUNK_ROWS + 1));
    expect(await (await open()).countFromIndex('crawlChunks', 'byCrawl', 'c1')).toBe(2);
  });

  it("writes a check's rows and its metadata together, and none of them when one cannot be written", async () => {
    const store = new CrawlStore(await open());
    const links = [link(0), link(1)];
    const pending = [{ url: 'https://s.example/p1', depth: 1 }];
    await store.save(meta('c1', 1), [
      { kind: 'links', rows: links },
      { kind: 'pending', rows: pending },
    ]);
    expect(await store.load('c1')).toMatchObject({ meta: { crawlId: 'c1' }, links, pending });
    // A metadata the database cannot clone fails the save: the rows queued before it are not kept either.
    const unstorable = { ...meta('c2', 2), settings: { ...DEFAULT_SETTINGS, hook: () => {} } } as CrawlMeta;
    await expect(store.save(unstorable, [{ kind: 'links', rows: links }])).rejects.toThrow();
    expect(await store.load('c2')).toBeUndefined();
    expect(await (await open()).countFromIndex('crawlChunks', 'byCrawl', 'c2')).toBe(0);
  });

  it('keeps the newest crawls that ended and removes every chunk of the others, never one still running', async () => {
    const store = new CrawlStore(await open());
    // Another tab's check, started before all of them and still going (or paused).
    await store.saveMeta(meta('going', 1));
    await store.saveRows('going', 'links', [link(9)]);
    for (let i = 0; i < 4; i++) {
      await store.saveMeta({ ...meta(`c${i}`, 100 + i), state: 'cancelled' });
      await store.saveRows(`c${i}`, 'links', [link(i)]);
    }
    await store.prune(2);
    expect((await store.list()).map((m) => m.crawlId)).toEqual(['c3', 'c2', 'going']);
    expect((await store.load('going'))?.links).toEqual([link(9)]);
    expect(await store.load('c0')).toBeUndefined();
    const db = await open();
    expect(await db.countFromIndex('crawlChunks', 'byCrawl', 'c0')).toBe(0);
    expect(await db.countFromIndex('crawlChunks', 'byCrawl', 'c3')).toBe(1);
  });

  it('creates its stores once: reopening the database keeps what it holds', async () => {
    const first = await open();
    expect(first.version).toBe(DB_VERSION);
    expect([...first.objectStoreNames].sort()).toEqual(['crawlChunks', 'crawls', 'runLinks', 'runs']);
    await new CrawlStore(first).saveMeta(meta('kept', 1));
    first.close();
    const again = await open();
    expect((await new CrawlStore(again).list()).map((m) => m.crawlId)).toEqual(['kept']);
  });
});
