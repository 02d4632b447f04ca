import { CrawlStore, type StoredCrawl } from '../crawl/crawl-store';
import { type CrawlMeta, isNotKeptNote } from '../crawl/types';
import { summarize } from '../report/report';
import type { RunMeta } from '../run/stored-run';
import type { LinkpulseDb } from '../storage/database';
import type { LinkEntry, RunCounts } from '../types';
import { pageKeyOf, siteOf } from './keys';
import { type KeptRun, PRUNE_LIMITS, type PruneLimits, planPruning } from './prune';
import { type SiteRunRecord, siteRunRecord } from './site-record';

/** A finished page check as kept: what lists and charts need, without its rows (those are in `runLinks`). */
export interface RunRecord extends KeptRun {
  kind: 'page';
  site: string;
  meta: RunMeta;
  summary: RunCounts;
  /** How many `runLinks` chunks hold its rows. */
  chunks: number;
}

/** Rows of one run, a chunk at a time: a crawl's 50 000 links are read and written in pieces, not one value. */
export interface RunLinksChunk {
  runId: string;
  index: number;
  entries: LinkEntry[];
}

export const CHUNK_ROWS = 1000;

/** What the `runs` store holds: finished page checks and finished site checks, kept and pruned together. */
export type KeptRecord = RunRecord | SiteRunRecord;

const chunkRange = (runId: string) => IDBKeyRange.bound([runId, 0], [runId, Number.MAX_SAFE_INTEGER]);
/** Every chunk of one site check (`[crawlId, kind, index]`): an array key sorts after any string or number. */
const crawlChunkRange = (crawlId: string) => IDBKeyRange.bound([crawlId], [crawlId, []]);

/**
 * A run's metadata as the history keeps it: without what only its life in the worker says (`kept`: whether the history
 * has it yet; `unsaved`: session storage refused its rows) — a check kept on a second try, opened from the history,
 * would otherwise say it could not be kept. Applied on reading too, for runs kept before.
 */
function recordedMeta(meta: RunMeta): RunMeta {
  const { kept: _kept, unsaved: _unsaved, ...rest } = meta;
  return rest;
}

export interface SavedRun {
  record: RunRecord;
  entries: LinkEntry[];
}

/**
 * The kept history: save a finished run, find the previous one, list, open, clear. `changed` is told each time runs
 * were kept or removed, once the write has committed (history-changes.ts passes the word to the open pages).
 */
