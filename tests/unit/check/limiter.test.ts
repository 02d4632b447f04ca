import { describe, expect, it, vi } from 'vitest';
import { createLimiter, sleepUnlessAborted } from '../../../utils/check/limiter';

/** A task that runs until its `finish` is called, recording when it started. */
function gate(order: string[], name: string) {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    task: () => {
      order.push(name);
      return done;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('the limiter', () => {
  it("lets a check under way (a GET after its HEAD, a retry) go ahead of a host's checks not yet started", async () => {
    const limiter = createLimiter({ global: 10, perHost: 1 });
    const order: string[] = [];
    const first = gate(order, 'first');
    const running = limiter.run('a.test', first.task);
    const later = [
      { name: 'new 1', urgent: false },
      { name: 'retry 1', urgent: true },
      { name: 'new 2', urgent: false },
      { name: 'retry 2', urgent: true },
    ].map(({ name, urgent }) => {
      const g = gate(order, name);
      return { ...g, run: limiter.run('a.test', g.task, { urgent }) };
    });
    await tick();
    expect(order).toEqual(['first']);
    first.finish();
    await running;
    for (const g of later) {
      await tick();
      g.finish();
    }
    await Promise.all(later.map((g) => g.run));
    // One at a time: the follow-ups in their order, then the new checks in theirs.
    expect(order).toEqual(['first', 'retry 1', 'retry 2', 'new 1', 'new 2']);
  });

  it('drops a waiting task whose signal aborts, and runs the next one in its place', async () => {
    const limiter = createLimiter({ global: 10, perHost: 1 });
    const order: string[] = [];
    const first = gate(order, 'first');
    const running = limiter.run('a.test', first.task);
    const controller = new AbortController();
    const dropped = limiter.run('a.test', gate(order, 'cancelled').task, { signal: controller.signal });
    const next = gate(order, 'next');
    const after = limiter.run('a.test', next.task);
    controller.abort();
    await expect(dropped).rejects.toThrow(/cancelled/);
    first.finish();
    await running;
    await tick();
    expect(order).toEqual(['first', 'next']);
    next.finish();
    await after;
  });

  it("watches a run's signal with one listener however many of its tasks wait, and still drops each of them on abort", async () => {
    const limiter = createLimiter({ global: 10, perHost: 1 });
    const order: string[] = [];
    const first = gate(order, 'first');
    const running = limiter.run('a.test', first.task);
    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    controller.signal.addEventListener = (...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners += 1;
      add(...args);
    };
    const waiting = Array.from({ length: 200 }, (_, i) =>
      limiter.run('a.test', gate(order, `waiting ${i}`).task, { signal: controller.signal }),
    );
    const next = gate(order, 'next');
    const after = limiter.run('a.test', next.task);
    // Each add scans the signal's list in a browser: 200 listeners would be 200 × 200 steps.
    expect(listeners).toBe(1);
    controller.abort();
    const settled = await Promise.allSettled(waiting);
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    first.finish();
    await running;
    await tick();
    expect(order).toEqual(['first', 'next']);
    next.finish();
    await after;
  });

  it('takes new limits for what starts next', async () => {
    const limiter = createLimiter({ global: 10, perHost: 1 });
    const order: string[] = [];
    const gates = ['a', 'b', 'c'].map((name) => gate(order, name));
    const runs = gates.map((g) => limiter.run('a.test', g.task));
    await tick();
    expect(order).toEqual(['a']);
    limiter.setLimits({ global: 10, perHost: 3 });
    await tick();
    expect(order).toEqual(['a', 'b', 'c']);
    for (const g of gates) g.finish();
    await Promise.all(runs);
    // Every slot was given back: three more start at once.
    const next = ['d', 'e', 'f'].map((name) => gate(order, name));
    const more = next.map((g) => limiter.run('a.test', g.task));
    await tick();
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    for (const g of next) g.finish();
    await Promise.all(more);
  });

  it('keeps each run’s own global throttle when another run joins with defaults', async () => {
    const limiter = createLimiter({ global: 128, perHost: 6 });
    const throttled = limiter.join({ global: 1, perHost: 6 });
    const order: string[] = [];
    const slow = ['s1', 's2', 's3'].map((name) => gate(order, name));
    const slowRuns = slow.map((g, i) => throttled.run(`host${i}.test`, g.task));
    const fresh = limiter.join({ global: 128, perHost: 6 });
    const fast = ['f1', 'f2', 'f3'].map((name) => gate(order, name));
    const fastRuns = fast.map((g, i) => fresh.run(`other${i}.test`, g.task));
    await tick();
    // The throttled run still has one request at a time; the default run is not held to its throttle.
    expect(order.sort()).toEqual(['f1', 'f2', 'f3', 's1']);
    for (const g of [...slow, ...fast]) g.finish();
    await Promise.all([...slowRuns, ...fastRuns]);
    throttled.leave();
    fresh.leave();
  });

  it('holds every run to the strictest per-host limit of the runs going, and lets go when that run ends', async () => {
    const limiter = createLimiter({ global: 128, perHost: 6 });
    const gentle = limiter.join({ global: 128, perHost: 2 });
    const eager = limiter.join({ global: 128, perHost: 6 });
    const order: string[] = [];
    const gates = ['a', 'b', 'c', 'd'].map((name) => gate(order, name));
    const runs = gates.map((g) => eager.run('shared.test', g.task));
    await tick();
    expect(order).toEqual(['a', 'b']);
    gentle.leave();
    await tick();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    for (const g of gates) g.finish();
    await Promise.all(runs);
    eager.leave();
  });

  it('sends nothing to a host paused while a task waited for a global slot', async () => {
    let now = 1000;
    const sleeps: number[] = [];
    const limiter = createLimiter({
      global: 1,
      perHost: 6,
      now: () => now,
      // Fake time: a sleep moves the clock on by what it was asked.
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    const order: string[] = [];
    const elsewhere = gate(order, 'elsewhere');
    const busy = limiter.run('other.test', elsewhere.task);
    const waiting = gate(order, 'waiting');
    const queued = limiter.run('paused.test', waiting.task);
    await tick();
    // The task for paused.test has its host slot and waits for the one global slot; then its host says "wait".
    expect(order).toEqual(['elsewhere']);
    limiter.pauseHost('paused.test', now + 5000);
    elsewhere.finish();
    await busy;
    await tick();
    expect(sleeps).toEqual([5000]);
    expect(order).toEqual(['elsewhere', 'waiting']);
    waiting.finish();
    await queued;
  });
});

describe('sleepUnlessAborted', () => {
  it('ends at once for a signal aborted before it began, and when one aborts while it waits', async () => {
    vi.useFakeTimers();
    try {
      const ended: string[] = [];
      const cancelled = new AbortController();
      cancelled.abort();
      void sleepUnlessAborted(10_000, cancelled.signal).then(() => ended.push('aborted before'));
      const later = new AbortController();
      void sleepUnlessAborted(10_000, later.signal).then(() => ended.push('aborted while waiting'));
      void sleepUnlessAborted(10_000).then(() => ended.push('no signal'));
      // No time passes: only the waits a cancel ended are over.
      await vi.advanceTimersByTimeAsync(0);
      expect(ended).toEqual(['aborted before']);
      later.abort();
      await vi.advanceTimersByTimeAsync(0);
      expect(ended).toEqual(['aborted before', 'aborted while waiting']);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(ended).toEqual(['aborted before', 'aborted while waiting', 'no signal']);
    } finally {
      vi.useRealTimers();
    }
  });
});
