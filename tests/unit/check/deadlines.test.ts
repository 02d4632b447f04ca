import { describe, expect, it } from 'vitest';
import { createDeadlines } from '../../../utils/check/deadlines';

/** A clock moved by hand, which counts the timers set on it. */
function handClock() {
  let now = 0;
  let timers: { at: number; fire: () => void; id: number }[] = [];
  const clock = {
    set: 0,
    now: () => now,
    setTimeout(fire: () => void, ms: number) {
      clock.set += 1;
      const timer = { at: now + ms, fire, id: clock.set };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(id: unknown) {
      timers = timers.filter((timer) => timer.id !== id);
    },
    /** Moves the clock to `to`, firing each timer due on the way at its own time. */
    advance(to: number) {
      for (;;) {
        const next = timers.filter((timer) => timer.at <= to).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        timers = timers.filter((timer) => timer !== next);
        now = next.at;
        next.fire();
      }
      now = to;
    },
    get armed() {
      return timers.length;
    },
  };
  return clock;
}

describe('deadlines on one timer', () => {
  it('calls each deadline at its own time, in the order they fall due', () => {
    const clock = handClock();
    const deadlines = createDeadlines(clock);
    const fired: string[] = [];
    deadlines.after(300, () => fired.push(`b at ${clock.now()}`));
    deadlines.after(100, () => fired.push(`a at ${clock.now()}`));
    deadlines.after(300, () => fired.push(`c at ${clock.now()}`));
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(1_000);
    expect(fired).toEqual(['a at 100', 'b at 300', 'c at 300']);
  });

  it('never calls a deadline given up, and keeps no timer once none is left', () => {
    const clock = handClock();
    const deadlines = createDeadlines(clock);
    const fired: string[] = [];
    const stopA = deadlines.after(100, () => fired.push('a'));
    const stopB = deadlines.after(200, () => fired.push('b'));
    stopA();
    clock.advance(150);
    expect(fired).toEqual([]);
    stopB();
    expect(clock.armed).toBe(0);
    clock.advance(1_000);
    expect(fired).toEqual([]);
  });

  it('sets one timer for deadlines that fall due in the order they were set, as requests of one timeout do', () => {
    const clock = handClock();
    const deadlines = createDeadlines(clock);
    const stops = Array.from({ length: 100 }, (_, i) => {
      clock.advance(i);
      return deadlines.after(10_000, () => {});
    });
    for (const stop of stops) stop();
    expect(clock.set).toBe(1);
  });

  it('sets the timer again for a deadline earlier than the one it waits for', () => {
    const clock = handClock();
    const deadlines = createDeadlines(clock);
    const fired: string[] = [];
    deadlines.after(10_000, () => fired.push('late'));
    deadlines.after(50, () => fired.push('early'));
    clock.advance(50);
    expect(fired).toEqual(['early']);
    clock.advance(10_000);
    expect(fired).toEqual(['early', 'late']);
  });

  it('takes deadlines set while it calls those due', () => {
    const clock = handClock();
    const deadlines = createDeadlines(clock);
    const fired: number[] = [];
    deadlines.after(100, () => deadlines.after(100, () => fired.push(clock.now())));
    clock.advance(1_000);
    expect(fired).toEqual([200]);
  });
});
