import { describe, expect, it } from 'vitest';
import { admitByKey } from '../../../utils/check/admit';

/** Work that ends when the test says so, recording what was started and how much ran at once. */
function controlledWork() {
  const started: string[] = [];
  const waiting = new Map<string, () => void>();
  let active = 0;
  let most = 0;
  const perKey = new Map<string, number>();
  const mostPerKey = new Map<string, number>();
  return {
    started,
    get most() {
      return most;
    },
    mostPerKey,
    work(item: string): Promise<void> {
      const key = item.split(':')[0] as string;
      started.push(item);
      active += 1;
      most = Math.max(most, active);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      mostPerKey.set(key, Math.max(mostPerKey.get(key) ?? 0, perKey.get(key) ?? 0));
      return new Promise<void>((resolve) => {
        waiting.set(item, () => {
          active -= 1;
          perKey.set(key, (perKey.get(key) ?? 1) - 1);
          resolve();
        });
      });
    },
    finish(item: string) {
      const done = waiting.get(item);
      if (!done) throw new Error(`${item} is not running`);
      waiting.delete(item);
      done();
    },
    running: () => [...waiting.keys()],
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const items = (key: string, n: number) => Array.from({ length: n }, (_, i) => `${key}:${i}`);

describe('admitByKey', () => {
  it('starts keys in turn, no more than the total at once nor the per-key cap for one key', async () => {
    const w = controlledWork();
    let finished = false;
    const all = admitByKey(
      [
        ['a', items('a', 5)],
        ['b', items('b', 2)],
        ['c', items('c', 1)],
      ],
      { total: 4, perKey: 2 },
      (item) => w.work(item),
    ).then(() => {
      finished = true;
    });
    await settle();
    // a, b, c take turns; a's second one goes after every key had its first.
    expect(w.started).toEqual(['a:0', 'b:0', 'c:0', 'a:1']);
    w.finish('c:0');
    await settle();
    expect(w.started.at(-1)).toBe('b:1');
    w.finish('a:0');
    await settle();
    expect(w.started.at(-1)).toBe('a:2');
    while (w.running().length > 0) {
      for (const item of w.running()) w.finish(item);
      await settle();
    }
    await all;
    expect(finished).toBe(true);
    expect(w.started.sort()).toEqual([...items('a', 5), ...items('b', 2), ...items('c', 1)].sort());
    expect(w.most).toBe(4);
    expect(w.mostPerKey.get('a')).toBe(2);
  });

  it('keeps a key whose work never ends from holding up the others', async () => {
    const w = controlledWork();
    const all = admitByKey(
      [
        ['stuck', items('stuck', 50)],
        ['fast', items('fast', 20)],
      ],
      { total: 8, perKey: 3 },
      (item) => w.work(item),
    );
    for (let round = 0; round < 30; round++) {
      await settle();
      for (const item of w.running()) if (item.startsWith('fast')) w.finish(item);
    }
    // Every fast item ran although only three stuck ones were ever admitted.
    expect(w.started.filter((i) => i.startsWith('fast'))).toHaveLength(20);
    expect(w.started.filter((i) => i.startsWith('stuck'))).toEqual(['stuck:0', 'stuck:1', 'stuck:2']);
    while (w.running().length > 0) {
      for (const item of w.running()) w.finish(item);
      await settle();
    }
    await all;
    expect(w.started).toHaveLength(70);
  });

  it('goes on after work that fails, and resolves at once when there is nothing to do', async () => {
    const seen: number[] = [];
    await admitByKey([['k', [1, 2, 3]]], { total: 1, perKey: 1 }, async (n) => {
      seen.push(n);
      if (n === 2) throw new Error('boom');
    });
    expect(seen).toEqual([1, 2, 3]);
    await expect(admitByKey([['k', []]], { total: 1, perKey: 1 }, async () => {})).resolves.toBeUndefined();
    await expect(admitByKey([], { total: 1, perKey: 1 }, async () => {})).resolves.toBeUndefined();
  });
});
