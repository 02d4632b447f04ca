import type { IDBPTransaction, StoreNames } from 'idb';
import { siteRunRecord } from '../history/site-record';
import type { LinkEntry } from '../types';
import type { LinkpulseSchema } from './database';

type VersionChange = IDBPTransaction<LinkpulseSchema, StoreNames<LinkpulseSchema>[], 'versionchange'>;

/**
 * Migration to version 3: each finished site check kept before site checks joined the history gets its history record,
 * so it is listed, compared with and pruned like one saved since. Its rows stay where they are. A check whose record
 * cannot be read as one is left as it was (still in the crawl stores) rather than failing the whole upgrade.
 */
export async function adoptFinishedSiteChecks(tx: VersionChange): Promise<void> {
  const chunks = tx.objectStore('crawlChunks').index('byCrawl');
  const runs = tx.objectStore('runs');
  for (const meta of await tx.objectStore('crawls').getAll()) {
    if (meta.state !== 'done' || typeof meta.startUrl !== 'string' || typeof meta.crawlId !== 'string') continue;
    let bytes = 0;
    let pages = 0;
    const links: LinkEntry[] = [];
    for (const chunk of await chunks.getAll(meta.crawlId)) {
      bytes += chunk.rows.length;
      const rows = parseRows(chunk.rows);
      if (chunk.kind === 'pages') pages += rows.length;
      if (chunk.kind === 'links') links.push(...(rows as LinkEntry[]));
    }
    await runs.put(siteRunRecord(meta, links, pages, bytes));
  }
}

/** A chunk's rows; a chunk that does not read as a list counts as none (its check is still kept). */
function parseRows(text: string): unknown[] {
  try {
    const rows: unknown = JSON.parse(text);
    return Array.isArray(rows) ? rows : [];
  } catch {
    return [];
  }
}
