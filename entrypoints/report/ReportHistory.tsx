import { useState } from 'preact/hooks';
import { HistoryView } from '@/components/HistoryView';
import { t } from '@/components/l10n';
import { useKeptHistory, type WatchHistory } from '@/components/use-kept-history';
import type { RunRecord } from '@/utils/history/history-store';
import type { SiteRunRecord } from '@/utils/history/site-record';
import type { RunMeta } from '@/utils/run/stored-run';

/** Where the report page reads a page's kept runs and the site checks started from it, and hears they changed. */
export interface ReportHistoryAccess {
  runsOf(pageUrl: string): Promise<RunRecord[]>;
  href(runId: string): string;
  siteChecksOf(pageUrl: string): Promise<SiteRunRecord[]>;
  siteHref(crawlId: string): string;
  watch: WatchHistory;
}

interface Kept {
  runs: RunRecord[];
  siteChecks: SiteRunRecord[];
}

/**
 * The page's past checks, read when the person opens the panel, and again while it is open when "Check again" puts
 * another run on screen and when the history changes: a run is kept once its end has reached the page, not before.
 */
export function ReportHistory({ meta, history }: { meta: RunMeta; history: ReportHistoryAccess }) {
  const [open, setOpen] = useState(false);
  const kept = useKeptHistory<Kept>(
    open,
    async () => {
      const [runs, siteChecks] = await Promise.all([
        history.runsOf(meta.page.url).catch(() => []),
        history.siteChecksOf(meta.page.url).catch(() => []),
      ]);
      return { runs, siteChecks };
    },
    { runs: [], siteChecks: [] },
    history.watch,
    `${meta.page.url} ${meta.runId}`,
  );
  return (
    <details class="history-panel" onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary data-testid="open-history">{t('report.history')}</summary>
      {kept === null ? (
        <p>{t('common.loading')}</p>
      ) : (
        <HistoryView runs={kept.runs} currentRunId={meta.runId} runHref={history.href} />
      )}
      {kept && kept.siteChecks.length > 0 ? (
        <>
          <h3>{t('history.siteChecks')}</h3>
          <HistoryView runs={kept.siteChecks} kind="site" runHref={history.siteHref} />
        </>
      ) : null}
    </details>
  );
}
