import { isNewProblem } from '../history/diff';
import type { LinkEntry, Verdict } from '../types';

export type SortKey = 'verdict' | 'status' | 'time' | 'url';

export interface ViewOptions {
  /** Show only these verdicts; empty shows everything. */
  verdicts: ReadonlySet<Verdict>;
  /** Matches the URL or a link text, case-insensitive. */
  query: string;
  sort: SortKey;
  /** Show only the problems that were not problems in the previous run (history). */
  newProblemsOnly?: boolean;
}

/**
 * Problems first: the rows a person has to act on lead the list. Links still waiting come last, so that while a run
 * goes on every verdict shows up at the top as it arrives, instead of below a screenful of unchecked rows.
 */
const VERDICT_ORDER: Record<Verdict | 'pending', number> = {
  broken: 0,
  error: 1,
  blocked: 2,
  redirected: 3,
  ok: 4,
  skipped: 5,
  pending: 6,
};

function verdictRank(entry: LinkEntry): number {
  return VERDICT_ORDER[entry.result?.verdict ?? 'pending'];
}

const COMPARE: Record<SortKey, (a: LinkEntry, b: LinkEntry) => number> = {
  verdict: (a, b) => verdictRank(a) - verdictRank(b),
  status: (a, b) => (b.result?.status ?? -1) - (a.result?.status ?? -1),
  time: (a, b) => (b.result?.ms ?? -1) - (a.result?.ms ?? -1),
  url: (a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0),
};

/** Whether an entry passes the verdict chips and the search (URL or link text, ignoring case). */
export function viewFilter(
  options: Pick<ViewOptions, 'verdicts' | 'query' | 'newProblemsOnly'>,
): (entry: LinkEntry) => boolean {
  const query = options.query.trim().toLowerCase();
  return (entry) => {
    const verdict = entry.result?.verdict;
    if (options.newProblemsOnly && !isNewProblem(entry.before, verdict)) return false;
    if (options.verdicts.size > 0 && (!verdict || !options.verdicts.has(verdict))) return false;
    return (
      !query || entry.url.toLowerCase().includes(query) || entry.texts.some((t) => t.toLowerCase().includes(query))
    );
  };
}

/** Row order: by the sort key, ties in page order (so the order is total and the same however it was reached). */
function rowComparator(entries: readonly LinkEntry[], sort: SortKey): (a: number, b: number) => number {
  const compare = COMPARE[sort];
  return (a, b) => compare(entries[a] as LinkEntry, entries[b] as LinkEntry) || a - b;
}

/** Indexes of the entries to show, filtered and sorted (stable: ties keep page order). */
export function selectRows(entries: readonly LinkEntry[], options: ViewOptions): number[] {
  const shown = viewFilter(options);
  const rows: number[] = [];
  entries.forEach((entry, i) => {
    if (shown(entry)) rows.push(i);
  });
  return rows.sort(rowComparator(entries, options.sort));
}

/**
 * `selectRows` after some rows changed (or were added): only those are taken out and put back where they now belong,
 * in one merge — a live run's frame changes a few rows of thousands, and sorting them all again each frame was the cost.
 * `rows` must be what `selectRows` gave for the same options before the change.
 */
export function updateRows(
  rows: readonly number[],
  entries: readonly LinkEntry[],
  changed: Iterable<number>,
  options: ViewOptions,
): number[] {
  const moved = new Set(changed);
  if (moved.size === 0) return rows as number[];
  const shown = viewFilter(options);
  const compare = rowComparator(entries, options.sort);
  const incoming = [...moved].filter((i) => entries[i] !== undefined && shown(entries[i] as LinkEntry)).sort(compare);
  const out: number[] = [];
  let next = 0;
  for (const i of rows) {
    if (moved.has(i)) continue;
    while (next < incoming.length && compare(incoming[next] as number, i) < 0) out.push(incoming[next++] as number);
    out.push(i);
  }
  while (next < incoming.length) out.push(incoming[next++] as number);
  return out;
}

/** Shortens a URL in the middle so both host and last path segment stay visible. */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) * 0.6);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}
