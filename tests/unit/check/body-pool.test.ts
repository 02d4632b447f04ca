import { describe, expect, it } from 'vitest';
import { createBytePool } from '../../../utils/check/body-pool';

describe('the run body budget', () => {
  it('lets reads hold at most its size at once; the next waits its turn and goes when bytes come back', async () => {
    const pool = createBytePool(10);
    const signal = new AbortController().signal;
    const first = await pool.acquire(4, signal);
    const second = await pool.acquire(4, signal);
    let thirdIn = false;
    const third = pool.acquire(4, signal).then((release) => {
      thirdIn = true;
      return release;
    });
    await Promise.resolve();
    expect(thirdIn).toBe(false);
    first();
    first(); // Giving back twice gives back once.
    const releaseThird = await third;
    expect(thirdIn).toBe(true);
    let fourthIn = false;
    void pool.acquire(4, signal).then(() => {
      fourthIn = true;
    });
    await Promise.resolve();
    expect(fourthIn).toBe(false);
    second();
    releaseThird();
    await new Promise((r) => setTimeout(r, 0));
    expect(fourthIn).toBe(true);
  });

  it('drops a waiting read when its run is cancelled, and lets the next one in', async () => {
    const pool = createBytePool(4);
    const hold = await pool.acquire(4, new AbortController().signal);
    const cancelled = new AbortController();
    const waiting = pool.acquire(4, cancelled.signal);
    cancelled.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    let nextIn = false;
    void pool.acquire(4, new AbortController().signal).then(() => {
      nextIn = true;
    });
    hold();
    await new Promise((r) => setTimeout(r, 0));
    expect(nextIn).toBe(true);
  });
});
