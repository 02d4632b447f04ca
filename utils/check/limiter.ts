import pLimit, { type LimitFunction } from 'p-limit';

export interface LimiterOptions {
  global: number;
  perHost: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Limiter {
  /** Runs `task` once both a host slot and a global slot are free and the host is not paused. */
  run<T>(host: string, task: () => Promise<T>): Promise<T>;
  /** Holds every request to `host` until `until` (ms since epoch): one `Retry-After` slows the whole host. */
  pauseHost(host: string, until: number): void;
  /** Drops queued tasks; running ones finish (their own abort signals stop them). */
  clear(): void;
  readonly activeCount: number;
}

/**
 * Two-level limiter: a per-host queue in front of one global queue. The host slot is taken first, so tasks waiting
 * for one busy host never hold global slots that other hosts could use.
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const global = pLimit({ concurrency: options.global, rejectOnClear: true });
  const hosts = new Map<string, LimitFunction>();
  const pausedUntil = new Map<string, number>();

  function hostLimit(host: string): LimitFunction {
    let limit = hosts.get(host);
    if (!limit) {
      limit = pLimit({ concurrency: options.perHost, rejectOnClear: true });
      hosts.set(host, limit);
    }
    return limit;
  }

  async function waitForHost(host: string): Promise<void> {
    for (let wait = (pausedUntil.get(host) ?? 0) - now(); wait > 0; wait = (pausedUntil.get(host) ?? 0) - now()) {
      await sleep(wait);
    }
  }

  return {
    run(host, task) {
      return hostLimit(host)(async () => {
        await waitForHost(host);
        return global(task);
      });
    },
    pauseHost(host, until) {
      if (until > (pausedUntil.get(host) ?? 0)) pausedUntil.set(host, until);
    },
    clear() {
      global.clearQueue();
      for (const limit of hosts.values()) limit.clearQueue();
    },
    get activeCount() {
      return global.activeCount;
    },
  };
}
