import { describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  type KeyValueArea,
  loadRuns,
  type RunMeta,
  removeRun,
  StoredRun,
} from '../../../utils/run/run-store';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry } from '../../../utils/types';

/** An in-memory storage area that records every `set` call, as storage.session would receive them. */
function memoryArea() {
  const data = new Map<string, unknown>();
  const writes: string[][] = [];
  const area: KeyValueArea = {
    async get(keys) {
      const wanted = keys === null ? [...data.keys()] : Array.isArray(keys) ? keys : [keys];
      return Object.fromEntries(wanted.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    async set(items) {
      writes.push(Object.keys(items));
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) data.delete(k);
    },
  };
  return { area, data, writes };
}

const meta = (tabId: number): RunMeta => ({
  runId: `run-${tabId}`,
  tabId,
  page: { url: 'https://a.test/', title: 'A' },
  startedAt: 1,
  finishedAt: null,
  state: 'running',
  settings: DEFAULT_SETTINGS,
  total: 1200,
  truncated: false,
});
const entries = (n: number): LinkEntry[] =>
  Array.from({ length: n }, (_, i) => ({ url: `https://a.test/${i}`, occurrences: 1, texts: [], phase: 'queued' }));

describe('StoredRun', () => {
  it('writes a result by rewriting only the chunk that holds it', async () => {
    const { area, writes } = memoryArea();
    const run = new StoredRun(meta(7), entries(1200));
    await run.flush(area);
    expect(writes[0]).toHaveLength(1 + Math.ceil(1200 / CHUNK_SIZE));
    run.update('https://a.test/700', { phase: 'checking' });
    run.update('https://a.test/701', { phase: 'checking' });
    await run.flush(area);
    expect(writes[1]).toEqual(['run:7:1']);
    await run.flush(area);
    expect(writes).toHaveLength(2);
  });
  it('is loaded back whole by a restarted worker, and removed with its tab', async () => {
    const { area, data } = memoryArea();
    const run = new StoredRun(meta(3), entries(1200));
    run.update('https://a.test/1100', { phase: 'done' });
    await run.flush(area);
    await new StoredRun(meta(4), entries(2)).flush(area);
    const [loaded, other] = await loadRuns(area);
    expect(loaded?.meta).toEqual(meta(3));
    expect(loaded?.entries).toHaveLength(1200);
    expect(loaded?.entries[1100]?.phase).toBe('done');
    expect(loaded?.indexOf('https://a.test/1100')).toBe(1100);
    expect(loaded?.dirty).toBe(false);
    expect(other?.entries).toHaveLength(2);
    await removeRun(area, 3);
    expect([...data.keys()].every((k) => k.startsWith('run:4'))).toBe(true);
  });
  it('keeps what a failed write held (a full storage area) and writes it with the next flush', async () => {
    const { area, data } = memoryArea();
    let full = true;
    const refusing: KeyValueArea = {
      ...area,
      async set(items) {
        if (full) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
        await area.set(items);
      },
    };
    const run = new StoredRun(meta(5), entries(600));
    run.update('https://a.test/550', { phase: 'done' });
    await expect(run.flush(refusing)).rejects.toThrow(/quota/);
    expect(data.size).toBe(0);
    expect(run.dirty).toBe(true);
    full = false;
    await run.flush(refusing);
    expect(run.dirty).toBe(false);
    const [loaded] = await loadRuns(area);
    expect(loaded?.entries).toHaveLength(600);
    expect(loaded?.entries[550]?.phase).toBe('done');
  });
  it('ignores URLs that are not part of the run', () => {
    const run = new StoredRun(meta(1), entries(2));
    expect(run.update('https://evil.test/', { phase: 'done' })).toBeUndefined();
  });
});
