import { describe, expect, it } from 'vitest';
import { createRunSignals } from '../../../components/run-signals';
import type { ServerMessage } from '../../../utils/protocol';
import { CollectTimeout, collectWithin, describeCollectFailure } from '../../../utils/run/collection';
import { chunkMessage } from '../../../utils/run/message-chunks';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry } from '../../../utils/types';

const meta: RunMeta = {
  runId: 'run-1',
  tabId: 7,
  page: { url: 'https://a.test/', title: 'A' },
  startedAt: 0,
  finishedAt: null,
  state: 'running',
  settings: DEFAULT_SETTINGS,
  total: 0,
  truncated: false,
};
const entry = (i: number, length: number): LinkEntry => ({
  url: `https://a.test/${i}?${'x'.repeat(length)}`,
  occurrences: 1,
  texts: [`link ${i}`],
  phase: 'queued',
});
const size = (message: ServerMessage) => JSON.stringify(message).length;

describe('messages to a page, well below the browser size limit', () => {
  it('sends a snapshot of 20 000 rows of 4 kB in parts no bigger than the limit, which the page puts back in order', () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => entry(i, 4000));
    const parts = chunkMessage({ type: 'snapshot', meta, entries }, 4_000_000);
    expect(parts.length).toBeGreaterThan(15);
    for (const part of parts) expect(size(part)).toBeLessThan(4_500_000);
    expect(parts[0]?.type).toBe('snapshot');
    expect(parts.slice(1).every((p) => p.type === 'rows')).toBe(true);
    // Every part but the last says more are coming.
    const more = parts.map((p) => (p.type === 'snapshot' || p.type === 'rows') && p.more === true);
    expect(more).toEqual(parts.map((_, i) => i < parts.length - 1));
    const signals = createRunSignals((publish) => publish());
    for (const part of parts) signals.apply(part);
    expect(signals.entries.value.map((e) => e.url)).toEqual(entries.map((e) => e.url));
  });

  it('splits a large update into updates, and leaves small messages whole', () => {
    const changes = Array.from({ length: 3000 }, (_, i): [number, LinkEntry] => [i, entry(i, 4000)]);
    const parts = chunkMessage({ type: 'update', meta, changes }, 1_000_000);
    expect(parts.length).toBeGreaterThan(10);
    for (const part of parts) expect(size(part)).toBeLessThan(1_200_000);
    expect(parts.flatMap((p) => (p.type === 'update' ? p.changes.map(([i]) => i) : []))).toEqual(
      changes.map(([i]) => i),
    );
    // Every part but the last says more are coming: the page shows the update's counts and state with the last.
    expect(parts.map((p) => p.type === 'update' && p.more === true)).toEqual(parts.map((_, i) => i < parts.length - 1));
    const whole: ServerMessage = { type: 'update', meta, changes: changes.slice(0, 2) };
    expect(chunkMessage(whole, 1_000_000)).toEqual([whole]);
    const small: ServerMessage = { type: 'snapshot', meta, entries: [entry(1, 10)] };
    expect(chunkMessage(small)).toEqual([small]);
  });

  it('names the rows that continue a snapshot as changed, also when the snapshot was published first', () => {
    const frames: (() => void)[] = [];
    const signals = createRunSignals((publish) => frames.push(publish));
    const flush = () => {
      for (const publish of frames.splice(0)) publish();
    };
    signals.apply({ type: 'snapshot', meta: { ...meta, runId: 'r' }, entries: [entry(1, 1), entry(2, 1)] });
    flush();
    expect(signals.changes.value.rows).toBe('all');
    signals.apply({ type: 'rows', runId: 'r', entries: [entry(3, 1), entry(4, 1)] });
    signals.apply({ type: 'rows', runId: 'r', entries: [entry(5, 1)] });
    flush();
    expect(signals.entries.value).toHaveLength(5);
    expect(signals.changes.value.rows).toEqual([2, 3, 4]);
  });

  it("reads as done only once the last part of a finished run's snapshot has arrived, however fast it draws", () => {
    const frames: (() => void)[] = [];
    const signals = createRunSignals((publish) => frames.push(publish));
    const flush = () => {
      for (const publish of frames.splice(0)) publish();
    };
    const entries = Array.from({ length: 30 }, (_, i) => entry(i, 100));
    const parts = chunkMessage({ type: 'snapshot', meta: { ...meta, state: 'done' }, entries }, 1_000);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts.slice(0, -1)) {
      // Every row received is drawn, and still the run is not shown done: rows are still on their way.
      signals.apply(part);
      flush();
      expect(signals.summary.value.state).toBe('running');
      expect(signals.drawing.value).toBe(true);
    }
    signals.apply(parts.at(-1) as ServerMessage);
    flush();
    expect(signals.entries.value).toHaveLength(30);
    expect(signals.summary.value).toMatchObject({ state: 'done', total: 30 });
    expect(signals.drawing.value).toBe(false);
  });

  it('drops the rest of a snapshot whose run was replaced meanwhile', () => {
    const signals = createRunSignals((publish) => publish());
    signals.apply({ type: 'snapshot', meta: { ...meta, runId: 'new' }, entries: [entry(1, 1)] });
    signals.apply({ type: 'rows', runId: 'old', entries: [entry(2, 1)] });
    expect(signals.entries.value).toHaveLength(1);
  });
});

describe('collecting within a time limit, in slices', () => {
  const links = Array.from({ length: 5 }, (_, i) => ({ url: `https://a.test/${i}`, occurrences: 1, texts: [] }));
  const page = { url: 'https://a.test/', title: 'A' };

  it('gathers the slices the page still holds after its first answer', async () => {
    const asked: string[] = [];
    const collection = await collectWithin(
      30_000,
      async () => ({ page, links: links.slice(0, 2), truncated: false, ms: 1, remaining: 3, held: 'live-1' }),
      async (from, held) => {
        asked.push(`${held}@${from}`);
        return links.slice(from, from + 2);
      },
      () => 0,
    );
    expect(asked).toEqual(['live-1@2', 'live-1@4']);
    expect(collection).toMatchObject({ links, truncated: false, remaining: 0 });
  });

  it('says clearly that a busy page did not answer, instead of collecting for ever', async () => {
    let expire: () => void = () => {};
    const never = new Promise<unknown>(() => {});
    const result = collectWithin(
      30_000,
      () => never,
      () => never,
      (run) => {
        expire = run;
      },
    ).catch((error: unknown) => error);
    expire();
    const error = await result;
    expect(error).toBeInstanceOf(CollectTimeout);
    expect(describeCollectFailure(error)).toEqual({ kind: 'busy', seconds: 30 });
  });
});
