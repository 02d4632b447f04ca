import { type CrawlLink, type CrawlMeta, type CrawlPage, rowsNotSaved } from '../crawl/types';
import { type Baseline, baselineOf } from './diff';
import type { History } from './history-store';

export interface SiteHistoryDeps {
  history: Pick<History, 'siteChecksOf' | 'loadSiteCheck' | 'saveSiteCheck' | 'forgetSiteCheck' | 'has'>;
  /** Whether the tab is in a private (incognito) window; true also when that cannot be known. */
  isPrivate(tabId: number): Promise<boolean>;
  log: Pick<Console, 'error'>;
}

/** What a new site check takes from the history: the marks for its meta, and the verdicts to compare its links with. */
export interface SiteStart {
  meta: Pick<CrawlMeta, 'baseline' | 'private'>;
  baseline: Baseline | null;
}

/**
 * History's part in a site check's life, as run-history.ts is for a page check: before it starts, the previous
 * finished site check of the same start page to compare each link with; once done, keep it. Nothing is read or kept
 * for a private window (its rows, written as it goes so it can resume, go when it ends), and a failure of the history
 * never stops a site check (the console says why).
 */
export function createSiteHistory(deps: SiteHistoryDeps) {
  async function verdictsOf(crawlId: string): Promise<Baseline | null> {
    const stored = await deps.history.loadSiteCheck(crawlId);
    return stored ? baselineOf(stored.links.map((l) => ({ url: l.url, verdict: l.result?.verdict }))) : null;
  }

  /**
   * A site check that ended in an earlier worker life whose end the history may not have heard of: that worker can stop
   * between the check's last write and `ended`. A finished one without its record, or a private one still stored, did
   * not get there. (The history removes a check's rows when it prunes or clears its record, so a stored finished check
   * without one was never recorded.)
   */
  async function endCutShort(meta: CrawlMeta): Promise<boolean> {
    // One whose rows storage did not all take is not kept: it would be compared with as though links were gone.
    if (meta.state === 'running' || rowsNotSaved(meta)) return false;
    if (meta.private) return true;
    return meta.state === 'done' && !(await deps.history.has(meta.crawlId));
  }

  const site = {
    async prepare(tabId: number, startUrl: string): Promise<SiteStart> {
      if (await deps.isPrivate(tabId).catch(() => true)) return { meta: { private: true }, baseline: null };
      try {
        const [previous] = await deps.history.siteChecksOf(startUrl);
        const baseline = previous ? await verdictsOf(previous.runId) : null;
        if (previous && baseline) {
          return { meta: { baseline: { crawlId: previous.runId, finishedAt: previous.finishedAt } }, baseline };
        }
      } catch (error) {
        deps.log.error('Linkpulse: could not read the history of this site check', error);
      }
      return { meta: {}, baseline: null };
    },

    /** The verdicts a site check picked up after a worker restart compares with (null: none, or gone since). */
    async baselineOf(meta: CrawlMeta): Promise<Baseline | null> {
      if (!meta.baseline || meta.private) return null;
      try {
        return await verdictsOf(meta.baseline.crawlId);
      } catch (error) {
        deps.log.error('Linkpulse: could not read the history of this site check', error);
        return null;
      }
    },

    /**
     * A site check ended, its last rows written: a finished one is kept in the history (a cancelled one is not), and
     * one of a private window is removed. Resolves false when storage refused that (full, most likely).
     */
    async ended(meta: CrawlMeta, pages: readonly CrawlPage[], links: readonly CrawlLink[]): Promise<boolean> {
      try {
        if (meta.private) await deps.history.forgetSiteCheck(meta.crawlId);
        else if (meta.state === 'done') await deps.history.saveSiteCheck(meta, links, pages.length);
        return true;
      } catch (error) {
        deps.log.error('Linkpulse: could not keep this site check in the history', error);
        return false;
      }
    },

    /**
     * A stored site check found by a worker starting: if it ended in an earlier life and was not handed to the history
     * then, it is now, as `ended` would have (kept, or forgotten if private). Once only: a recorded one is left alone.
     */
    async endedBefore(meta: CrawlMeta): Promise<void> {
      try {
        if (!(await endCutShort(meta))) return;
        const stored = await deps.history.loadSiteCheck(meta.crawlId);
        if (stored) await site.ended(stored.meta, stored.pages, stored.links);
      } catch (error) {
        deps.log.error('Linkpulse: could not keep this site check in the history', error);
      }
    },
  };
  return site;
}

export type SiteHistory = ReturnType<typeof createSiteHistory>;
