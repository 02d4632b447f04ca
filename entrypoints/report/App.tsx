import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ExportControls, type ExportFormat, saveReport } from '@/components/ExportControls';
import { ListControls } from '@/components/ListControls';
import { fmt, t } from '@/components/l10n';
import { PageNotices } from '@/components/PageNotices';
import { RunSettings } from '@/components/RunSettings';
import { RunSummary } from '@/components/RunSummary';
import type { RunSignals } from '@/components/run-signals';
import { useRowOrder } from '@/components/use-row-order';
import { VerifyControl } from '@/components/VerifyControl';
import type { IgnoredLink } from '@/utils/history/ignore';
import type { ClientMessage } from '@/utils/protocol';
import type { ReportScope } from '@/utils/report/report';
import { type SortKey, viewFilter } from '@/utils/run/view';
import type { Verdict } from '@/utils/types';
import { LinkRows } from './LinkRows';
import { ReportHistory, type ReportHistoryAccess } from './ReportHistory';

/** No verdict chip pressed: the order holds every row, and the chips only hide rows. */
const EVERY_VERDICT: ReadonlySet<Verdict> = new Set();

interface Props {
  store: RunSignals;
  send: (message: ClientMessage) => void;
  download: (fileName: string, mime: string, text: string) => void;
  copy: (text: string) => Promise<void>;
  /** An export asked for by the popup (`?export=csv&scope=problems`): saved once the run has loaded. */
  pendingExport?: { format: ExportFormat; scope: ReportScope };
  tabId?: number;
  /** A past run from the history, read-only: no Re-check, no live updates. */
  pastRun?: boolean;
  /** This page's site's ignored links, by URL, and how to change them (absent: no ignore controls). */
  ignores?: {
    links: ReadonlyMap<string, IgnoredLink>;
    ignore(url: string, note: string): void;
    unignore(url: string): void;
  };
  /** The page's kept runs and the site checks started from it, newest first, and the address that opens one. */
  history?: ReportHistoryAccess;
}

export function App({ store, send, download, copy, pendingExport, tabId, pastRun, ignores, history }: Props) {
  const meta = store.meta.value;
  const entries = store.entries.value;
  const summary = store.summary.value;
  const exported = useRef(false);
  const drawing = store.drawing.value;
  useEffect(() => {
    // Once every row received is there: a large run's rows are drawn over several frames.
    if (!pendingExport || !meta || drawing || exported.current) return;
    exported.current = true;
    saveReport(meta, entries, pendingExport.format, pendingExport.scope, download);
  }, [pendingExport, meta, entries, drawing, download]);
  const [verdicts, setVerdicts] = useState<ReadonlySet<Verdict>>(new Set());
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('verdict');
  const [newProblemsOnly, setNewProblemsOnly] = useState(false);
  const shown = useMemo(() => viewFilter({ verdicts, query, newProblemsOnly }), [verdicts, query, newProblemsOnly]);
  // Every link stays in the DOM (Ctrl+F, printing); filters only hide rows.
  const order = useMemo(() => ({ verdicts: EVERY_VERDICT, query: '', sort }), [sort]);
  const rows = useRowOrder(store, order);

  if (store.unavailable.value) {
    return (
      <main class="report">
        <h1>{t('report.title')}</h1>
        <p class="notice" data-testid="unavailable">
          {store.unavailable.value}
        </p>
        {/* The words ask for it (the tab went to another page, its page was busy): the control is here, as in the popup. */}
        {pastRun || tabId === undefined ? null : (
          <div class="actions">
            <button
              type="button"
              data-testid="recheck"
              onClick={() => send({ type: 'recheck', tabId, onlyFailed: false })}
            >
              {t('common.recheck')}
            </button>
          </div>
        )}
      </main>
    );
  }
  if (!meta || (tabId === undefined && !pastRun)) return <main class="report">{t('common.loading')}</main>;
  const toggle = (verdict: Verdict) => {
    const next = new Set(verdicts);
    if (!next.delete(verdict)) next.add(verdict);
    setVerdicts(next);
  };
  return (
    <main class="report">
      <header>
        <h1>{meta.page.title || meta.page.url}</h1>
        <p class="sub">
          <a href={/^https?:/.test(meta.page.url) ? meta.page.url : undefined}>{meta.page.url}</a> ·{' '}
          {t('report.started', { when: fmt.dateTime(meta.startedAt) })}
          {meta.finishedAt ? ` · ${t('report.took', { time: fmt.duration(meta.finishedAt - meta.startedAt) })}` : ''}
        </p>
        {pastRun ? (
          <p class="notice" data-testid="past-run">
            {t('report.pastRun')}
          </p>
        ) : null}
        <div class="actions">
          {pastRun || tabId === undefined ? null : meta.state === 'running' ? (
            <button type="button" onClick={() => send({ type: 'cancel', tabId })}>
              {t('common.cancel')}
            </button>
          ) : (
            <button
              type="button"
              data-testid="recheck"
              onClick={() => send({ type: 'recheck', tabId, onlyFailed: false })}
            >
              {t('common.recheck')}
            </button>
          )}
          <ExportControls
            meta={meta}
            entries={entries}
            onExport={(format, scope) => saveReport(meta, entries, format, scope, download)}
            copy={copy}
            drawing={store.drawing.value}
          />
        </div>
        {/* A past run is a record: nothing is checked again from it. */}
        {pastRun || tabId === undefined ? null : (
          <VerifyControl
            meta={meta}
            entries={entries}
            onVerify={() => send({ type: 'verify', tabId, action: 'start' })}
            onStop={() => send({ type: 'verify', tabId, action: 'stop' })}
          />
        )}
      </header>
      <RunSettings settings={meta.settings} />
      <PageNotices meta={meta} />
      <RunSummary
        summary={summary}
        selected={verdicts}
        onToggle={toggle}
        compared={meta.baseline !== undefined}
        newProblemsOnly={newProblemsOnly}
        onToggleNewProblems={() => setNewProblemsOnly(!newProblemsOnly)}
      />
      {meta.baseline ? (
        <p class="sub" data-testid="compared-with">
          {t('report.comparedWith', { when: fmt.dateTime(meta.baseline.finishedAt) })}
        </p>
      ) : null}
      {history ? <ReportHistory meta={meta} history={history} /> : null}
      <ListControls query={query} sort={sort} onQuery={setQuery} onSort={setSort} />
      <LinkRows
        entries={entries}
        rows={rows}
        sort={sort}
        shown={shown}
        ignores={ignores && !pastRun ? ignores : undefined}
        label={t('common.links')}
      >
        <thead>
          <tr>
            <th scope="col">{t('report.column.verdict')}</th>
            <th scope="col">{t('report.column.status')}</th>
            <th scope="col">{t('report.column.time')}</th>
            <th scope="col">{t('report.column.url')}</th>
            <th scope="col">{t('report.column.finalUrl')}</th>
            <th scope="col">{t('report.column.onPage')}</th>
            <th scope="col">{t('report.column.reason')}</th>
            <th scope="col">{t('report.column.change')}</th>
            <th scope="col">
              <span class="sr-only">{t('ignore.ignore')}</span>
            </th>
          </tr>
        </thead>
      </LinkRows>
    </main>
  );
}
