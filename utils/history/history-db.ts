import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from 'idb';
import { summarize } from '../report/report';
import type { RunMeta } from '../run/stored-run';
import type { LinkEntry, RunSummary } from '../types';
import { countNewProblems } from './diff';
import { pageKeyOf, siteOf } from './keys';
import { type KeptRun, PRUNE_LIMITS, type PruneLimits, planPruning } from './prune';

/** A finished run as kept: what lists and charts need, without its rows (those are in `runLinks`). */
export interface RunRecord extends KeptRun {
  site: string;
  meta: RunMeta;
  summary: RunSummary & { newProblems: number };
  /** How many `runLinks` chunks hold its rows. */
  chunks: number;
}

/** Rows of one run, a chunk at a time: a crawl's 50 000 links are read and written in pieces, not one value. */
export interface RunLinksChunk {
  runId: string;
  index: number;
  entries: LinkEntry[];
}

/**
 * One database for every kept run, page checks and site crawls alike (`kind`). Store names say what they hold, so the
 * site check (issue 20) adds its page list as another store beside these in a later version.
 */
interface HistorySchema extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { byPage: string; bySite: string; byFinished: number } };
  runLinks: { key: [string, number]; value: RunLinksChunk };
}

export const DB_NAME = 'linkpulse';
export const DB_VERSION = 2;
export const CHUNK_ROWS = 1000;

type UpgradeTx = IDBPTransaction<HistorySchema, StoreNames<HistorySchema>[], 'versionchange'>;

/** Schema steps, applied in order from the version found on disk: index i brings a database to version i + 1. */
export const MIGRATIONS: ((db: IDBPDatabase<HistorySchema>, tx: UpgradeTx) => void)[] = [
  // v1: runs by page, their rows in chunks.
  (db) => {
    const runs = db.createObjectStore('runs', { keyPath: 'runId' });
    runs.createIndex('byPage', 'pageKey');
    db.createObjectStore('runLinks', { keyPath: ['runId', 'index'] });
  },
  // v2: clearing by site and pruning by age need `site` and an age index; runs kept by v1 gain their site.
  (_db, tx) => {
    const runs = tx.objectStore('runs');
    runs.createIndex('bySite', 'site');
    runs.createIndex('byFinished', 'finishedAt');
    void (async () => {
      let cursor = await runs.openCursor();
      while (cursor) {
        if (typeof cursor.value.site !== 'string')
          await cursor.update({ ...cursor.value, site: siteOf(cursor.value.pageKey) });
        cursor = await cursor.continue();
      }
    })();
  },
];

export type HistoryDb = IDBPDatabase<HistorySchema>;

/** Opens (creating or migrating) the history database. `version` is for tests that build an older one. */
export function openHistoryDb(name = DB_NAME, version = DB_VERSION): Promise<HistoryDb> {
  return openDB<HistorySchema>(name, version, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < version; v++) MIGRATIONS[v]?.(db, tx);
    },
    // Another page of ours holds an older version open: it closes so this one can upgrade.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
    },
  });
}

const chunkRange = (runId: string) => IDBKeyRange.bound([runId, 0], [runId, Number.MAX_SAFE_INTEGER]);

export interface SavedRun {
  record: RunRecord;
  entries: LinkEntry[];
}

/** The kept history: save a finished run, find the previous one, list, open, clear. */
export function createHistory(db: Promise<HistoryDb> | HistoryDb, limits: PruneLimits = PRUNE_LIMITS) {
  const ready = Promise.resolve(db);

  async function deleteRuns(runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    const tx = (await ready).transaction(['runs', 'runLinks'], 'readwrite');
    for (const runId of runIds) {
      void tx.objectStore('runs').delete(runId);
      void tx.objectStore('runLinks').delete(chunkRange(runId));
    }
    await tx.done;
  }

  async function records(): Promise<RunRecord[]> {
    return (await ready).getAll('runs');
  }

  return {
    /** Keeps a finished run, then prunes: the page's oldest beyond its count, then the oldest of all over the cap. */
    async save(meta: RunMeta, entries: readonly LinkEntry[], kind: KeptRun['kind'] = 'page'): Promise<RunRecord> {
      const chunks: RunLinksChunk[] = [];
      let bytes = 0;
      for (let i = 0; i * CHUNK_ROWS < entries.length; i++) {
        const part = entries.slice(i * CHUNK_ROWS, (i + 1) * CHUNK_ROWS);
        bytes += JSON.stringify(part).length;
        chunks.push({ runId: meta.runId, index: i, entries: part });
      }
      const record: RunRecord = {
        runId: meta.runId,
        kind,
        pageKey: pageKeyOf(meta.page.url),
        site: siteOf(meta.page.url),
        finishedAt: meta.finishedAt ?? Date.now(),
        bytes,
        meta: structuredClone(meta),
        summary: { ...summarize([...entries], meta.state), newProblems: countNewProblems(entries) },
        chunks: chunks.length,
      };
      const tx = (await ready).transaction(['runs', 'runLinks'], 'readwrite');
      void tx.objectStore('runs').put(record);
      for (const chunk of chunks) void tx.objectStore('runLinks').put(chunk);
      await tx.done;
      await deleteRuns(planPruning(await records(), limits));
      return record;
    },

    /** A page's kept runs of one kind, newest first. */
    async runsOf(pageUrl: string, kind: KeptRun['kind'] = 'page'): Promise<RunRecord[]> {
      const runs = await (await ready).getAllFromIndex('runs', 'byPage', pageKeyOf(pageUrl));
      return runs.filter((r) => r.kind === kind).sort((a, b) => b.finishedAt - a.finishedAt);
    },

    async load(runId: string): Promise<SavedRun | undefined> {
      const d = await ready;
      const record = await d.get('runs', runId);
      if (!record) return undefined;
      const chunks = await d.getAll('runLinks', chunkRange(runId));
      return { record, entries: chunks.sort((a, b) => a.index - b.index).flatMap((c) => c.entries) };
    },

    /** Every kept run's record (no rows), for the options page's lists. */
    records,

    async clearPage(pageUrl: string): Promise<number> {
      const ids = (await (await ready).getAllKeysFromIndex('runs', 'byPage', pageKeyOf(pageUrl))) as string[];
      await deleteRuns(ids);
      return ids.length;
    },

    async clearSite(site: string): Promise<number> {
      const ids = (await (await ready).getAllKeysFromIndex('runs', 'bySite', site)) as string[];
      await deleteRuns(ids);
      return ids.length;
    },

    async clearAll(): Promise<void> {
      const tx = (await ready).transaction(['runs', 'runLinks'], 'readwrite');
      void tx.objectStore('runs').clear();
      void tx.objectStore('runLinks').clear();
      await tx.done;
    },
  };
}

export type History = ReturnType<typeof createHistory>;
