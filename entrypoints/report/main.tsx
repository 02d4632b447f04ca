import { signal } from '@preact/signals';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { connectRun, type PortLike } from '@/components/connect-run';
import { downloadText } from '@/components/download';
import { isExportFormat } from '@/components/ExportControls';
import { ignoreProblemText } from '@/components/ignore-words';
import { markPageLanguage, t } from '@/components/l10n';
import { createRunSignals, framePacer, REPORT_ROWS_PER_FRAME } from '@/components/run-signals';
import { watchHistory } from '@/utils/history/history-changes';
import { createHistory, type History } from '@/utils/history/history-store';
import { type IgnoredLink, ignoredOn, parseIgnoredLinks } from '@/utils/history/ignore';
import { ignoredLinksItem, ignoreLink, readIgnored, unignoreLink } from '@/utils/history/ignore-store';
import { siteOf } from '@/utils/history/keys';
import { siteCheckPath } from '@/utils/history/site-record';
import { RUN_PORT } from '@/utils/protocol';
import { openLinkpulseDb } from '@/utils/storage/database';
import '@/components/theme.css';
import { App } from './App';
import './style.css';

markPageLanguage();
const copyText = (text: string) => navigator.clipboard.writeText(text);
const root = document.getElementById('app') as HTMLElement;
const store = createRunSignals(framePacer(), REPORT_ROWS_PER_FRAME);
const params = new URLSearchParams(location.search);
const tabId = Number(params.get('tab'));
const pastRunId = params.get('run');
const format = params.get('export');
const pendingExport = isExportFormat(format)
  ? { format, scope: params.get('scope') === 'problems' ? ('problems' as const) : ('all' as const) }
  : undefined;
// The export is done once: a reload of this page must not save the file again.
if (pendingExport)
  history.replaceState(null, '', pastRunId ? `?run=${encodeURIComponent(pastRunId)}` : `?tab=${tabId}`);

let kept: History | undefined;
const keptRuns = () => {
  kept ??= createHistory(openLinkpulseDb());
  return kept;
};
const historyAccess = {
  runsOf: (pageUrl: string) => keptRuns().runsOf(pageUrl),
  href: (runId: string) => `/report.html?run=${encodeURIComponent(runId)}`,
  siteChecksOf: (pageUrl: string) => keptRuns().siteChecksOf(pageUrl),
  siteHref: siteCheckPath,
  watch: watchHistory,
};

// The ignore list, kept current when it changes in another page (the options page, another report).
const ignoredList = signal<IgnoredLink[]>([]);
void readIgnored().then((list) => {
  ignoredList.value = list;
});
ignoredLinksItem.watch((value) => {
  const parsed = parseIgnoredLinks(value);
  ignoredList.value = parsed.ok ? parsed.value : [];
});

function Root({ send, live }: { send: Parameters<typeof App>[0]['send']; live: boolean }) {
  const site = siteOf(store.meta.value?.page.url ?? '');
  const ignores = {
    links: ignoredOn(ignoredList.value, site),
    ignore: (url: string, note: string) => {
      void ignoreLink({ site, url, note, at: Date.now() }).then((problem) => {
        if (problem) alert(ignoreProblemText(problem));
      });
    },
    unignore: (url: string) => {
      void unignoreLink(site, url).then((problem) => {
        if (problem) alert(ignoreProblemText(problem));
      });
    },
  };
  return (
    <App
      store={store}
      send={send}
      download={downloadText}
      copy={copyText}
      pendingExport={pendingExport}
      tabId={live ? tabId : undefined}
      pastRun={!live}
      ignores={site ? ignores : undefined}
      history={historyAccess}
    />
  );
}

if (pastRunId) {
  render(<Root send={() => {}} live={false} />, root);
  keptRuns()
    .load(pastRunId)
    .then(
      (saved) => {
        if (saved) store.apply({ type: 'snapshot', meta: saved.record.meta, entries: saved.entries });
        else store.unavailable.value = t('report.runGone');
      },
      (error) => {
        store.unavailable.value = t('report.historyUnreadable', { problem: (error as Error).message });
      },
    );
} else if (!Number.isInteger(tabId) || tabId < 0) {
  store.unavailable.value = t('report.needsTab');
  render(<App store={store} send={() => {}} download={() => {}} copy={copyText} />, root);
} else {
  const send = connectRun(
    () => browser.runtime.connect({ name: RUN_PORT }) as unknown as PortLike,
    tabId,
    false,
    store.apply,
  );
  render(<Root send={send} live />, root);
}
