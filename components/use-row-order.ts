import { useRef } from 'preact/hooks';
import { selectRows, updateRows, type ViewOptions } from '@/utils/run/view';
import type { RunSignals } from './run-signals';

interface Kept {
  rows: number[];
  version: number;
  options: ViewOptions;
}

const sameOptions = (a: ViewOptions, b: ViewOptions) =>
  a.verdicts === b.verdicts && a.query === b.query && a.sort === b.sort && a.newProblemsOnly === b.newProblemsOnly;

/**
 * The rows to show, in order, for the store's entries. While a run streams in, each frame re-places only the rows it
 * changed (updateRows); a new run, a missed frame or other options sort everything again (selectRows).
 */
export function useRowOrder(store: RunSignals, options: ViewOptions): number[] {
  const entries = store.entries.value;
  const change = store.changes.value;
  const kept = useRef<Kept | null>(null);
  const last = kept.current;
  let rows: number[];
  if (last && sameOptions(last.options, options) && last.version === change.version) return last.rows;
  if (last && sameOptions(last.options, options) && last.version + 1 === change.version && change.rows !== 'all') {
    rows = updateRows(last.rows, entries, change.rows, options);
  } else {
    rows = selectRows(entries, options);
  }
  kept.current = { rows, version: change.version, options };
  return rows;
}
