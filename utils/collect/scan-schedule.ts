/** Timers as the watcher sees them: the page's own, or fake ones in tests. */
export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ScanPolicy {
  /** A scan waits for the page to be quiet this long… */
  quietMs: number;
  /** …but never longer than this after the first change it waits for (a page that never stops changing). */
  maxWaitMs: number;
  /** At least this long between the end of one scan and the start of the next. */
  minGapMs: number;
  /** And at least this many times the last scan's own duration: the watcher never takes more than 1/(1+costFactor) of the page's time. */
  costFactor: number;
}

/**
 * A page changing 1000 times a second is scanned about once a second; a scan costing 20 ms is followed by 400 ms of
 * rest at least, so the watcher takes under 5 % of the page's main thread whatever the page does.
 */
export const DEFAULT_SCAN_POLICY: ScanPolicy = { quietMs: 250, maxWaitMs: 1000, minGapMs: 500, costFactor: 20 };

export interface ScanScheduler {
  /** The page changed: a scan will follow, debounced and spaced as the policy says. */
  changed(): void;
  /** No more scans; a scan already waiting is dropped. */
  stop(): void;
}

/**
 * Decides when the watcher re-reads the page: debounced (one scan for a burst of changes), with a deadline (a page that
 * never rests is still read), and spaced by the scan's own cost (a page with many links is read less often).
 */
export function scheduleScans(
  scan: () => void,
  timers: Timers,
  policy: ScanPolicy = DEFAULT_SCAN_POLICY,
): ScanScheduler {
  let timer: unknown = null;
  let firstChangeAt: number | null = null;
  let lastChangeAt = 0;
  /** The earliest moment the next scan may start. */
  let restUntil = 0;
  let stopped = false;

  function dueAt(): number {
    const quietAt = lastChangeAt + policy.quietMs;
    const deadline = (firstChangeAt ?? lastChangeAt) + policy.maxWaitMs;
    return Math.max(Math.min(quietAt, deadline), restUntil);
  }

  function arm(): void {
    timer = timers.setTimeout(fire, Math.max(0, dueAt() - timers.now()));
  }

  function fire(): void {
    timer = null;
    if (stopped) return;
    // Changes since the timer was set may have moved the scan later: wait on, without a timer per change.
    if (timers.now() < dueAt()) {
      arm();
      return;
    }
    firstChangeAt = null;
    const started = timers.now();
    try {
      scan();
    } finally {
      const ended = timers.now();
      restUntil = ended + Math.max(policy.minGapMs, policy.costFactor * (ended - started));
    }
  }

  return {
    changed() {
      if (stopped) return;
      lastChangeAt = timers.now();
      firstChangeAt ??= lastChangeAt;
      // A page changing 1000 times a second costs one time stamp per change here, not a timer.
      if (timer === null) arm();
    },
    stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
  };
}
