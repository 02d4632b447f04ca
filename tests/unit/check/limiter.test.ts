import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../utils/check/limiter';

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
});
