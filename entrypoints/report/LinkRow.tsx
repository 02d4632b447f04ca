import { render } from 'preact';
import { IgnoreControl } from '@/components/IgnoreControl';
import { resultTrail } from '@/components/LinkDetails';
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
    change: cell().appendChild(document.createElement('span')),
    ignore: cell(),
    offered: false,
  };
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
  setText(p.reason, reasonText(r));
  setTitle(p.reason, resultTrail(r));
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
