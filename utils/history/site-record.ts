import type { CrawlMeta } from '../crawl/types';
import { summarize } from '../report/report';
import type { LinkEntry, RunCounts } from '../types';
import { pageKeyOf, siteOf } from './keys';
import type { KeptRun } from './prune';

/**
 * A finished site check as the history keeps it: a record in `runs` beside the page checks, kept and pruned by the same
 * rules. Its rows stay where the crawl wrote them (`crawls`, `crawlChunks`, under the same id): a finished check is not
 * copied, and pruning the record removes them too.
 */
export interface SiteRunRecord extends KeptRun {
  kind: 'site';
  site: string;
  meta: CrawlMeta;
  summary: RunCounts;
  /** Pages the check fetched. */
  pages: number;
}

/** The history record of a finished site check; `bytes`: about what its rows take on disk. */
export function siteRunRecord(
  meta: CrawlMeta,
  links: readonly LinkEntry[],
  pages: number,
  bytes: number,
): SiteRunRecord {
  return {
    runId: meta.crawlId,
    kind: 'site',
    pageKey: pageKeyOf(meta.startUrl),
    site: siteOf(meta.startUrl),
    finishedAt: meta.finishedAt ?? meta.startedAt,
    bytes,
    meta: structuredClone(meta),
    summary: summarize([...links], meta.state),
    pages,
  };
}

/** The crawl page showing a kept site check: read from the history, with no tab behind it. */
export function siteCheckPath(crawlId: string): string {
  return `/crawl.html?crawl=${encodeURIComponent(crawlId)}`;
}
