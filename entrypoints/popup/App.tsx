import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ExportControls, saveReport } from '@/components/ExportControls';
import { LinkDetails } from '@/components/LinkDetails';
import { ListControls } from '@/components/ListControls';
import { fmt, interleave, t } from '@/components/l10n';
import { PageNotices } from '@/components/PageNotices';
import { RunSummary } from '@/components/RunSummary';
import type { RunSignals } from '@/components/run-signals';
import { SiteCheckStart } from '@/components/SiteCheckStart';
import { useRowOrder } from '@/components/use-row-order';
import { VerdictBadge } from '@/components/VerdictBadge';
import { VerifyControl } from '@/components/VerifyControl';
import { VirtualList } from '@/components/VirtualList';
import type { CrawlOptions } from '@/utils/crawl/types';
import { entryChange } from '@/utils/history/diff';
import type { ClientMessage } from '@/utils/protocol';
import { middleEllipsis, type SortKey } from '@/utils/run/view';
import type { LinkEntry, Verdict } from '@/utils/types';

/** What the popup can do on the checked page itself (through the highlight content script the entrypoint injects). */
export interface OnPage {
  show(url: string): void;
  mark(marks: [url: string, verdict: Verdict][] | null): void;
  marked(): Promise<number>;
}

interface Props {
  store: RunSignals;
  send: (message: ClientMessage) => void;
  openReport: () => void;
  openOptions: () => void;
  /** Saves a file (through the browser's download manager: see downloadThroughManager). */
  download: (fileName: string, mime: string, text: string) => void;
  copy: (text: string) => Promise<void>;
  onPage: OnPage;
  tabId?: number;
  /** The keyboard shortcut that opens this popup (`_execute_action`), empty when the user has none set. */
  shortcut?: string;
  /** A site check's default options (from the settings), once read; and how to start one from this tab. */
  crawlDefaults?: CrawlOptions | null;
  startCrawl?: (options: CrawlOptions) => void;
}

