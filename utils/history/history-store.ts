import { CrawlStore } from '../crawl/crawl-store';
import { summarize } from '../report/report';
import type { RunMeta } from '../run/stored-run';
import type { LinkpulseDb } from '../storage/database';
import type { LinkEntry, RunCounts } from '../types';
import { pageKeyOf, siteOf } from './keys';
import { type KeptRun, PRUNE_LIMITS, type PruneLimits, planPruning } from './prune';

/** A finished run as kept: what lists and charts need, without its rows (those are in `runLinks`). */
export interface RunRecord extends KeptRun {
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

const chunkRange = (runId: string) => IDBKeyRange.bound([runId, 0], [runId, Number.MAX_SAFE_INTEGER]);

export interface SavedRun {
  record: RunRecord;
  entries: LinkEntry[];
}

/** The kept history: save a finished run, find the previous one, list, open, clear. */
export function createHistory(db: Promise<LinkpulseDb> | LinkpulseDb, limits: PruneLimits = PRUNE_LIMITS) {
  const ready = Promise.resolve(db);

  /**
   * Removes the finished site checks of one site (all sites when null): they are history too. A site check still going
   * is left alone — its pages are being written as it goes — and is kept until the next clearing.
   */
  async function deleteFinishedCrawls(site: string | null): Promise<void> {
    const crawls = new CrawlStore(await ready);
    for (const meta of await crawls.list()) {
      if (meta.state === 'running') continue;
      if (site !== null && siteOf(meta.startUrl) !== site) continue;
      await crawls.remove(meta.crawlId);
    }
  }

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
        summary: summarize([...entries], meta.state),
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
      await deleteFinishedCrawls(site);
      return ids.length;
    },

    async clearAll(): Promise<void> {
      const tx = (await ready).transaction(['runs', 'runLinks'], 'readwrite');
      void tx.objectStore('runs').clear();
      void tx.objectStore('runLinks').clear();
      await tx.done;
      await deleteFinishedCrawls(null);
    },
  };
}

export type History = ReturnType<typeof createHistory>;
