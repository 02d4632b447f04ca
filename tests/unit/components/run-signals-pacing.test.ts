import { describe, expect, it } from 'vitest';
import { createRunSignals, DRAW_EVERY_MS, framePacer, type PacerDeps } from '../../../components/run-signals';
import { summarize } from '../../../utils/report/report';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { type Before, type LinkEntry, VERDICTS } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';
import { random } from '../../support/random';

/** Frames and timers by hand, on a clock the test moves. */
function fakeDeps() {
  let now = 0;
  const frames: (() => void)[] = [];
  const timers = new Map<number, { at: number; run: () => void }>();
  let nextId = 1;
  const deps: PacerDeps = {
    frame: (callback) => frames.push(callback),
    now: () => now,
    setTimer: (run, ms) => {
      timers.set(nextId, { at: now + ms, run });
      return nextId++;
    },
    clearTimer: (id) => timers.delete(id as number),
  };
  return {
    deps,
    frames,
    timers,
    /** Moves the clock, running the timers due on the way. */
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.run();
        }
      }
    },
    /** Runs the frames asked for so far (a frame every 16 ms). */
    frame() {
      now += 16;
      for (const callback of frames.splice(0)) callback();
    },
  };
}

describe('framePacer', () => {
  it('publishes the first ask in the next frame, later ones no sooner than DRAW_EVERY_MS after the last', () => {
    const fake = fakeDeps();
    const schedule = framePacer(DRAW_EVERY_MS, fake.deps);
    let published = 0;
    const publish = () => published++;
    schedule(publish, false);
    expect(fake.frames).toHaveLength(1);
    fake.frame();
    expect(published).toBe(1);
    // Asked again at once: it waits, and asks made meanwhile are the same publication.
    schedule(publish, false);
    schedule(publish, false);
    expect(fake.frames).toHaveLength(0);
    fake.advance(DRAW_EVERY_MS - 1);
    expect(fake.frames).toHaveLength(0);
    fake.advance(1);
    expect(fake.frames).toHaveLength(1);
    fake.frame();
    expect(published).toBe(2);
    expect(fake.timers.size).toBe(0);
  });

  it('publishes an urgent ask in the next frame, hurrying one that waits, once', () => {
    const fake = fakeDeps();
    const schedule = framePacer(DRAW_EVERY_MS, fake.deps);
    const calls: string[] = [];
    schedule(() => calls.push('first'), false);
    fake.frame();
    schedule(() => calls.push('paced'), false);
    expect(fake.timers.size).toBe(1);
    schedule(() => calls.push('urgent'), true);
    expect(fake.timers.size).toBe(0);
    fake.frame();
    // The latest ask is what runs; nothing is left waiting to run it again.
    expect(calls).toEqual(['first', 'urgent']);
    fake.advance(DRAW_EVERY_MS * 2);
    expect(fake.frames).toHaveLength(0);
  });
});

const meta = (state: RunMeta['state']): RunMeta => ({
  runId: 'run-1',
  tabId: 7,
  page: { url: 'https://a.test/', title: 'A' },
  startedAt: 0,
  finishedAt: null,
  state,
  settings: DEFAULT_SETTINGS,
  total: 3,
  truncated: false,
});
const row = (i: number, phase: LinkEntry['phase'] = 'queued'): LinkEntry => ({
  url: `https://a.test/${i}`,
  occurrences: 1,
  texts: [`link ${i}`],
  phase,
});

/** A paced store that has drawn the snapshot of a run of three queued links. */
function drawnRun() {
  const fake = fakeDeps();
  const store = createRunSignals(framePacer(DRAW_EVERY_MS, fake.deps));
  const phases = () => store.entries.value.map((e) => e.phase);
  store.apply({ type: 'snapshot', meta: meta('running'), entries: [row(0), row(1), row(2)] });
  fake.frame();
  return { fake, store, phases };
}

describe('a run page draws results as they stream in at most every DRAW_EVERY_MS', () => {
  it('shows the snapshot, the first result and the end at once, and results in between paced', () => {
    const { fake, store, phases } = drawnRun();
    expect(phases()).toEqual(['queued', 'queued', 'queued']);
    // The first result: at once, though a drawing just happened.
    store.apply({ type: 'update', meta: meta('running'), changes: [[0, row(0, 'done')]] });
    fake.frame();
    expect(phases()).toEqual(['done', 'queued', 'queued']);
    // The next: after the pause.
    store.apply({ type: 'update', meta: meta('running'), changes: [[1, row(1, 'done')]] });
    fake.frame();
    expect(phases()).toEqual(['done', 'queued', 'queued']);
    fake.advance(DRAW_EVERY_MS);
    fake.frame();
    expect(phases()).toEqual(['done', 'done', 'queued']);
    // The run's end: at once, with the result that came just before it.
    store.apply({ type: 'update', meta: meta('running'), changes: [[2, row(2, 'checking')]] });
    store.apply({ type: 'update', meta: { ...meta('done'), finishedAt: 1 }, changes: [[2, row(2, 'done')]] });
    fake.frame();
    expect(phases()).toEqual(['done', 'done', 'done']);
    expect(store.meta.value?.state).toBe('done');
  });

  it('shows a run ended only with the last part of its final update, and that part at once', () => {
    const { fake, store, phases } = drawnRun();
    store.apply({ type: 'update', meta: meta('running'), changes: [[0, row(0, 'done')]] });
    fake.frame();
    // The run's end in two parts (message-chunks.ts), the second arriving after the first was drawn.
    const done = { ...meta('done'), finishedAt: 1 };
    store.apply({ type: 'update', meta: done, changes: [[1, row(1, 'done')]], more: true });
    fake.advance(DRAW_EVERY_MS);
    fake.frame();
    expect(phases()).toEqual(['done', 'done', 'queued']);
    expect(store.meta.value?.state).toBe('running');
    store.apply({ type: 'update', meta: done, changes: [[2, row(2, 'done')]] });
    fake.frame();
    expect(phases()).toEqual(['done', 'done', 'done']);
    expect(store.meta.value?.state).toBe('done');
  });
});

