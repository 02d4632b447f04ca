import { useEffect, useState } from 'preact/hooks';
import { fmt, t } from '@/components/l10n';
import type { WatchHistory } from '@/components/use-kept-history';
import type { History, KeptRecord } from '@/utils/history/history-store';
import type { IgnoredLink } from '@/utils/history/ignore';

interface Props {
  /** The ignore list as stored now (kept current by the entrypoint). */
  ignored: readonly IgnoredLink[];
  unignore(site: string, url: string): void;
  history: Pick<History, 'records' | 'clearPage' | 'clearSite' | 'clearAll'>;
  /** Word that the history changed (a check kept while this page is open): the lists are read again. */
  watch?: WatchHistory;
}

function bySite<T>(items: readonly T[], siteOf: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(siteOf(item));
    if (list) list.push(item);
    else groups.set(siteOf(item), [item]);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** How many page checks and site checks of a page are kept, in words: "2 checks, 1 site check". */
function keptCounts(runs: readonly KeptRecord[]): string {
  const sites = runs.filter((r) => r.kind === 'site').length;
  const checks = t('history.settings.pageChecks', runs.length - sites, [fmt.count(runs.length - sites)]);
  if (sites === 0) return checks;
  return `${checks}, ${t('history.settings.siteCheckCount', sites, [fmt.count(sites)])}`;
}

/** The ignored links by site, and the kept history by site and page, each clearable. */
export function HistorySettings({ ignored, unignore, history, watch }: Props) {
  const [records, setRecords] = useState<KeptRecord[] | null>(null);
  const [status, setStatus] = useState('');
  const reload = () =>
    history
      .records()
      .then(setRecords, (error) => setStatus(t('history.settings.unreadable', { problem: (error as Error).message })));
  useEffect(() => {
    void reload();
    return watch?.(() => void reload());
  }, []);
  const clear = (what: Promise<unknown>, done: string) => {
    void what.then(
      () => {
        setStatus(done);
        // The history says it changed once cleared, and `watch` reads the lists again on that word: read here only
        // without one (reading in both places read every list twice).
        if (!watch) void reload();
      },
      (error) => setStatus(t('history.settings.notCleared', { problem: (error as Error).message })),
    );
  };
  const pages = (runs: KeptRecord[]) => bySite(runs, (r) => r.pageKey);
  return (
    <>
      <section class="history-settings" data-testid="ignored-links" aria-labelledby="ignored-title">
        <h2 id="ignored-title">{t('history.settings.ignoredTitle')}</h2>
        <p class="help">{t('history.settings.ignoredHelp')}</p>
        {ignored.length === 0 ? <p>{t('history.settings.ignoredNone')}</p> : null}
        {bySite(ignored, (l) => l.site).map(([site, links]) => (
          <div key={site} class="site-group" data-site={site}>
            <h3>{site}</h3>
            <ul>
              {links.map((link) => (
                <li key={link.url} data-testid="ignored-link" data-url={link.url}>
                  <span class="url">{link.url}</span>
                  {link.note ? <span class="note"> — {link.note}</span> : null}{' '}
                  <button type="button" data-testid="options-unignore" onClick={() => unignore(site, link.url)}>
                    {t('history.settings.unignore')}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
      <section class="history-settings" data-testid="history-settings" aria-labelledby="history-title">
        <h2 id="history-title">{t('history.settings.title')}</h2>
        <p class="help">{t('history.settings.help')}</p>
        {records === null ? <p>{t('common.loading')}</p> : null}
        {records?.length === 0 ? <p data-testid="history-none">{t('history.settings.none')}</p> : null}
        {bySite(records ?? [], (r) => r.site).map(([site, runs]) => (
          <div key={site} class="site-group" data-testid="history-site" data-site={site}>
            <h3>
              {t('history.settings.siteChecks', runs.length, [fmt.count(runs.length)], { site })}{' '}
              <button
                type="button"
                data-testid="clear-history-site"
                onClick={() => clear(history.clearSite(site), t('history.settings.siteCleared', { site }))}
              >
                {t('history.settings.clearSite')}
              </button>
            </h3>
            <ul>
              {pages(runs).map(([page, pageRuns]) => (
                <li
                  key={page}
                  data-testid="history-page"
                  data-url={page}
                  data-site-checks={pageRuns.filter((r) => r.kind === 'site').length}
                >
                  <span class="url">{page}</span> ({keptCounts(pageRuns)}){' '}
                  <button
                    type="button"
                    data-testid="clear-history-page"
                    onClick={() => clear(history.clearPage(page), t('history.settings.pageCleared', { page }))}
                  >
                    {t('history.settings.clearPage')}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ))}
        <p>
          <button
            type="button"
            data-testid="clear-history-all"
            disabled={!records || records.length === 0}
            onClick={() => clear(history.clearAll(), t('history.settings.allCleared'))}
          >
            {t('history.settings.clearAll')}
          </button>
        </p>
        <p class="status" role="status" aria-live="polite" data-testid="history-status">
          {status}
        </p>
      </section>
    </>
  );
}
