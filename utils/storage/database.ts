import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from 'idb';
import type { CrawlMeta } from '../crawl/types';
import type { KeptRecord, RunLinksChunk } from '../history/history-store';
import { adoptFinishedSiteChecks } from './adopt-site-checks';

/**
 * Linkpulse's one IndexedDB database: what outlives a browser session or does not fit `storage.session` (site checks,
 * the history of page checks and site checks). Each schema change is a new version with a named migration below, and a
 * test that opens the old shape.
 */
export const DB_NAME = 'linkpulse';

export interface LinkpulseSchema extends DBSchema {
  /** One record per site check: its metadata and counts. */
  crawls: { key: string; value: CrawlMeta; indexes: { byStart: number } };
  /** A site check's rows in chunks (pages, links), so a change rewrites one chunk, not 50 000 rows. */
  crawlChunks: {
    key: [string, string, number];
    value: { crawlId: string; kind: string; index: number; rows: string };
    indexes: { byCrawl: string };
  };
  /** History: one record per finished page check or site check (counts, no rows), by page URL, site and age. */
  runs: { key: string; value: KeptRecord; indexes: { byPage: string; bySite: string; byFinished: number } };
  /** History: a kept run's rows in chunks. */
  runLinks: { key: [string, number]; value: RunLinksChunk };
}

type Upgrade = (
  db: IDBPDatabase<LinkpulseSchema>,
  tx: IDBPTransaction<LinkpulseSchema, StoreNames<LinkpulseSchema>[], 'versionchange'>,
) => void | Promise<void>;

/** Migrations in order: MIGRATIONS[i] takes the database from version i to i + 1. */
export const MIGRATIONS: Upgrade[] = [
  function createCrawlStores(db) {
    db.createObjectStore('crawls', { keyPath: 'crawlId' }).createIndex('byStart', 'startedAt');
    db.createObjectStore('crawlChunks', { keyPath: ['crawlId', 'kind', 'index'] }).createIndex('byCrawl', 'crawlId');
  },
  function createHistoryStores(db) {
    const runs = db.createObjectStore('runs', { keyPath: 'runId' });
    runs.createIndex('byPage', 'pageKey');
    runs.createIndex('bySite', 'site');
    runs.createIndex('byFinished', 'finishedAt');
    db.createObjectStore('runLinks', { keyPath: ['runId', 'index'] });
  },
  function keepSiteChecksInHistory(_db, tx) {
    return adoptFinishedSiteChecks(tx);
  },
];

export const DB_VERSION = MIGRATIONS.length;

export type LinkpulseDb = IDBPDatabase<LinkpulseSchema>;

/** Opens (and migrates) the database (tests give it an in-memory IndexedDB, `fake-indexeddb`). */
export function openLinkpulseDb(version = DB_VERSION): Promise<LinkpulseDb> {
  return openDB<LinkpulseSchema>(DB_NAME, version, {
    // A migration may read what is stored (only through `tx`: the upgrade's transaction ends once nothing waits on it).
    async upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < version; v++) await MIGRATIONS[v]?.(db, tx);
    },
  });
}