export function createHistory(
  db: Promise<LinkpulseDb> | LinkpulseDb,
  limits: PruneLimits = PRUNE_LIMITS,
  changed: () => void = () => {},
) {
  const ready = Promise.resolve(db);

  /**
   * Removes the site checks that are not history entries (cancelled ones) of the pages `which` picks: clearing removes
   * every site check it covers. One still going is left alone — its pages are being written as it goes.
   */
  async function deleteOtherCrawls(which: (meta: CrawlMeta) => boolean): Promise<void> {
    const crawls = new CrawlStore(await ready);
    for (const meta of await crawls.list()) {
      if (meta.state !== 'running' && which(meta)) await crawls.remove(meta.crawlId);
    }
  }

  /** Removes kept runs of either kind with all their rows (a site check's stay under its id in the crawl stores). */
  async function deleteRuns(runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    const tx = (await ready).transaction(['runs', 'runLinks', 'crawls', 'crawlChunks'], 'readwrite');
    for (const runId of runIds) {
      void tx.objectStore('runs').delete(runId);
      void tx.objectStore('runLinks').delete(chunkRange(runId));
      void tx.objectStore('crawls').delete(runId);
      void tx.objectStore('crawlChunks').delete(crawlChunkRange(runId));
    }
    await tx.done;
    changed();
  }

  async function records(): Promise<KeptRecord[]> {
    return (await ready).getAll('runs');
  }

  async function kept(pageUrl: string): Promise<KeptRecord[]> {
    const runs = await (await ready).getAllFromIndex('runs', 'byPage', pageKeyOf(pageUrl));
    return runs.sort((a, b) => b.finishedAt - a.finishedAt);
  }

  async function prune(): Promise<void> {
    await deleteRuns(planPruning(await records(), limits));
  }

  return {
    /** Keeps a finished run, then prunes: the page's oldest beyond its count, then the oldest of all over the cap. */
    async save(meta: RunMeta, entries: readonly LinkEntry[]): Promise<RunRecord> {
      const chunks: RunLinksChunk[] = [];
      let bytes = 0;
      for (let i = 0; i * CHUNK_ROWS < entries.length; i++) {
        const part = entries.slice(i * CHUNK_ROWS, (i + 1) * CHUNK_ROWS);
        bytes += JSON.stringify(part).length;
        chunks.push({ runId: meta.runId, index: i, entries: part });
      }
      const record: RunRecord = {
        runId: meta.runId,
        kind: 'page',
        pageKey: pageKeyOf(meta.page.url),
        site: siteOf(meta.page.url),
        finishedAt: meta.finishedAt ?? Date.now(),
        bytes,
        meta: structuredClone(recordedMeta(meta)),
        summary: summarize([...entries], meta.state),
        chunks: chunks.length,
      };
      const tx = (await ready).transaction(['runs', 'runLinks'], 'readwrite');
      void tx.objectStore('runs').put(record);
      for (const chunk of chunks) void tx.objectStore('runLinks').put(chunk);
      await tx.done;
      changed();
      await prune();
      return record;
    },

    /**
     * Keeps a finished site check whose rows the crawl has written, then prunes as `save` does: its start page's oldest
     * site checks beyond the count, then the oldest runs of all over the cap. Null, keeping nothing, when its rows are
     * gone (the history was cleared as it ended): a record nothing could open.
     */
    async saveSiteCheck(meta: CrawlMeta, links: readonly LinkEntry[], pages: number): Promise<SiteRunRecord | null> {
      const db = await ready;
      const bytes = await new CrawlStore(db).size(meta.crawlId);
      // Kept now: a note that an earlier try was refused (said on its crawl page) is no longer true.
      const kept = { ...meta, notes: meta.notes.filter((note) => !isNotKeptNote(note)) };
      const record = siteRunRecord(kept, links, pages, bytes);
      // Looked for and written in one transaction: a clear cannot come between.
      const tx = db.transaction(['runs', 'crawls'], 'readwrite');
      const stored = await tx.objectStore('crawls').get(meta.crawlId);
      const there = stored !== undefined;
      if (there) void tx.objectStore('runs').put(record);
      if (stored?.notes.some(isNotKeptNote)) {
        void tx.objectStore('crawls').put({ ...stored, notes: stored.notes.filter((note) => !isNotKeptNote(note)) });
      }
      await tx.done;
      if (!there) return null;
      changed();
      await prune();
      return record;
    },

    /** Whether a run of either kind has its record in the history (kept, not pruned or cleared since). */
    async has(runId: string): Promise<boolean> {
      return (await (await ready).getKey('runs', runId)) !== undefined;
    },

    /** A page's kept page checks, newest first. */
    async runsOf(pageUrl: string): Promise<RunRecord[]> {
      return (await kept(pageUrl)).filter((r): r is RunRecord => r.kind === 'page');
    },

    /** The kept site checks started from a page, newest first. */
    async siteChecksOf(startUrl: string): Promise<SiteRunRecord[]> {
      return (await kept(startUrl)).filter((r): r is SiteRunRecord => r.kind === 'site');
    },

    /** Removes a site check that is not to be kept (a private window's), whatever its state. */
    async forgetSiteCheck(crawlId: string): Promise<void> {
      await new CrawlStore(await ready).remove(crawlId);
    },

    /** A kept (or still running, or cancelled) site check with its rows. */
    async loadSiteCheck(crawlId: string): Promise<StoredCrawl | undefined> {
      return new CrawlStore(await ready).load(crawlId);
    },

    async load(runId: string): Promise<SavedRun | undefined> {
      const d = await ready;
      const record = await d.get('runs', runId);
      if (record?.kind !== 'page') return undefined;
      const chunks = await d.getAll('runLinks', chunkRange(runId));
      return {
        record: { ...record, meta: recordedMeta(record.meta) },
        entries: chunks.sort((a, b) => a.index - b.index).flatMap((c) => c.entries),
      };
    },

    /** Every kept run's record (no rows), for the options page's lists. */
    records,

    async clearPage(pageUrl: string): Promise<number> {
      const ids = (await (await ready).getAllKeysFromIndex('runs', 'byPage', pageKeyOf(pageUrl))) as string[];
      await deleteRuns(ids);
      await deleteOtherCrawls((meta) => pageKeyOf(meta.startUrl) === pageKeyOf(pageUrl));
      return ids.length;
    },

    async clearSite(site: string): Promise<number> {
      const ids = (await (await ready).getAllKeysFromIndex('runs', 'bySite', site)) as string[];
      await deleteRuns(ids);
      await deleteOtherCrawls((meta) => siteOf(meta.startUrl) === site);
      return ids.length;
    },

    async clearAll(): Promise<void> {
      await deleteRuns(await (await ready).getAllKeys('runs'));
      await deleteOtherCrawls(() => true);
    },
  };
}

export type History = ReturnType<typeof createHistory>;