describe('a page that adds a few new rows per frame (the report page)', () => {
  it('shows a large snapshot frame by frame, its summary running until its last rows are there', () => {
    const fake = fakeDeps();
    const store = createRunSignals(framePacer(DRAW_EVERY_MS, fake.deps), 2);
    const urls = () => store.entries.value.map((e) => e.url.slice('https://a.test/'.length));
    // A finished run of five links (a past run, or a report opened after the end).
    store.apply({
      type: 'snapshot',
      meta: { ...meta('done'), finishedAt: 1 },
      entries: [0, 1, 2, 3, 4].map((i) => row(i)),
    });
    fake.frame();
    expect(urls()).toEqual(['0', '1']);
    expect(store.changes.value.rows).toBe('all');
    expect(store.summary.value.state).toBe('running');
    // The run's own state stays true: a finished run offers Re-check, not Cancel, while its rows are drawn.
    expect(store.meta.value?.state).toBe('done');
    // The next rows come in the next frames, at once (no DRAW_EVERY_MS pause), each named as changed.
    fake.frame();
    expect(urls()).toEqual(['0', '1', '2', '3']);
    expect(store.changes.value.rows).toEqual([2, 3]);
    expect(store.summary.value.state).toBe('running');
    fake.frame();
    expect(urls()).toEqual(['0', '1', '2', '3', '4']);
    expect(store.summary.value.state).toBe('done');
    expect(fake.frames).toHaveLength(0);
  });

  it('names a change to a row shown, and brings a change to a row still to come with that row', () => {
    const fake = fakeDeps();
    const store = createRunSignals(framePacer(DRAW_EVERY_MS, fake.deps), 2);
    store.apply({ type: 'snapshot', meta: meta('running'), entries: [0, 1, 2, 3, 4].map((i) => row(i)) });
    fake.frame();
    store.apply({
      type: 'update',
      meta: meta('running'),
      changes: [
        [0, row(0, 'done')],
        [4, row(4, 'done')],
      ],
    });
    fake.frame();
    expect(store.changes.value.rows).toEqual([0, 2, 3]);
    fake.frame();
    expect(store.changes.value.rows).toEqual([4]);
    expect(store.entries.value.map((e) => e.phase)).toEqual(['done', 'queued', 'queued', 'queued', 'done']);
  });
});

describe("a run page's counts", () => {
  it('are kept row by row equal to counting every row shown, through snapshots, their rows, updates and none', () => {
    const next = random(11);
    const scheduled: (() => void)[] = [];
    const store = createRunSignals((publish) => scheduled.push(publish), 3);
    const befores: (Before | undefined)[] = [undefined, 'absent', 'ok', 'broken'];
    const someRow = (i: number): LinkEntry => {
      const url = `https://a.test/${i}`;
      const verdict = next(3) === 0 ? undefined : VERDICTS[next(VERDICTS.length)];
      return {
        ...row(i, verdict ? 'done' : 'queued'),
        result: verdict ? resultOf(url, verdict) : undefined,
        before: befores[next(4)],
      };
    };
    let runId = 'run-1';
    let length = 0;
    // After `unavailable` the page has no run: rows and updates come only with the next snapshot.
    let hasRun = false;
    const runMeta = () => ({ ...meta(next(4) === 0 ? 'done' : 'running'), runId });
    let compared = 0;
    for (let step = 0; step < 600; step++) {
      const roll = next(60);
      if (roll === 0) {
        runId = `run-${step}`;
        hasRun = true;
        length = next(12);
        store.apply({ type: 'snapshot', meta: runMeta(), entries: Array.from({ length }, (_, i) => someRow(i)) });
      } else if (roll === 1) {
        length = 0;
        hasRun = false;
        store.apply({ type: 'unavailable', tabId: 7, problem: { kind: 'no-run' } });
      } else if (roll < 10 && hasRun) {
        const entries = Array.from({ length: 1 + next(4) }, (_, i) => someRow(length + i));
        length += entries.length;
        store.apply({ type: 'rows', runId, entries });
      } else if (roll < 35 && hasRun && length > 0) {
        const changes = Array.from({ length: 1 + next(4) }, (): [number, LinkEntry] => {
          const i = next(length);
          return [i, someRow(i)];
        });
        store.apply({ type: 'update', meta: runMeta(), changes });
      } else for (const publish of scheduled.splice(0)) publish();
      const { state, ...counts } = store.summary.value;
      const { state: _, ...expected } = summarize(store.entries.value, 'running');
      expect(counts).toEqual(expected);
      expect(state).toBe(store.drawing.value ? 'running' : (store.meta.value?.state ?? 'running'));
      if (counts.checked > 0 && counts.newProblems > 0) compared += 1;
    }
    // The stream did reach checked rows and new problems (the comparison above was not only of zeros).
    expect(compared).toBeGreaterThan(100);
  });
});
