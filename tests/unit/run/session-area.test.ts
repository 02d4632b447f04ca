import { describe, expect, it } from 'vitest';
import { memoryArea, sessionArea } from '@/utils/run/session-area';
import { removeRun } from '@/utils/run/stored-run';

describe('the session area', () => {
  it('is storage.session where the browser has it, and says nothing', () => {
    const session = memoryArea();
    const said: string[] = [];
    expect(sessionArea(session, (t) => said.push(t))).toBe(session);
    expect(said).toEqual([]);
  });

  it('falls back to memory with words, not an error, where storage.session is missing', async () => {
    const said: string[] = [];
    const area = sessionArea(undefined, (t) => said.push(t));
    expect(said).toEqual([
      'Linkpulse: this browser has no storage.session; runs are kept in memory and end if the background stops.',
    ]);
    await area.set({ a: { n: 1 }, b: [2] });
    expect(await area.get(null)).toEqual({ a: { n: 1 }, b: [2] });
    expect(await area.get('a')).toEqual({ a: { n: 1 } });
    expect(await area.get(['b', 'missing'])).toEqual({ b: [2] });
    await area.remove(['a']);
    expect(await area.get(null)).toEqual({ b: [2] });
  });

  it('copies values in and out, as a real storage area does', async () => {
    const area = memoryArea();
    const value = { n: 1 };
    await area.set({ k: value });
    value.n = 2;
    const read = (await area.get('k')).k as { n: number };
    expect(read).toEqual({ n: 1 });
    read.n = 3;
    expect(await area.get('k')).toEqual({ k: { n: 1 } });
  });

  it("serves the run store: a tab's run is removed by its keys, the others stay", async () => {
    const area = memoryArea();
    await area.set({ 'run:1': { tabId: 1 }, 'run:1:0': [], 'run:12': { tabId: 12 } });
    await removeRun(area, 1);
    expect(Object.keys(await area.get(null))).toEqual(['run:12']);
  });
});
