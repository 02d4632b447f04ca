import { describe, expect, it } from 'vitest';
import { CHUNK_SIZE, loadRuns, type RunMeta, removeRun, StoredRun } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry } from '../../../utils/types';
import { recordingArea } from '../../support/storage-area';

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
    const { area, writes } = recordingArea();
    const run = new StoredRun(meta(7), entries(1200));
    await run.flush(area);
    expect(writes[0]).toHaveLength(1 + Math.ceil(1200 / CHUNK_SIZE));
    run.update('https://a.test/700', { phase: 'checking' });
    run.update('https://a.test/701', { phase: 'checking' });
    await run.flush(area);
    expect(writes[1]).toEqual([`run:7:${Math.floor(700 / CHUNK_SIZE)}`]);
    await run.flush(area);
    expect(writes).toHaveLength(2);
  });
  it('is loaded back whole by a restarted worker, and removed with its tab', async () => {
    const { area, keys } = recordingArea();
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
    expect((await keys()).every((k) => k.startsWith('run:4'))).toBe(true);
  });
  it('removes the chunks a replaced run of its tab left past its own, once its meta is written', async () => {
    const { area, keys, setFull } = recordingArea();
    const old = new StoredRun(meta(2), entries(1000));
    await old.flush(area);
    const run = new StoredRun(meta(2), entries(5));
    run.replaces(old);
    // Nothing is removed while the meta that counts this run's chunks is not written.
    setFull(true);
    await expect(run.flush(area)).rejects.toThrow(/quota/);
    expect(await keys()).toHaveLength(11);
    setFull(false);
    await run.flush(area);
    expect((await keys()).sort()).toEqual(['run:2', 'run:2:0']);
    expect((await loadRuns(area))[0]?.entries).toHaveLength(5);
  });
  it('leaves alone the rows of a run that replaced it while its own write was on its way', async () => {
    const { area, keys } = recordingArea();
    const first = new StoredRun(meta(2), entries(1000));
    await first.flush(area);
    const second = new StoredRun(meta(2), entries(5));
    second.replaces(first);
    // The second run's write is made, but the worker hears of it only after a third run has written its 1 000 rows.
    let written: () => void = () => {};
    const late = new Promise<void>((resolve) => {
      written = resolve;
    });
    const flushing = second.flush({ ...area, set: (items) => area.set(items).then(() => late) });
    const third = new StoredRun(meta(2), entries(1000));
    third.replaces(second);
    await third.flush(area);
    written();
    await flushing;
    expect(await keys()).toHaveLength(11);
    expect((await loadRuns(area))[0]?.entries).toHaveLength(1000);
  });
  it('keeps what a failed write held (a full storage area) and writes it with the next flush', async () => {
    const { area, keys, setFull } = recordingArea();
    setFull(true);
    const run = new StoredRun(meta(5), entries(600));
    run.update('https://a.test/550', { phase: 'done' });
    await expect(run.flush(area)).rejects.toThrow(/quota/);
    expect(await keys()).toEqual([]);
    expect(run.dirty).toBe(true);
    setFull(false);
    await run.flush(area);
    expect(run.dirty).toBe(false);
    const [loaded] = await loadRuns(area);
    expect(loaded?.entries).toHaveLength(600);
    expect(loaded?.entries[550]?.phase).toBe('done');
  });
  it('does not hand the area a write larger than its quota, and keeps it for a flush that fits', async () => {
    const { area, writes } = recordingArea();
    const run = new StoredRun(meta(6), entries(1200));
    const json = JSON.stringify(run.entries);
    // A quota under the rows' own JSON: the browser would refuse the write, so it is not made.
    const small = { ...area, QUOTA_BYTES: Math.floor(json.length / 2) };
    await expect(run.flush(small)).rejects.toThrow(/quota/i);
    expect(writes).toEqual([]);
    expect(run.dirty).toBe(true);
    // With room (the quota above the rows' size), the same rows are written, every chunk of them.
    await run.flush({ ...area, QUOTA_BYTES: json.length + 10_000 });
    expect(writes).toHaveLength(1);
    expect(run.dirty).toBe(false);
    const [loaded] = await loadRuns(area);
    expect(loaded?.entries).toHaveLength(1200);
  });
  it('ignores URLs that are not part of the run', () => {
    const run = new StoredRun(meta(1), entries(2));
    expect(run.update('https://evil.test/', { phase: 'done' })).toBeUndefined();
  });
});
