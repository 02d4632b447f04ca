import type { IDBPObjectStore, StoreNames } from 'idb';
import type { LinkpulseDb, LinkpulseSchema } from '../storage/database';
import type { CrawlLink, CrawlMeta, CrawlPage } from './types';

/** Rows per stored chunk: a change rewrites one chunk. */
export const CHUNK_ROWS = 500;
/**
 * Site checks kept outside the history (cancelled ones, those of a private window); older ones are pruned when a new
 * one starts. Finished checks in the history are kept and pruned by it (utils/history/history-store.ts).
 */
export const KEEP_CRAWLS = 10;

export interface StoredCrawl {
  meta: CrawlMeta;
  pages: CrawlPage[];
  links: CrawlLink[];
  /** Pages found and not fetched yet (to resume). */
  pending: { url: string; depth: number }[];
}

type Kind = 'pages' | 'links' | 'pending';

/** One kind of a site check's rows to write: the whole list, and the chunks of it that changed (all when undefined). */
export interface RowsChange {
  kind: Kind;
  rows: unknown[];
  dirty?: Iterable<number>;
}

/** A request that fails fails its transaction (or was undone with it): `tx.done` says so, once. */
const reportedByTransaction = () => {};

type ChunkStore = IDBPObjectStore<LinkpulseSchema, ArrayLike<StoreNames<LinkpulseSchema>>, 'crawlChunks', 'readwrite'>;

/**
 * Puts the changed chunks of one kind of rows in a transaction. Chunks past the list's end are deleted: a list that
 * shrank (the pending pages, every save) must not read back with the tail of a longer one, or a resumed crawl fetches
 * pages again and counts their links twice.
 */
function writeRows(store: ChunkStore, crawlId: string, { kind, rows, dirty }: RowsChange): void {
  const chunks = Math.ceil(rows.length / CHUNK_ROWS);
  const which = dirty ? [...dirty] : Array.from({ length: chunks }, (_, i) => i);
  for (const index of which) {
    if (index >= chunks) continue;
    const slice = rows.slice(index * CHUNK_ROWS, (index + 1) * CHUNK_ROWS);
    store.put({ crawlId, kind, index, rows: JSON.stringify(slice) }).catch(reportedByTransaction);
  }
  store
    .delete(IDBKeyRange.bound([crawlId, kind, chunks], [crawlId, kind, Number.POSITIVE_INFINITY]))
    .catch(reportedByTransaction);
}

/** Keeps site checks in IndexedDB: metadata in `crawls`, rows in chunks in `crawlChunks`. */
export class CrawlStore {
  constructor(private readonly db: LinkpulseDb) {}

  async saveMeta(meta: CrawlMeta): Promise<void> {
    await this.db.put('crawls', meta);
  }

  /**
   * Writes a site check's changed rows and its metadata in one transaction, all or nothing: a worker stopped between
   * separate writes would leave, say, a page's row written and the pending list that still names it not, and the
   * resumed crawl would fetch that page again and count its links twice.
   */
  async save(meta: CrawlMeta, changes: RowsChange[]): Promise<void> {
    const tx = this.db.transaction(['crawls', 'crawlChunks'], 'readwrite');
    try {
      for (const change of changes) writeRows(tx.objectStore('crawlChunks'), meta.crawlId, change);
      tx.objectStore('crawls').put(meta).catch(reportedByTransaction);
    } catch (error) {
      // A write that cannot even be queued (a value that cannot be stored) undoes the ones queued before it.
      tx.abort();
      await tx.done.catch(() => {});
      throw error;
    }
    await tx.done;
  }

  /** Writes the chunks of one kind of rows that `dirty` names (all when undefined); see writeRows. */
  async saveRows(crawlId: string, kind: Kind, rows: unknown[], dirty?: Iterable<number>): Promise<void> {
    const tx = this.db.transaction('crawlChunks', 'readwrite');
    writeRows(tx.store, crawlId, { kind, rows, dirty });
    await tx.done;
  }

  async load(crawlId: string): Promise<StoredCrawl | undefined> {
    const meta = await this.db.get('crawls', crawlId);
    if (!meta) return undefined;
    const chunks = await this.db.getAllFromIndex('crawlChunks', 'byCrawl', crawlId);
    const rows = (kind: Kind) =>
      chunks
        .filter((c) => c.kind === kind)
        .sort((a, b) => a.index - b.index)
        .flatMap((c) => JSON.parse(c.rows) as unknown[]);
    return {
      meta,
      pages: rows('pages') as CrawlPage[],
      links: rows('links') as CrawlLink[],
      pending: rows('pending') as StoredCrawl['pending'],
    };
  }

  /** About what a site check's rows take on disk: the length of its stored chunks. */
  async size(crawlId: string): Promise<number> {
    const chunks = await this.db.getAllFromIndex('crawlChunks', 'byCrawl', crawlId);
    return chunks.reduce((sum, chunk) => sum + chunk.rows.length, 0);
  }

  /** Every stored site check's metadata, newest first. */
  async list(): Promise<CrawlMeta[]> {
    return (await this.db.getAll('crawls')).sort((a, b) => b.startedAt - a.startedAt);
  }

  async remove(crawlId: string): Promise<void> {
    const tx = this.db.transaction(['crawls', 'crawlChunks'], 'readwrite');
    void tx.objectStore('crawls').delete(crawlId);
    const index = tx.objectStore('crawlChunks').index('byCrawl');
    for (let cursor = await index.openCursor(crawlId); cursor; cursor = await cursor.continue()) void cursor.delete();
    await tx.done;
  }

  /**
   * Keeps the newest `keep` site checks that have ended and are not in the history; the history's own are left to it,
   * and so is any still running (another tab's, paused or long: the oldest start, not the least wanted).
   */
  async prune(keep = KEEP_CRAWLS): Promise<void> {
    const inHistory = new Set(await this.db.getAllKeys('runs'));
    const others = (await this.list()).filter((meta) => meta.state !== 'running' && !inHistory.has(meta.crawlId));
    for (const old of others.slice(keep)) await this.remove(old.crawlId);
  }
}
