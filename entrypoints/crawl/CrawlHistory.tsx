import { useEffect, useState } from 'preact/hooks';
import { HistoryView } from '@/components/HistoryView';
import { t } from '@/components/l10n';
import type { CrawlMeta } from '@/utils/crawl/types';
import type { SiteRunRecord } from '@/utils/history/site-record';

/** Where the crawl page reads the kept site checks of a start page, and the address that opens one. */
export interface CrawlHistoryAccess {
  siteChecksOf(startUrl: string): Promise<SiteRunRecord[]>;
  href(crawlId: string): string;
}

/**
 * The site checks kept from this one's start page, read when the person opens the panel, and again while it is open
 * when another check replaces the one on screen ("Check again"): the one it replaced is then in the list.
 */
export function CrawlHistory({ meta, history }: { meta: CrawlMeta; history: CrawlHistoryAccess }) {
  const [open, setOpen] = useState(false);
  const [runs, setRuns] = useState<SiteRunRecord[] | null>(null);
  useEffect(() => {
    if (!open) return;
    let current = true;
    history.siteChecksOf(meta.startUrl).then(
      (kept) => current && setRuns(kept),
      () => current && setRuns([]),
    );
    return () => {
      current = false;
    };
  }, [open, history, meta.startUrl, meta.crawlId]);
  return (
    <details class="history-panel" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary data-testid="open-history">{t('crawl.history')}</summary>
      {runs === null ? (
        <p>{t('common.loading')}</p>
      ) : (
        <HistoryView runs={runs} kind="site" currentRunId={meta.crawlId} runHref={history.href} />
      )}
    </details>
  );
}
