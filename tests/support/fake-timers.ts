import type { Timers } from '../../utils/collect/scan-schedule';

/** One-shot timers on a clock that moves only when the test says so; `work` makes a callback take time. */
export function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; run: () => void }>();
  const timers: Timers = {
    now: () => now,
    setTimeout(run, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  return {
    timers,
    get now() {
      return now;
    },
    /** How many timers are set now. */
    get pending() {
      return pending.size;
    },
    /** The callback being run takes this long (moves the clock inside it). */
    work(ms: number) {
      now += ms;
    },
    /** Moves time forward, running each timer that falls due, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const [id, due] = [...pending].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (id === undefined || !due) break;
        pending.delete(id);
        now = Math.max(now, due.at);
        due.run();
      }
      now = Math.max(now, end);
    },
  };
}
