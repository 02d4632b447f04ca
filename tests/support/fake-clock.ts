import type { Clock } from '../../utils/run/platform';

/**
 * A clock that moves only when the test says so. Each fake worker gets its own: a worker "stopped" by a test is one
 * whose clock is never advanced again, so its timers never fire.
 */
export function fakeClock(start = 1_000_000) {
  let now = start;
  const timers = new Set<{ every: number; next: number; tick: () => void }>();
  const clock: Clock = {
    now: () => now,
    every(ms, tick) {
      const timer = { every: ms, next: now + ms, tick };
      timers.add(timer);
      return () => timers.delete(timer);
    },
  };
  return {
    clock,
    /** Moves time forward, firing each periodic timer as often as it falls due, settling promises in between. */
    async advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter((t) => t.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        now = due.next;
        due.next += due.every;
        due.tick();
        await settle();
      }
      now = end;
      await settle();
    },
    /** How many periodic timers are set. */
    get timers() {
      return timers.size;
    },
  };
}

/** Lets every promise chain that is ready run to its end (storage writes, awaited steps). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
