import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import type { CrawlSignals } from '@/components/crawl-signals';
import { fmt, interleave, t } from '@/components/l10n';
import { storedNoteText } from '@/components/note-words';
import { VerdictChips } from '@/components/RunSummary';
import { ROW_PX } from '@/components/row-chunks';
import { countData } from '@/components/row-data';
import type { CrawlClientMessage } from '@/utils/crawl/protocol';
import { cut, ROWS_PER_CHUNK, sameRows } from '@/utils/crawl/row-chunks';
import { buildSiteReport } from '@/utils/crawl/site-report';
import type { CrawlMeta, CrawlPage } from '@/utils/crawl/types';
import { WRITERS } from '@/utils/report';
import { reportFileName } from '@/utils/report/report';
import type { Verdict } from '@/utils/types';
import { CrawlHistory, type CrawlHistoryAccess } from './CrawlHistory';
import { LinkRows, type LinkRowsProps } from './LinkRows';
import type { ShowSource } from './LinkSources';

interface Props {
  signals: CrawlSignals;
  send: (message: CrawlClientMessage) => void;
  download: (fileName: string, mime: string, text: string) => void;
  /** Opens a problem's source page in a new tab with the link shown on it. */
  showSource: ShowSource;
  tabId: number;
  /** A finished site check from the history (`crawl.html?crawl=<id>`): read-only, no controls that need its tab. */
  past?: boolean;
  /** The kept site checks of the start page (absent: no history panel). */
  history?: CrawlHistoryAccess;
}

const FORMATS = [
  ['json', 'JSON'],
  ['csv', 'CSV'],
  ['md', 'Markdown'],
  ['html', 'HTML'],
] as const;

/** Pages as rows, a chunk at a time (as the links: see LinkRows), drawn again only when one of its pages changed. */
const PageChunk = memo(
  ({ pages }: { pages: CrawlPage[] }) => (
    <tbody class="chunk" style={{ containIntrinsicSize: `auto ${pages.length * ROW_PX}px` }}>
      {pages.map((page) => (
        <tr
          key={page.url}
          data-testid="page-row"
          data-url={page.url}
          data-status={page.status ?? ''}
          data-links={page.links}
          data-depth={page.depth}
        >
          <td class="url">
            {page.url}
            {page.title ? <div class="title">{page.title}</div> : null}
          </td>
          <td>{page.status ?? null}</td>
          <td>{page.depth}</td>
          <td>{page.links}</td>
          <td>{storedNoteText(page.note) || null}</td>
        </tr>
      ))}
    </tbody>
  ),
  (a, b) => sameRows(a.pages, b.pages),
);

/** Every page fetched, a chunk of rows at a time; drawn again only when the pages changed (not at each link's change). */
const PagesTable = memo(({ pages }: { pages: CrawlPage[] }) => (
  <table class="pages" aria-label={t('crawl.pagesLabel')}>
    <thead>
      <tr>
        <th scope="col">{t('crawl.page')}</th>
        <th scope="col">{t('report.column.status')}</th>
        <th scope="col">{t('crawl.depth')}</th>
        <th scope="col">{t('common.links')}</th>
        <th scope="col">{t('details.note')}</th>
      </tr>
    </thead>
    {cut(pages, ROWS_PER_CHUNK).map((chunk, k) => (
      <PageChunk key={k} pages={chunk} />
    ))}
  </table>
));

interface SummaryProps {
  signals: CrawlSignals;
  meta: CrawlMeta;
  pages: CrawlPage[];
  only: Verdict | null;
  setOnly: (only: Verdict | null) => void;
}

/**
 * The counts. They change at every frame of a running check, so they are a component of their own that reads the
 * summary: the rest of the page is not drawn again with them.
 */
function CrawlSummary({ signals, meta, pages, only, setOnly }: SummaryProps) {
  const summary = signals.summary.value;
  return (
    <section
      class="crawl-summary"
      data-testid="crawl-summary"
      data-state={meta.state}
      data-pages={pages.length}
      data-queued={meta.queued}
      {...countData(summary)}
      data-new-problems={summary.newProblems}
      aria-label={t('summary.label')}
    >
      <span class="count">
        {interleave(t('crawl.pagesFetched', { fetched: '{fetched}', queued: '{queued}' }), {
          fetched: <b>{fmt.count(pages.length)}</b>,
          queued: <b>{fmt.count(meta.queued)}</b>,
        })}
      </span>
      <span class="count">
        {interleave(t('crawl.linksChecked', { checked: '{checked}', total: fmt.count(summary.total) }), {
          checked: <b>{fmt.count(summary.checked)}</b>,
        })}
      </span>
      {meta.baseline ? (
        <span class="count" data-testid="crawl-new-problems">
          {t('summary.newProblems')} <b>{fmt.count(summary.newProblems)}</b>
        </span>
      ) : null}
      <VerdictChips
        summary={summary}
        pressed={(verdict) => only === verdict}
        onToggle={(verdict) => setOnly(only === verdict ? null : verdict)}
      />
    </section>
  );
}