const ROW_HEIGHT = 30;
/** The User Timing mark of the popup's first verdict on screen. */
export const FIRST_VERDICT_MARK = 'linkpulse:first-verdict';

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function App({
  store,
  send,
  openReport,
  openOptions,
  download,
  copy,
  onPage,
  tabId,
  shortcut,
  crawlDefaults = null,
  startCrawl = () => {},
}: Props) {
  const meta = store.meta.value;
  const entries = store.entries.value;
  const summary = store.summary.value;
  const [verdicts, setVerdicts] = useState<ReadonlySet<Verdict>>(new Set());
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('verdict');
  const [newProblemsOnly, setNewProblemsOnly] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const running = meta?.state === 'running';
  const now = useNow(running);
  const view = useMemo(() => ({ verdicts, query, sort, newProblemsOnly }), [verdicts, query, sort, newProblemsOnly]);
  const rows = useRowOrder(store, view);
  // A User Timing mark when the first verdict reaches the screen (committed now, painted with this frame): what
  // `npm run bench` reads as "first verdict visible", and what a profile in DevTools shows.
  const markedFirst = useRef(false);
  useLayoutEffect(() => {
    if (markedFirst.current || summary.checked === 0) return;
    markedFirst.current = true;
    performance.mark(FIRST_VERDICT_MARK);
  }, [summary.checked]);
  const runButton = useRef<HTMLButtonElement>(null);
  const refocusRun = useRef(false);
  useLayoutEffect(() => {
    if (!running || !refocusRun.current) return;
    refocusRun.current = false;
    runButton.current?.focus();
  }, [running]);
  const [highlighting, setHighlighting] = useState(false);
  const lastMark = useRef(0);
  /** The entries the page was last marked with: the follow-up effect skips what the click already sent. */
  const markedEntries = useRef<readonly LinkEntry[] | null>(null);
  const markPage = (current: readonly LinkEntry[]) => {
    lastMark.current = Date.now();
    markedEntries.current = current;
    onPage.mark(current.flatMap((e) => (e.result ? [[e.url, e.result.verdict] as [string, Verdict]] : [])));
  };
  // Highlights left on the page by an earlier popup: show the toggle as on.
  useEffect(() => {
    void onPage.marked().then((n) => {
      if (n > 0) setHighlighting(true);
    });
  }, [onPage]);
  // While highlighting, the page follows the results, at most every 400 ms.
  useEffect(() => {
    if (!highlighting || markedEntries.current === entries) return;
    const wait = Math.max(0, lastMark.current + 400 - Date.now());
    const timer = setTimeout(() => markPage(entries), wait);
    return () => clearTimeout(timer);
  }, [highlighting, entries, onPage]);
  // Both ways the page is told within the click itself, not after the next frame: a click on the page right after it
  // closes the popup, and a mark still waiting in the popup would be lost with it.
  const toggleHighlights = (on: boolean) => {
    setHighlighting(on);
    if (on) markPage(entries);
    else {
      markedEntries.current = null;
      onPage.mark(null);
    }
  };

  if (store.unavailable.value) {
    return (
      <main class="popup">
        <h1>Linkpulse</h1>
        <p class="notice" role="status" data-testid="unavailable">
          {store.unavailable.value}
        </p>
        {tabId !== undefined ? (
          <button type="button" onClick={() => send({ type: 'recheck', tabId, onlyFailed: false })}>
            {t('popup.checkPage')}
          </button>
        ) : null}
      </main>
    );
  }
  if (!meta || tabId === undefined) {
    return (
      <main class="popup">
        <p role="status">{t('popup.collecting')}</p>
      </main>
    );
  }
  const elapsedMs = (meta.finishedAt ?? now) - meta.startedAt;
  const rate = elapsedMs > 0 ? summary.checked / (elapsedMs / 1000) : 0;
  // A file:// page has no host: its address names it.
  const host = (() => {
    try {
      return new URL(meta.page.url).host || meta.page.url;
    } catch {
      return meta.page.url;
    }
  })();
  const toggle = (verdict: Verdict) => {
    const next = new Set(verdicts);
    if (!next.delete(verdict)) next.add(verdict);
    setVerdicts(next);
  };
  const selectedEntry = selected ? entries.find((e) => e.url === selected) : undefined;
  return (
    <main class="popup">
      <header>
        {/* dir=auto: a right-to-left title starts at the right, and the ellipsis cuts its end rather than its start. */}
        <h1 title={meta.page.title} dir="auto">
          {meta.page.title || host}
        </h1>
        <p class="sub">
          <span>{host}</span> ·{' '}
          <span data-testid="progress-text">
            {t('popup.checked', { checked: fmt.count(summary.checked), total: fmt.count(summary.total) })}
          </span>{' '}
          · {fmt.seconds(elapsedMs)} · {t('popup.rate', { rate: fmt.decimal(rate) })}
          {meta.state === 'cancelled' ? ` · ${t('popup.cancelled')}` : ''}
        </p>
        <div class="actions">
          {/* One button for both, so that the focus stays on it as the run starts and ends. */}
          <button
            ref={runButton}
            type="button"
            data-testid={running ? 'cancel' : 'recheck'}
            onClick={() => send(running ? { type: 'cancel', tabId } : { type: 'recheck', tabId, onlyFailed: false })}
          >
            {running ? t('common.cancel') : t('common.recheck')}
          </button>
          {running ? null : (
            <button
              type="button"
              data-testid="recheck-failed"
              disabled={summary.broken + summary.blocked + summary.error === 0}
              onClick={() => {
                // It goes while the run it starts is going: the focus moves on to Cancel, not to the page's body.
                refocusRun.current = true;
                send({ type: 'recheck', tabId, onlyFailed: true });
              }}
            >
              {t('popup.recheckFailed')}
            </button>
          )}
          <button type="button" data-testid="open-report" onClick={openReport}>
            {t('popup.openReport')}
          </button>
          <button type="button" class="link" data-testid="open-options" onClick={openOptions}>
            {t('common.options')}
          </button>
        </div>
        <VerifyControl
          meta={meta}
          entries={entries}
          onVerify={() => send({ type: 'verify', tabId, action: 'start' })}
          onStop={() => send({ type: 'verify', tabId, action: 'stop' })}
        />
        <label class="highlight-toggle">
          <input
            type="checkbox"
            data-testid="highlight-toggle"
            checked={highlighting}
            onChange={(e) => toggleHighlights((e.currentTarget as HTMLInputElement).checked)}
          />{' '}
          {t('popup.highlight')}
        </label>
        <SiteCheckStart defaults={crawlDefaults} start={startCrawl} />
        <details class="export-panel">
          <summary>{t('popup.export')}</summary>
          <ExportControls
            meta={meta}
            entries={entries}
            onExport={(format, scope) => saveReport(meta, entries, format, scope, download)}
            copy={copy}
            drawing={store.drawing.value}
          />
        </details>
      </header>
      <PageNotices meta={meta} />
      <RunSummary
        summary={summary}
        selected={verdicts}
        onToggle={toggle}
        compared={meta.baseline !== undefined}
        newProblemsOnly={newProblemsOnly}
        onToggleNewProblems={() => setNewProblemsOnly(!newProblemsOnly)}
      />
      {meta.total === 0 && !running ? (
        <p class="notice" role="status" data-testid="no-links">
          {t('popup.noLinks')}
        </p>
      ) : (
        <>
          <ListControls query={query} sort={sort} onQuery={setQuery} onSort={setSort} />
          <VirtualList
            count={rows.length}
            rowHeight={ROW_HEIGHT}
            height={300}
            label={t('common.links')}
            renderRow={(i) => {
              const entry = entries[rows[i] as number];
              if (!entry) return null;
              const result = entry.result;
              return (
                <li
                  key={entry.url}
                  class={`row${selected === entry.url ? ' selected' : ''}`}
                  data-testid="popup-row"
                  data-url={entry.url}
                  data-verdict={result?.verdict ?? ''}
                  data-phase={entry.phase}
                  data-change={entryChange(entry)}
                >
                  <button
                    type="button"
                    class="row-button"
                    aria-expanded={selected === entry.url}
                    onClick={() => {
                      setSelected(selected === entry.url ? null : entry.url);
                      onPage.show(entry.url);
                    }}
                    title={entry.url}
                  >
                    <VerdictBadge entry={entry} />
                    <span class="status">{result?.status ?? ''}</span>
                    <span class="ms">{result ? fmt.ms(result.ms) : ''}</span>
                    <span class="url">{middleEllipsis(entry.url, 42)}</span>
                    <span class="occ" title={t('popup.timesOnPage')}>
                      {entry.occurrences > 1 ? `×${entry.occurrences}` : ''}
                    </span>
                  </button>
                </li>
              );
            }}
          />
          {selectedEntry ? <LinkDetails entry={selectedEntry} /> : null}
        </>
      )}
      <ShortcutHint shortcut={shortcut} />
    </main>
  );
}

/** Says how to open Linkpulse from the keyboard: the shortcut the browser has for it, or where to set one. */
function ShortcutHint({ shortcut }: { shortcut: string | undefined }) {
  if (shortcut === undefined) return null;
  return (
    <footer class="shortcut" data-testid="shortcut">
      {shortcut
        ? interleave(t('popup.shortcut', { key: '{key}' }), { key: <kbd>{shortcut}</kbd> })
        : t('popup.noShortcut')}
    </footer>
  );
}
