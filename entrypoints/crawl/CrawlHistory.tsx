import { useState } from 'preact/hooks';
import { HistoryView } from '@/components/HistoryView';
import { t } from '@/components/l10n';
import { useKeptHistory, type WatchHistory } from '@/components/use-kept-history';
import type { CrawlMeta } from '@/utils/crawl/types';
import type { SiteRunRecord } from '@/utils/history/site-record';

/** Where the crawl page reads the kept site checks of a start page, hears they changed, and the address that opens one. */
export interface CrawlHistoryAccess {
  siteChecksOf(startUrl: string): Promise<SiteRunRecord[]>;
  watch: WatchHistory;
  href(crawlId: string): string;
}

/**
 * The site checks kept from this one's start page, read when the person opens the panel, and again while it is open
 * when another check replaces the one on screen ("Check again") and when the history changes: the check on screen is
 * kept once its last rows are written, after the page has been told it is done.
 */
export function CrawlHistory({ meta, history }: { meta: CrawlMeta; history: CrawlHistoryAccess }) {
  const [open, setOpen] = useState(false);
  const runs = useKeptHistory<SiteRunRecord[]>(
    open,
    () => history.siteChecksOf(meta.startUrl),
    [],
    history.watch,
    `${meta.startUrl} ${meta.crawlId}`,
  );
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
