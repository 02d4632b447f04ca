import type { RunEvent, RunLifecycle, RunView } from '../run/lifecycle';
import type { PreparedRun } from '../run/platform';
import type { RunMeta } from '../run/stored-run';
import type { LinkEntry } from '../types';
import { type Baseline, baselineOf, withBaseline } from './diff';
import type { History } from './history-store';
import { applyIgnores, type IgnoredLink, ignoredOn } from './ignore';
import { siteOf } from './keys';

export interface RunHistoryDeps {
  history: History;
  readIgnored(): Promise<IgnoredLink[]>;
  /** Whether the tab is in a private (incognito) window; true also when that cannot be known. */
  isPrivate(tabId: number): Promise<boolean>;
  now(): number;
  log: Pick<Console, 'error'>;
}

/**
 * History's part in a run's life: before it starts, judge the links the user ignored on this site and mark every link
 * with the previous finished run's verdict; once it is done, keep it. Nothing is read or kept for a private window.
 * A failure of the history never stops a run: the run goes on without it, and the console says why.
 */
export function createRunHistory(deps: RunHistoryDeps) {
  async function withIgnores(pageUrl: string, entries: LinkEntry[]): Promise<LinkEntry[]> {
    try {
      const ignored = ignoredOn(await deps.readIgnored(), siteOf(pageUrl));
      return ignored.size > 0 ? applyIgnores(entries, ignored, deps.now()) : entries;
    } catch (error) {
      deps.log.error('Linkpulse: could not read the ignored links', error);
      return entries;
    }
  }

  // The previous run's verdicts of the run that links are joining, read once: live pages add links a few at a time.
  let cachedBaseline: { runId: string; baseline: Promise<Baseline | null> } | null = null;
  function baselineOfRun(runId: string): Promise<Baseline | null> {
    if (cachedBaseline?.runId !== runId) {
      const baseline = deps.history
        .load(runId)
        .then((saved) =>
          saved ? baselineOf(saved.entries.map((e) => ({ url: e.url, verdict: e.result?.verdict }))) : null,
        );
      cachedBaseline = { runId, baseline };
      // A failed read is tried again next time rather than remembered.
      baseline.catch(() => {
        if (cachedBaseline?.baseline === baseline) cachedBaseline = null;
      });
    }
    return cachedBaseline.baseline;
  }

  return {
    async prepare({
      tabId,
      pageUrl,
      entries,
    }: {
      tabId: number;
      pageUrl: string;
      entries: LinkEntry[];
    }): Promise<PreparedRun> {
      const prepared = await withIgnores(pageUrl, entries);
      if (await deps.isPrivate(tabId).catch(() => true)) {
        return { entries: withBaseline(prepared, null), meta: { private: true, baseline: undefined } };
      }
      try {
        const [previous] = await deps.history.runsOf(pageUrl);
        const saved = previous ? await deps.history.load(previous.runId) : undefined;
        if (!saved) return { entries: withBaseline(prepared, null), meta: { baseline: undefined } };
        const baseline = baselineOf(saved.entries.map((e) => ({ url: e.url, verdict: e.result?.verdict })));
        return {
          entries: withBaseline(prepared, baseline),
          meta: { baseline: { runId: saved.record.runId, finishedAt: saved.record.finishedAt } },
        };
      } catch (error) {
        deps.log.error('Linkpulse: could not read the history of this page', error);
        return { entries: withBaseline(prepared, null), meta: { baseline: undefined } };
      }
    },

    /**
     * Links that joined a run later (live pages) are prepared as the run's first links were: ignored ones judged at
     * once, and each marked against the same previous run, so a link that was not on the page then is `new`.
     */
    async joined({ meta, entries }: { meta: RunMeta; entries: LinkEntry[] }): Promise<LinkEntry[]> {
      const prepared = await withIgnores(meta.page.url, entries);
      if (meta.private || !meta.baseline) return withBaseline(prepared, null);
      try {
        return withBaseline(prepared, await baselineOfRun(meta.baseline.runId));
      } catch (error) {
        deps.log.error('Linkpulse: could not read the history of this page', error);
        return withBaseline(prepared, null);
      }
    },

    /**
     * A run ended with every link judged: keep it (a cancelled run is not a finished one, a private window's is not
     * kept). Resolves with what became of it: `failed` when storage refused it (full, most likely). Keeping the same
     * run again (its id) replaces what was kept of it: nothing is kept twice.
     */
    async finished(run: RunView): Promise<'kept' | 'not-kept' | 'failed'> {
      if (run.meta.state !== 'done' || run.meta.private) return 'not-kept';
      try {
        await deps.history.save(structuredClone(run.meta), structuredClone(run.entries as LinkEntry[]));
        return 'kept';
      } catch (error) {
        deps.log.error('Linkpulse: could not keep this run in the history', error);
        return 'failed';
      }
    },
  };
}

type Runs = Pick<RunLifecycle, 'subscribe' | 'get' | 'updateMeta'>;

/**
 * Keeps each run's end in the history — when it ends, again once the second opinion changed its verdicts (`amended`),
 * or when a worker starting finds one that ended in an earlier life without being kept (`unkept`: the worker stopped
 * in between) — and marks it kept in the run, so a later start
 * leaves it alone (also once the person cleared the history). One storage refused is marked `kept: false`: the popup
 * and the report say so, and the next worker's start tries again.
 */
export function keepRunEnds(runs: Runs, history: Pick<ReturnType<typeof createRunHistory>, 'finished'>): () => void {
  return runs.subscribe((event: RunEvent) => {
    if (event.type !== 'finished' && event.type !== 'unkept' && event.type !== 'amended') return;
    const { tabId, run } = event;
    const { runId } = run.meta;
    void history.finished(run).then((became) => {
      const now = runs.get(tabId)?.meta;
      // The run may have been replaced meanwhile, or gone on with links that joined it: then it is not this end.
      if (became === 'not-kept' || now?.runId !== runId || now.state !== 'done') return;
      runs.updateMeta(tabId, { kept: became === 'kept' });
    });
  });
}
