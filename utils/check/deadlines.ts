/** Calls a function once a time has passed, unless told not to first. */
export interface Deadlines {
  /** Calls `fire` once `ms` have passed, unless the function returned is called first. `fire` must not throw. */
  after(ms: number, fire: () => void): () => void;
}

/** A monotonic clock and the timer to wait on it (injected: the tests use fake ones). */
export interface DeadlineClock {
  now(): number;
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

interface Deadline {
  at: number;
  fire: () => void;
}

/**
 * Many deadlines on one timer. Every request has a timeout, and every body read to its end a time limit, and nearly
 * all of them end long before it: a timer set and cleared for each cost the worker ~0.15 s of a 5 000-link site check
 * (`NO_MINIFY=1 npm run bench -- --only=crawl --profile`). Here the timer waits for the earliest deadline only; when it
 * fires, it calls those due and waits for the next. A deadline given up is only dropped from the set.
 */
export function createDeadlines(clock: DeadlineClock): Deadlines {
  const pending = new Set<Deadline>();
  let timer: unknown = null;
  /** When the timer fires; Infinity when none is set. */
  let timerAt = Number.POSITIVE_INFINITY;

  function stopTimer(): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    timerAt = Number.POSITIVE_INFINITY;
  }

  function startTimer(at: number): void {
    stopTimer();
    timerAt = at;
    // Rounded up: a timer never fires before its time, so the deadline it was set for is due when it does.
    timer = clock.setTimeout(expire, Math.max(0, Math.ceil(at - clock.now())));
  }

  function expire(): void {
    timer = null;
    timerAt = Number.POSITIVE_INFINITY;
    const now = clock.now();
    const due: Deadline[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const deadline of pending) {
      if (deadline.at <= now) {
        due.push(deadline);
        pending.delete(deadline);
      } else if (deadline.at < next) next = deadline.at;
    }
    if (next !== Number.POSITIVE_INFINITY) startTimer(next);
    for (const deadline of due) deadline.fire();
  }

  return {
    after(ms, fire) {
      const deadline = { at: clock.now() + ms, fire };
      pending.add(deadline);
      if (deadline.at < timerAt) startTimer(deadline.at);
      return () => {
        // The last one given up stops the timer: an idle worker keeps none.
        if (pending.delete(deadline) && pending.size === 0) stopTimer();
      };
    },
  };
}

/**
 * The deadlines of the extension's requests: one timer on the real clock. The timer functions are looked up at each
 * call, so a test's fake timers hold here too.
 */
export const requestDeadlines: Deadlines = createDeadlines({
  now: () => performance.now(),
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
});
