import { type Before, type LinkEntry, PROBLEM_VERDICTS, type Verdict } from '../types';

/** A link's change against the previous finished run of the same page URL (shared/CONTRACT.md: `data-change`). */
export type Change = 'new' | 'newly-broken' | 'fixed' | '';

const FINE: readonly Verdict[] = ['ok', 'redirected'];

function isProblemVerdict(verdict: Verdict | undefined): boolean {
  return verdict !== undefined && PROBLEM_VERDICTS.includes(verdict);
}

/**
 * One link's change. `before` undefined means there is no previous run to compare with: no change at all, rather than
 * every link "new" on a page checked for the first time. A new link is `new` whatever its verdict, known or not.
 */
export function changeOf(before: Before | undefined, now: Verdict | undefined): Change {
  if (before === undefined) return '';
  if (before === 'absent') return 'new';
  if (now === undefined) return '';
  if (FINE.includes(before) && isProblemVerdict(now)) return 'newly-broken';
  if (isProblemVerdict(before) && FINE.includes(now)) return 'fixed';
  return '';
}

/**
 * A problem now that was not one in the previous run: a new link that is a problem, one that broke, and also one that
 * was skipped then (an un-ignored link, a removed exclusion) and is a problem now.
 */
export function isNewProblem(before: Before | undefined, now: Verdict | undefined): boolean {
  if (before === undefined || !isProblemVerdict(now)) return false;
  return before === 'absent' || !isProblemVerdict(before);
}

/** The previous run's verdict of each link it checked (a link it never judged says nothing). */
export type Baseline = ReadonlyMap<string, Verdict>;

export function baselineOf(links: readonly { url: string; verdict: Verdict | null | undefined }[]): Baseline {
  const baseline = new Map<string, Verdict>();
  for (const link of links) if (link.verdict) baseline.set(link.url, link.verdict);
  return baseline;
}

/** Marks each entry with what the previous run said of it; without a previous run, removes any older mark. */
export function withBaseline(entries: readonly LinkEntry[], baseline: Baseline | null): LinkEntry[] {
  return entries.map((entry) => {
    const { before: _old, ...rest } = entry;
    return baseline ? { ...rest, before: baseline.get(entry.url) ?? 'absent' } : rest;
  });
}

/** The diff of entries already marked by withBaseline. */
export function entryChange(entry: LinkEntry): Change {
  return changeOf(entry.before, entry.result?.verdict);
}
