import { type ComponentChildren, render } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { ChangeBadge } from '@/components/change';
import { IgnoreControl } from '@/components/IgnoreControl';
import { resultTrail } from '@/components/LinkDetails';
import { fmt, t } from '@/components/l10n';
import { reasonText as reasonWords } from '@/components/reason-words';
import { createRowChunks, type RowChunks } from '@/components/row-chunks';
import { rowData, writeData } from '@/components/row-data';
import { VerdictBadge } from '@/components/VerdictBadge';
import { entryChange } from '@/utils/history/diff';
import type { IgnoredLink } from '@/utils/history/ignore';
import type { SortKey } from '@/utils/run/view';
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

interface CellProps {
  entry: LinkEntry;
  ignored: IgnoredLink | undefined;
  /** Reads the newest ignore callbacks when clicked (the page hands new ones with every frame). */
  ignores: (() => RowIgnores | undefined) | null;
}

function RowCells({ entry, ignored, ignores }: CellProps) {
  const r = entry.result;
  const change = entryChange(entry);
  return (
    <>
      <td>
        <VerdictBadge entry={entry} />
      </td>
      {/* Empty cells stay empty (null, not ''): ten thousand rows, no needless text nodes. */}
      <td>{r?.status ?? null}</td>
      <td>{r ? fmt.ms(r.ms) : null}</td>
      <td class="url">{entry.url}</td>
      <td class="url">{r?.finalUrl && r.finalUrl !== entry.url ? r.finalUrl : null}</td>
      <td title={entry.frames ? t('report.inFrame', { frames: entry.frames.join(', ') }) : undefined}>
        {entry.occurrences}
      </td>
      <td class="reason" title={resultTrail(r)}>
        {reasonText(r) || null}
      </td>
      <td>{change ? <ChangeBadge change={change} /> : null}</td>
      <td>
        {ignores && (ignored || ignorable(entry)) ? (
          <IgnoreControl
            ignored={ignored}
            onIgnore={(note) => ignores()?.ignore(entry.url, note)}
            onUnignore={() => ignores()?.unignore(entry.url)}
          />
        ) : null}
      </td>
    </>
  );
}

function paint(row: HTMLTableRowElement, entry: LinkEntry, hidden: boolean, cells: Omit<CellProps, 'entry'>): void {
  writeData(row, rowData(entry));
  row.hidden = hidden;
  render(<RowCells entry={entry} {...cells} />, row);
}

interface Painted {
  /** The table's chunks of rows; made on the first drawing. */
  chunks: RowChunks | null;
  entries: readonly LinkEntry[];
  /** Each row's ignore record as painted, and whether ignoring was offered. */
  ignored: (IgnoredLink | undefined)[];
  ignoring: boolean;
  rows: HTMLTableRowElement[];
  sort: SortKey | null;
  shown: ((entry: LinkEntry) => boolean) | null;
}

interface Props {
  entries: readonly LinkEntry[];
  /** Entry indexes in display order (every one: filters only hide rows). */
  rows: readonly number[];
  sort: SortKey;
  shown: (entry: LinkEntry) => boolean;
  ignores?: RowIgnores;
  label: string;
  /** The table's head. */
  children: ComponentChildren;
}

/**
 * Every link as a table row, kept in the DOM (Ctrl+F, printing), in chunks the browser skips while they are off
 * screen (components/row-chunks.ts). Rows are placed by hand rather than by a keyed Preact list: while a run streams
 * in, each frame moves a few of ten thousand rows, and a keyed diff searched the whole list for each moved one (seconds
 * of main thread per frame, measured). Here a frame paints the rows whose entry changed (the store gives only those
 * new objects) and moves just them to their place in `rows`; the other rows are not touched. A new sort reorders every
 * row once.
 */
export function LinkRows({ entries, rows, sort, shown, ignores, label, children }: Props) {
  const table = useRef<HTMLTableElement>(null);
  // What the DOM shows now: the entries painted, one row element per entry index, the order's sort and filter.
  const painted = useRef<Painted>({
    chunks: null,
    entries: [],
    ignored: [],
    ignoring: false,
    rows: [],
    sort: null,
    shown: null,
  });
  const latestIgnores = useRef(ignores);
  latestIgnores.current = ignores;
  useLayoutEffect(() => {
    const element = table.current;
    if (!element) return;
    const state = painted.current;
    state.chunks ??= createRowChunks(element);
    const chunks = state.chunks;
    const changed = new Set<number>();
    // A row is painted again when its entry, its ignore record or the offer to ignore changed: nothing else shows.
    const ignoring = ignores !== undefined;
    const ignored = entries.map((entry) => ignores?.links.get(entry.url));
    entries.forEach((entry, i) => {
      if (entry !== state.entries[i] || ignored[i] !== state.ignored[i] || ignoring !== state.ignoring) changed.add(i);
    });
    // A new run with fewer links: the rows past its end go.
    for (const row of state.rows.splice(entries.length)) chunks.drop(row);
    for (const i of changed) {
      state.rows[i] ??= document.createElement('tr');
      const row = state.rows[i];
      paint(row, entries[i] as LinkEntry, !shown(entries[i] as LinkEntry), {
        ignored: ignored[i],
        ignores: ignoring ? () => latestIgnores.current : null,
      });
    }
    if (sort !== state.sort) {
      chunks.layout(rows.map((i) => state.rows[i] as HTMLTableRowElement));
    } else if (changed.size > 0) {
      // From the end: each changed row goes before its successor, which is already where it belongs.
      let next: HTMLTableRowElement | null = null;
      for (let p = rows.length - 1; p >= 0; p--) {
        const row = state.rows[rows[p] as number] as HTMLTableRowElement;
        if (changed.has(rows[p] as number)) chunks.place(row, next);
        next = row;
      }
    }
    chunks.settle();
    if (shown !== state.shown) {
      entries.forEach((entry, i) => {
        if (!changed.has(i)) (state.rows[i] as HTMLTableRowElement).hidden = !shown(entry);
      });
      chunks.resizeAll();
    }
    state.entries = entries;
    state.ignored = ignored;
    state.ignoring = ignoring;
    state.sort = sort;
    state.shown = shown;
  }, [entries, rows, sort, shown, ignores]);
  return (
    <table ref={table} aria-label={label}>
      {children}
    </table>
  );
}
