// Builders the history's unit tests share: a finished page check's metadata and a judged link of it.
import type { RunMeta } from '../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../utils/settings';
import type { LinkEntry, Verdict } from '../../utils/types';

/** A page check of `pageUrl` that finished at `finishedAt` (started a millisecond before). */
export function donePageRun(runId: string, pageUrl: string, finishedAt: number): RunMeta {
  return {
    runId,
    tabId: 1,
    page: { url: pageUrl, title: 'T' },
    startedAt: finishedAt - 1,
    finishedAt,
    state: 'done',
    settings: DEFAULT_SETTINGS,
    total: 0,
    truncated: false,
  };
}

/** A link found once and judged `verdict` (status 200 whatever the verdict: the tests read the verdict only). */
export function judged(url: string, verdict: Verdict): LinkEntry {
  return {
    url,
    occurrences: 1,
    texts: [],
    phase: 'done',
    result: { url, verdict, reason: '', status: 200, finalUrl: url, ms: 1, attempts: 1, redirects: [], checkedAt: 0 },
  };
}
