import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ExportControls, type ExportFormat, saveReport } from '@/components/ExportControls';
import { resultTrail } from '@/components/LinkDetails';
import { ListControls } from '@/components/ListControls';
import { RunSettings } from '@/components/RunSettings';
import { RunSummary } from '@/components/RunSummary';
import type { RunSignals } from '@/components/run-signals';
import { VerdictBadge } from '@/components/VerdictBadge';
import { VerifyControl } from '@/components/VerifyControl';
import type { ClientMessage } from '@/utils/protocol';
import type { ReportScope } from '@/utils/report/report';
import { type SortKey, selectRows, viewFilter } from '@/utils/run/view';
import type { LinkEntry, Verdict } from '@/utils/types';

/** The reason column: the reason, whether it came from the cache, and the redirect statuses, as one text. */
function reasonText(r: LinkEntry['result']): string {
  if (!r) return '';
  const hops = r.redirects.length > 0 ? ` · ${r.redirects.map((h) => h.status).join(' → ')}` : '';
  const tab = r.verified ? ' · verified in a tab' : '';
  return `${r.reason}${r.cached ? ' (cached)' : ''}${hops}${tab}`;
}

interface Props {
  store: RunSignals;
  send: (message: ClientMessage) => void;
  download: (fileName: string, mime: string, text: string) => void;
  copy: (text: string) => Promise<void>;
  /** An export asked for by the popup (`?export=csv&scope=problems`): saved once the run has loaded. */
  pendingExport?: { format: ExportFormat; scope: ReportScope };
  tabId?: number;
}

export function App({ store, send, download, copy, pendingExport, tabId }: Props) {
  const meta = store.meta.value;
  const entries = store.entries.value;
  const summary = store.summary.value;
  const exported = useRef(false);
  useEffect(() => {
    if (!pendingExport || !meta || exported.current) return;
    exported.current = true;
    saveReport(meta, entries, pendingExport.format, pendingExport.scope, download);
  }, [pendingExport, meta, entries, download]);
  const [verdicts, setVerdicts] = useState<ReadonlySet<Verdict>>(new Set());
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('verdict');
  const shown = useMemo(() => viewFilter({ verdicts, query }), [verdicts, query]);
  // Every link stays in the DOM (Ctrl+F, printing); filters only hide rows.
  const rows = useMemo(() => selectRows(entries, { verdicts: new Set(), query: '', sort }), [entries, sort]);

  if (store.unavailable.value) {
    return (
      <main class="report">
        <h1>Linkpulse report</h1>
        <p class="notice" data-testid="unavailable">
          {store.unavailable.value}
        </p>
      </main>
    );
  }
  if (!meta || tabId === undefined) return <main class="report">Loading…</main>;
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
          <a href={/^https?:/.test(meta.page.url) ? meta.page.url : undefined}>{meta.page.url}</a> · started{' '}
          {new Date(meta.startedAt).toLocaleString()}
          {meta.finishedAt ? ` · took ${((meta.finishedAt - meta.startedAt) / 1000).toFixed(1)} s` : ''}
        </p>
        <div class="actions">
          {meta.state === 'running' ? (
            <button type="button" onClick={() => send({ type: 'cancel', tabId })}>
              Cancel
            </button>
          ) : (
            <button type="button" onClick={() => send({ type: 'recheck', tabId, onlyFailed: false })}>
              Re-check
            </button>
          )}
          <ExportControls
            meta={meta}
            entries={entries}
            onExport={(format, scope) => saveReport(meta, entries, format, scope, download)}
            copy={copy}
          />
        </div>
        <VerifyControl
          meta={meta}
          entries={entries}
          onVerify={() => send({ type: 'verify', tabId, action: 'start' })}
          onStop={() => send({ type: 'verify', tabId, action: 'stop' })}
        />
      </header>
      <RunSettings settings={meta.settings} />
      <RunSummary summary={summary} selected={verdicts} onToggle={toggle} />
      <ListControls query={query} sort={sort} onQuery={setQuery} onSort={setSort} />
      <table aria-label="Links">
        <thead>
          <tr>
            <th scope="col">Verdict</th>
            <th scope="col">Status</th>
            <th scope="col">Time</th>
            <th scope="col">URL</th>
            <th scope="col">Final URL</th>
            <th scope="col">On page</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => {
            const entry = entries[i];
            if (!entry) return null;
            const r = entry.result;
            return (
              <tr
                key={entry.url}
                hidden={!shown(entry)}
                data-testid="link-row"
                data-url={entry.url}
                data-verdict={r?.verdict ?? ''}
                data-status={r?.status ?? ''}
                data-final-url={r?.finalUrl ?? ''}
                data-ms={r?.ms ?? ''}
                data-occurrences={entry.occurrences}
                data-reason={r?.reason ?? ''}
                data-redirects={r?.redirects.length ?? 0}
                data-cached={r?.cached ? 'true' : undefined}
                data-verified={r?.verified ?? ''}
                data-verifying={entry.verifying ? 'true' : undefined}
              >
                <td>
                  <VerdictBadge entry={entry} />
                </td>
                {/* Empty cells stay empty (null, not ''): ten thousand rows, no needless text nodes. */}
                <td>{r?.status ?? null}</td>
                <td>{r ? `${r.ms} ms` : null}</td>
                <td class="url">{entry.url}</td>
                <td class="url">{r?.finalUrl && r.finalUrl !== entry.url ? r.finalUrl : null}</td>
                <td>{entry.occurrences}</td>
                <td title={resultTrail(r)}>{reasonText(r) || null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </main>
  );
}
