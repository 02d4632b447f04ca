import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { createRowChunks, type RowChunks } from '@/components/row-chunks';
import type { IgnoredLink } from '@/utils/history/ignore';
import type { SortKey } from '@/utils/run/view';
import type { LinkEntry } from '@/utils/types';
import { createReportRow, paintReportRow, type ReportRow, type RowIgnores } from './LinkRow';

interface Painted {
  /** The table's chunks of rows; made on the first drawing. */
  chunks: RowChunks | null;
  entries: readonly LinkEntry[];
  /** Each row's ignore record as painted, and whether ignoring was offered. */
  ignored: (IgnoredLink | undefined)[];
  ignoring: boolean;
  rows: ReportRow[];
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
 * of main thread per frame, measured). Here a frame paints the rows whose entry changed by hand (LinkRow.tsx; the
 * store gives only those new objects) and moves just them to their place in `rows`; the other rows are not touched. A
 * new sort reorders every row once.
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
    for (const { row } of state.rows.splice(entries.length)) chunks.drop(row);
    for (const i of changed) {
      state.rows[i] ??= createReportRow();
      paintReportRow(state.rows[i], entries[i] as LinkEntry, !shown(entries[i] as LinkEntry), {
        ignored: ignored[i],
        ignores: ignoring ? () => latestIgnores.current : null,
      });
    }
    if (sort !== state.sort) {
      chunks.layout(rows.map((i) => (state.rows[i] as ReportRow).row));
    } else if (changed.size > 0) {
      // From the end: each changed row goes before its successor, which is already where it belongs.
      let next: HTMLTableRowElement | null = null;
      for (let p = rows.length - 1; p >= 0; p--) {
        const { row } = state.rows[rows[p] as number] as ReportRow;
        if (changed.has(rows[p] as number)) chunks.place(row, next);
        next = row;
      }
    }
    chunks.settle();
    if (shown !== state.shown) {
      entries.forEach((entry, i) => {
        if (!changed.has(i)) (state.rows[i] as ReportRow).row.hidden = !shown(entry);
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