interface LinkTableProps extends Omit<LinkRowsProps, 'links'> {
  signals: CrawlSignals;
}

/** The link rows, drawn again at each frame that changed links, on their own (as the counts). */
function LiveLinkRows({ signals, ...props }: LinkTableProps) {
  return <LinkRows links={signals.links.value} {...props} />;
}

/** `crawl.html?tab=<id>`: the latest site check started from a tab, live, with every page and every link as rows. */
export function CrawlApp({ signals, send, download, showSource, tabId, past, history }: Props) {
  const meta = signals.meta.value;
  const pages = signals.pages.value;
  const [only, setOnly] = useState<Verdict | null>(null);
  if (signals.unavailable.value && !meta) {
    return (
      <main class="crawl">
        <h1>{t('crawl.title')}</h1>
        <p class="notice" data-testid="unavailable">
          {signals.unavailable.value}
        </p>
      </main>
    );
  }
  if (!meta) return <main class="crawl">{t('common.loading')}</main>;
  const exportAs = (format: keyof typeof WRITERS) => {
    const report = buildSiteReport(meta, meta.settings, pages, signals.links.peek());
    const writer = WRITERS[format];
    download(
      reportFileName(report, writer.ext).replace(/^linkpulse-/, 'linkpulse-site-'),
      writer.mime,
      writer.write(report),
    );
  };
  const running = meta.state === 'running';
  const took = fmt.duration((meta.finishedAt ?? Date.now()) - meta.startedAt);
  return (
    <main class="crawl">
      <header>
        <h1>{t('crawl.heading', { origin: meta.origin })}</h1>
        <p class="sub">
          {t('crawl.from', {
            start: meta.startUrl,
            depth: fmt.count(meta.options.maxDepth),
            pages: fmt.count(meta.options.maxPages),
          })}
          {meta.options.asMe ? ` · ${t('crawl.asMe')}` : ''} · {t(`crawl.state.${meta.state}`)}
          {meta.paused ? ` ${t('crawl.paused')}` : ''} · {took}
        </p>
        <div class="actions">
          {past ? null : running ? (
            <>
              {meta.paused ? (
                <button type="button" data-testid="crawl-resume" onClick={() => send({ type: 'crawl-resume', tabId })}>
                  {t('crawl.resume')}
                </button>
              ) : (
                <button type="button" data-testid="crawl-pause" onClick={() => send({ type: 'crawl-pause', tabId })}>
                  {t('crawl.pause')}
                </button>
              )}
              <button type="button" data-testid="crawl-cancel" onClick={() => send({ type: 'crawl-cancel', tabId })}>
                {t('common.cancel')}
              </button>
            </>
          ) : (
            <button
              type="button"
              data-testid="crawl-again"
              onClick={() => send({ type: 'crawl-start', tabId, options: meta.options })}
            >
              {t('crawl.again')}
            </button>
          )}
          <span class="exports">
            {t('crawl.export')}
            {FORMATS.map(([format, label]) => (
              <button key={format} type="button" data-testid={`export-${format}`} onClick={() => exportAs(format)}>
                {label}
              </button>
            ))}
          </span>
        </div>
      </header>
      <CrawlSummary signals={signals} meta={meta} pages={pages} only={only} setOnly={setOnly} />
      {past ? (
        <p class="notice" data-testid="past-crawl">
          {t('crawl.past')}
        </p>
      ) : null}
      {meta.baseline ? (
        <p class="sub" data-testid="compared-with">
          {t('crawl.comparedWith', { when: fmt.dateTime(meta.baseline.finishedAt) })}
        </p>
      ) : null}
      {history ? <CrawlHistory meta={meta} history={history} /> : null}
      {meta.notes.length > 0 ? (
        <ul class="notes" data-testid="crawl-notes">
          {meta.notes.map(storedNoteText).map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      <h2>{t('common.links')}</h2>
      <LiveLinkRows
        signals={signals}
        only={only}
        redirectsAreProblems={meta.settings.redirectsAreProblems}
        showSource={showSource}
        label={t('crawl.linksLabel')}
      >
        <thead>
          <tr>
            <th scope="col">{t('report.column.verdict')}</th>
            <th scope="col">{t('report.column.status')}</th>
            <th scope="col">{t('report.column.url')}</th>
            <th scope="col">{t('report.column.reason')}</th>
            <th scope="col">{t('crawl.foundOn')}</th>
          </tr>
        </thead>
      </LiveLinkRows>
      <h2>{t('crawl.pages')}</h2>
      <PagesTable pages={pages} />
    </main>
  );
}
