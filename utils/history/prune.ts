/** What pruning needs to know of a kept run. */
export interface KeptRun {
  runId: string;
  /** `page`: one page's check; `site`: a check of a site from its start page (issue 20). */
  kind: 'page' | 'site';
  pageKey: string;
  finishedAt: number;
  /** About what the run takes on disk (its rows as JSON). */
  bytes: number;
}

export interface PruneLimits {
  /** Runs kept per page URL and kind. */
  perPage: Record<KeptRun['kind'], number>;
  /** All runs together; the oldest go first until the rest fit. */
  maxBytes: number;
}

/** Defaults: the last 20 checks of a page and the last 20 site checks from it, 200 MB in all. */
export const PRUNE_LIMITS: PruneLimits = { perPage: { page: 20, site: 20 }, maxBytes: 200 * 1024 * 1024 };

const newestFirst = (a: KeptRun, b: KeptRun) => b.finishedAt - a.finishedAt || (a.runId < b.runId ? 1 : -1);

/** The runs to delete: beyond the per-page count, then the oldest of the rest until the total fits the cap. */
export function planPruning(runs: readonly KeptRun[], limits: PruneLimits = PRUNE_LIMITS): string[] {
  const doomed = new Set<string>();
  const seen = new Map<string, number>();
  const sorted = [...runs].sort(newestFirst);
  for (const run of sorted) {
    const key = `${run.kind} ${run.pageKey}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > limits.perPage[run.kind]) doomed.add(run.runId);
  }
  let total = 0;
  for (const run of sorted) if (!doomed.has(run.runId)) total += run.bytes;
  for (let i = sorted.length - 1; i >= 0 && total > limits.maxBytes; i--) {
    const run = sorted[i] as KeptRun;
    if (doomed.has(run.runId)) continue;
    doomed.add(run.runId);
    total -= run.bytes;
  }
  return [...doomed];
}
