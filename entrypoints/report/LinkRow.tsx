import { render } from 'preact';
import { IgnoreControl } from '@/components/IgnoreControl';
import { archiveUrl, resultTrail } from '@/components/LinkDetails';
import { fmt, t } from '@/components/l10n';
import { addCell, paintBadge, paintChange, setText, setTitle } from '@/components/painted-cells';
import { reasonText as reasonWords } from '@/components/reason-words';
import { type RowData, rowData, writeData } from '@/components/row-data';
import type { IgnoredLink } from '@/utils/history/ignore';
import type { LinkEntry } from '@/utils/types';

/** The reason column: the reason, whether it came from the cache, and the redirect statuses, as one text. */
function reasonText(r: LinkEntry['result']): string {
  if (!r) return '';
  const hops = r.redirects.length > 0 ? ` · ${r.redirects.map((h) => h.status).join(' → ')}` : '';
  const tab = r.verified ? ` · ${t('report.verifiedInTab')}` : '';
  return `${reasonWords(r.reason)}${r.cached ? ` ${t('report.cached')}` : ''}${hops}${tab}`;
}

/** The site's ignored links and how to change them; absent where nothing may be ignored (a past run). */
export interface RowIgnores {
  links: ReadonlyMap<string, IgnoredLink>;
  ignore(url: string, note: string): void;
  unignore(url: string): void;
}

/** Rows that may be ignored: what a person judged and wants out of the way; an ok link needs no such thing. */
const ignorable = (entry: LinkEntry) =>
  entry.result !== undefined && entry.result.verdict !== 'ok' && entry.result.reason !== 'ignored';

/** A report row and its cells that change with its entry. */
export interface ReportRow {
  row: HTMLTableRowElement;
  /** The data-* written last (components/row-data.ts). */
  data: RowData | undefined;
  badge: HTMLSpanElement;
  status: HTMLTableCellElement;
  ms: HTMLTableCellElement;
  url: HTMLTableCellElement;
  finalUrl: HTMLTableCellElement;
  occurrences: HTMLTableCellElement;
  reason: HTMLTableCellElement;
  /** The reason's details, made for the rows that have any. */
  details: ReasonDetails | null;
  change: HTMLSpanElement;
  /** Where the ignore control is drawn (a Preact root), and whether one is there. */
  ignore: HTMLTableCellElement;
  offered: boolean;
}

/** A new row with its cells, in the columns of the report's table head. */
export function createReportRow(): ReportRow {
  const row = document.createElement('tr');
  const cell = (className?: string) => addCell(row, className);
  const badge = cell().appendChild(document.createElement('span'));
  return {
    row,
    data: undefined,
    badge,
    status: cell(),
    ms: cell(),
    url: cell('url'),
    finalUrl: cell('url'),
    occurrences: cell(),
    reason: cell('reason'),
    details: null,
    change: cell().appendChild(document.createElement('span')),
    ignore: cell(),
    offered: false,
  };
}

/** A reason cell's disclosure: the reason as its summary, the redirect chain, the error and notes, an archive link. */
interface ReasonDetails {
  /** The link they were made for: a row drawn for another link (a new run) starts with them closed. */
  url: string;
  details: HTMLDetailsElement;
  summary: HTMLElement;
  trail: HTMLDivElement;
  archive: HTMLAnchorElement;
}

function createReasonDetails(url: string): ReasonDetails {
  const details = document.createElement('details');
  const summary = details.appendChild(document.createElement('summary'));
  const trail = details.appendChild(document.createElement('div'));
  trail.className = 'trail';
  const archive = document.createElement('a');
  archive.target = '_blank';
  archive.rel = 'noopener noreferrer';
  archive.dataset.testid = 'archive-link';
  archive.textContent = t('details.archive');
  return { url, details, summary, trail, archive };
}

/**
 * The reason, and what else is known of the result, where the keyboard reaches it: a summary takes the focus and opens
 * with Enter (a tooltip alone is for the mouse). The tooltip stays for the mouse. Rows with nothing more hold text only.
 */
function paintReason(p: ReportRow, entry: LinkEntry): void {
  const r = entry.result;
  const text = reasonText(r);
  const trail = resultTrail(r);
  const archive = archiveUrl(entry);
  setTitle(p.reason, trail);
  if (trail === undefined && archive === undefined) {
    p.details = null;
    setText(p.reason, text);
    return;
  }
  if (!p.details || p.details.url !== entry.url || p.details.details.parentNode !== p.reason) {
    p.details = createReasonDetails(entry.url);
    p.reason.replaceChildren(p.details.details);
  }
  const d = p.details;
  setText(d.summary, text || t('details.details'));
  setText(d.trail, trail ?? '');
  if (archive === undefined) d.archive.remove();
  else {
    if (d.archive.href !== archive) d.archive.href = archive;
    if (d.archive.parentNode !== d.details) d.details.append(d.archive);
  }
}

export interface RowPaint {
  ignored: IgnoredLink | undefined;
  /** Reads the newest ignore callbacks when clicked (the page hands new ones with every frame); null: none offered. */
  ignores: (() => RowIgnores | undefined) | null;
}

/**
 * Draws an entry into its row, written straight to the DOM (components/painted-cells.ts): a report holds ten thousand
 * rows. An empty cell holds no text node. The ignore control is a Preact component (it holds state: the note being
 * written), drawn only in the rows that offer it.
 */
export function paintReportRow(p: ReportRow, entry: LinkEntry, hidden: boolean, { ignored, ignores }: RowPaint): void {
  p.data = writeData(p.row, rowData(entry), p.data);
  p.row.hidden = hidden;
  const r = entry.result;
  paintBadge(p.badge, entry);
  setText(p.status, r?.status == null ? '' : String(r.status));
  setText(p.ms, r ? fmt.ms(r.ms) : '');
  setText(p.url, entry.url);
  setText(p.finalUrl, r?.finalUrl && r.finalUrl !== entry.url ? r.finalUrl : '');
  setText(p.occurrences, String(entry.occurrences));
  setTitle(p.occurrences, entry.frames ? t('report.inFrame', { frames: entry.frames.join(', ') }) : undefined);
  paintReason(p, entry);
  paintChange(p.change, entry);
  const offer = ignores !== null && (ignored !== undefined || ignorable(entry));
  if (offer) {
    // Keyed by URL: a row drawn again for another run's link starts with no note being written.
    render(
      <IgnoreControl
        key={entry.url}
        ignored={ignored}
        onIgnore={(note) => ignores()?.ignore(entry.url, note)}
        onUnignore={() => ignores()?.unignore(entry.url)}
      />,
      p.ignore,
    );
  } else if (p.offered) render(null, p.ignore);
  p.offered = offer;
}
