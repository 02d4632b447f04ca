// A page check's end reaches the history exactly once, also when the worker stops between the end and keeping it.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHistory } from '../../../utils/history/history-store';
import { createRunHistory, keepRunEnds } from '../../../utils/history/run-history';
import { RunLifecycle } from '../../../utils/run/lifecycle';
import { loadRuns } from '../../../utils/run/stored-run';
import { openLinkpulseDb } from '../../../utils/storage/database';
import type { TabOpener } from '../../../utils/verify/verify-links';
import { VerifyService } from '../../../utils/verify/verify-service';
import { settle } from '../../support/fake-clock';
import { fakeClient, fakeRunPlatform, links } from '../../support/fake-run-platform';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

const history = () => createHistory(openLinkpulseDb());
const runHistoryOf = (kept: ReturnType<typeof history>, isPrivate = false) =>
  createRunHistory({
    history: kept,
    readIgnored: async () => [],
    isPrivate: async () => isPrivate,
    now: () => 5,
    log: { error: () => {} },
  });

/** Lets the history's writes finish and the worker's next batches go out. */
async function quiesce(worker: ReturnType<typeof fakeRunPlatform>) {
  for (let i = 0; i < 4; i++) {
    await settle();
    await worker.time.advance(150);
  }
  await settle();
}

/** The history on a full disk: IndexedDB refuses every write as it does once its quota is reached. */
function fullHistory(): ReturnType<typeof history> {
  return {
    ...history(),
    save: async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  };
}

/** A worker whose run on tab 1 (3 links) ends; `keep` says whether it keeps the end before it stops. */
async function workerThatEnds(keep: boolean | 'storage full', isPrivate = false) {
  const worker = fakeRunPlatform();
  worker.openPage(1, links(3));
  const runs = new RunLifecycle({
    ...worker.platform,
    prepareRun: async ({ entries }) => ({ entries, meta: isPrivate ? { private: true } : {} }),
  });
  if (keep) keepRunEnds(runs, runHistoryOf(keep === 'storage full' ? fullHistory() : history(), isPrivate));
  await runs.connect(fakeClient().client).receive({ type: 'watch', tabId: 1, startIfNone: true });
  worker.jobs[0]?.answerAll();
  await quiesce(worker);
  const runId = runs.get(1)?.meta.runId as string;
  return { worker, runs, runId };
}

/** The next worker's life on the same storage, keeping run ends. */
async function nextWorker(area: ReturnType<typeof fakeRunPlatform>['storage']) {
  const worker = fakeRunPlatform({ area });
  const runs = new RunLifecycle(worker.platform);
  keepRunEnds(runs, runHistoryOf(history()));
  await runs.restored;
  await quiesce(worker);
  return { worker, runs };
}

const keptRuns = async () => (await history().records()).map((r) => r.runId);
const storedKept = async (area: ReturnType<typeof fakeRunPlatform>['storage']) =>
  (await loadRuns(area.area))[0]?.meta.kept;

describe('a page check’s end in the history', () => {
  it('is kept when the run ends, and the run says so', async () => {
    const { worker, runId } = await workerThatEnds(true);
    expect(await keptRuns()).toEqual([runId]);
    expect(await storedKept(worker.storage)).toBe(true);
  });

  it('is kept by the next worker when the one that ended the run stopped before keeping it', async () => {
    const { worker, runId } = await workerThatEnds(false);
    expect(await keptRuns()).toEqual([]);
    await nextWorker(worker.storage);
    expect(await keptRuns()).toEqual([runId]);
    expect(await storedKept(worker.storage)).toBe(true);
  });

  it('marks the run when storage refuses it, so its pages say so, and the next worker keeps it', async () => {
    const { worker, runs } = await workerThatEnds('storage full');
    expect(await keptRuns()).toEqual([]);
    expect(runs.get(1)?.meta).toMatchObject({ state: 'done', kept: false });
    expect(await storedKept(worker.storage)).toBe(false);
    const next = await nextWorker(worker.storage);
    expect(await keptRuns()).toEqual([runs.get(1)?.meta.runId]);
    expect(next.runs.get(1)?.meta.kept).toBe(true);
  });

  it('opens from the history without the refusal it got over: a check kept on the second try says nothing of it', async () => {
    const { worker, runs } = await workerThatEnds('storage full');
    const runId = runs.get(1)?.meta.runId as string;
    await nextWorker(worker.storage);
    // report.html?run=<id> shows the kept record's meta: `kept: false` there reads "could not be kept in the history".
    const saved = await history().load(runId);
    expect(saved?.record.meta.kept).toBeUndefined();
  });

  it('is not kept again by a later worker, also once the person cleared the history', async () => {
    const { worker } = await workerThatEnds(true);
    await history().clearAll();
    await nextWorker(worker.storage);
    expect(await keptRuns()).toEqual([]);
  });

  it('is never kept for a private window, by the next worker either', async () => {
    const { worker } = await workerThatEnds(false, true);
    await nextWorker(worker.storage);
    expect(await keptRuns()).toEqual([]);
  });

  it('is kept again, with the links that joined, when a kept run goes on and ends once more', async () => {
    const { worker, runs, runId } = await workerThatEnds(true);
    expect(runs.addLinks(1, links(4).slice(3))).toBe(1);
    expect(runs.get(1)?.meta.kept).toBeUndefined();
    worker.jobs.at(-1)?.answerAll();
    await quiesce(worker);
    expect(runs.get(1)?.meta).toMatchObject({ state: 'done', kept: true });
    expect((await history().load(runId))?.entries.map((e) => e.url)).toEqual(links(4).map((l) => l.url));
  });

  it('takes the second opinion’s verdicts when the person verifies a kept run’s blocked links', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, links(3));
    const runs = new RunLifecycle(worker.platform);
    keepRunEnds(runs, runHistoryOf(history()));
    // Every link loads 200 in a tab: the wall lets a person's browser through.
    const tabs: TabOpener = {
      open: async (url) => ({
        frame: () => ({
          ...{ status: 200, url, hops: [], challengeHeader: null, error: null, loading: false },
          ...{ changedAt: Number.NEGATIVE_INFINITY, refused: null, closed: false },
        }),
        probe: async () => ({ readyState: 'complete', title: 'Real', marker: null, fragment: null }),
        close: async () => {},
      }),
    };
    const clock = { now: () => 0, sleep: async () => {} };
    const service = new VerifyService(runs, {
      ...{ tabs, closeLeftovers: async () => {}, clock, area: worker.storage.area, log: console },
    });
    await runs.connect(fakeClient().client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    worker.jobs[0]?.answer('https://a.test/0', 'blocked');
    worker.jobs[0]?.answerAll();
    await quiesce(worker);
    const runId = runs.get(1)?.meta.runId as string;
    expect((await history().load(runId))?.entries[0]?.result?.verdict).toBe('blocked');

    service.start(1);
    await quiesce(worker);
    expect(runs.get(1)?.entries[0]?.result).toMatchObject({ verdict: 'ok', verified: 'browser' });
    // The history (its record, the next check's "fixed" / "newly broken") says what the report says.
    const kept = await history().load(runId);
    expect(kept?.entries[0]?.result).toMatchObject({ verdict: 'ok', verified: 'browser' });
    expect(kept?.record.summary).toMatchObject({ ok: 3, blocked: 0 });
    expect(runs.get(1)?.meta.kept).toBe(true);
  });
});
