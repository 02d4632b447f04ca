import { entryChange } from '@/utils/history/diff';
import { type LinkEntry, VERDICTS, type VerdictCounts } from '@/utils/types';

/** data-* by name; undefined leaves one out. */
export type RowData = Record<string, string | undefined>;

/** A row's data-* (the report's outside contract, read by end-to-end checks). */
export function rowData(entry: LinkEntry): RowData {
  const r = entry.result;
  return {
    'data-testid': 'link-row',
    'data-url': entry.url,
    'data-verdict': r?.verdict ?? '',
    'data-status': r?.status == null ? '' : String(r.status),
    'data-final-url': r?.finalUrl ?? '',
    'data-ms': r ? String(r.ms) : '',
    'data-occurrences': String(entry.occurrences),
    'data-reason': r?.reason ?? '',
    'data-redirects': String(r?.redirects.length ?? 0),
    'data-cached': r?.cached ? 'true' : undefined,
    'data-verified': r?.verified ?? '',
    'data-verifying': entry.verifying ? 'true' : undefined,
    'data-change': entryChange(entry),
    // Live pages: the same-origin frame the link was found in (the first, when in several).
    'data-frame': entry.frames?.[0],
  };
}

/**
 * Writes data-* onto an element drawn outside Preact: a value left undefined is taken off, an unchanged one left alone.
 * `before` is what the last call wrote on it (its return value, kept with the row by the caller), compared in script
 * rather than read back from the DOM at every row's change.
 */
export function writeData(element: Element, data: RowData, before: RowData | undefined): RowData {
  for (const name in data) {
    const value = data[name];
    // Only this function writes these names on these elements: what it wrote last time is what the element holds.
    if (before && before[name] === value) continue;
    if (value === undefined) element.removeAttribute(name);
    else if (element.getAttribute(name) !== value) element.setAttribute(name, value);
  }
  return data;
}

/**
 * A summary's counts as data-* (the same on `run-summary`, `crawl-summary` and `answer-summary`, the outside contract):
 * total, checked and one per verdict. Each summary adds its own state and extras.
 */
export function countData(counts: VerdictCounts & { total: number; checked: number }): Record<string, number> {
  const data: Record<string, number> = { 'data-total': counts.total, 'data-checked': counts.checked };
  for (const verdict of VERDICTS) data[`data-${verdict}`] = counts[verdict];
  return data;
}
