import pLimit, { type LimitFunction } from 'p-limit';
import { watchAbort } from './abort-fanout';
import { classifyProtocol, type HostProtocol, sharesConnection } from './protocols';

export interface Limits {
  global: number;
  /** Requests at once to one host over HTTP/1.1, and to a host whose protocol is not known yet. */
  perHost: number;
  /** Requests at once to a host that answered over HTTP/2 or HTTP/3; `perHost` when not given. */
  perHostMultiplexed?: number;
}

export interface LimiterOptions extends Limits {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RunOptions {
  /** A task whose signal aborts while it waits leaves the queue at once (its promise rejects); running ones finish. */
  signal?: AbortSignal;
  /** A follow-up of a check already under way (GET after HEAD, a retry): it goes ahead of checks not yet started. */
  urgent?: boolean;
  /**
   * The request may share a connection with others (`canMultiplex`), so it counts against the multiplexed limit once
   * its host is known to speak HTTP/2 or 3. A plain-http request to such a host would go over HTTP/1.1 and only queue
   * in the browser beyond its 6 connections.
   */
  multiplexable?: boolean;
}

export interface Limiter {
  /** Runs `task` once both a host slot and a global slot are free and the host is not paused. */
  run<T>(host: string, task: () => Promise<T>, options?: RunOptions): Promise<T>;
  /** Holds every request to `host` until `until` (ms since epoch): one `Retry-After` slows the whole host. */
  pauseHost(host: string, until: number): void;
  /** New limits for what starts from now on (one limiter serves every run, so a host's limit holds across tabs). */
  setLimits(limits: Limits): void;
  /**
   * The browser said a request to `host` was answered over `protocol` (an ALPN id: `h2`, `h3`, `http/1.1`). The first
   * answer decides whether the host gets the multiplexed limit; an HTTP/1 answer later takes it back to the HTTP/1.1
   * limit for good (a host behind a mix of servers), never the other way. Unknown ids teach nothing.
   */
  learnProtocol(host: string, protocol: string): void;
  /** What the limiter learned of `host` (undefined: nothing yet, the HTTP/1.1 limit applies). */
  protocolOf(host: string): HostProtocol | undefined;
  /**
   * A run's own view of the shared limiter: its requests keep its own global throttle, and while it is joined the
   * per-host limit for everyone is the strictest of the joined runs' (the per-host limit is about the server). The
   * handle's setLimits changes that run's limits only.
   */
  join(limits: Limits): RunLimiter;
}

export interface RunLimiter extends Limiter {
  /** The run is over: its limits no longer count. */
  leave(): void;
}

interface Waiter {
  urgent: boolean;
  multiplexable: boolean;
  start: () => void;
}

interface HostQueue {
  active: number;
  waiting: Waiter[];
}

/** Waits `ms`, or less when `signal` aborts first (not at all when it has already); never rejects. */
export function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  // An abort event fires once: a cancel that came just before (during a request's last moments) would not end the wait.
  if (signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Hosts whose protocol is remembered (the oldest learned is forgotten first): a bound, far above a page's hosts. */
export const MAX_KNOWN_HOSTS = 5_000;

function abortError(): Error {
  return new DOMException('The check was cancelled', 'AbortError');
}

/**
 * Two-level limiter: a per-host queue in front of one global queue. The host slot is taken first, so tasks waiting
 * for one busy host never hold global slots that other hosts could use. In a host's queue, follow-ups of checks under
 * way go first: a link whose HEAD was answered gets its GET before links that have not been asked at all.
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepUnlessAborted;
  type HostLimits = { perHost: number; perHostMultiplexed: number };
  const hostLimitsOf = (limits: Limits): HostLimits => ({
    perHost: limits.perHost,
    perHostMultiplexed: limits.perHostMultiplexed ?? limits.perHost,
  });
  let defaults = hostLimitsOf(options);
  let current = defaults;
  const global = pLimit(options.global);
  /** The per-host limits of every joined run. */
  const joined = new Map<symbol, HostLimits>();
  const updatePerHost = () => {
    const all = [...joined.values()];
    current =
      all.length > 0
        ? {
            perHost: Math.min(...all.map((l) => l.perHost)),
            perHostMultiplexed: Math.min(...all.map((l) => l.perHostMultiplexed)),
          }
        : defaults;
    for (const [host, queue] of hosts) pump(host, queue);
  };
  const hosts = new Map<string, HostQueue>();
  const pausedUntil = new Map<string, number>();
  const protocols = new Map<string, HostProtocol>();

  /** The limit that lets `waiter` start: the multiplexed one only for a request that can share a connection. */
  function limitFor(host: string, waiter: Waiter): number {
    return sharesConnection(waiter.multiplexable, protocols.get(host)) ? current.perHostMultiplexed : current.perHost;
  }

  function queueOf(host: string): HostQueue {
    let queue = hosts.get(host);
    if (!queue) {
      queue = { active: 0, waiting: [] };
      hosts.set(host, queue);
    }
    return queue;
  }

  function pump(host: string, queue: HostQueue): void {
    // In order: a plain-http request at the head waits for the HTTP/1.1 limit even when later ones could go.
    for (let next = queue.waiting[0]; next && queue.active < limitFor(host, next); next = queue.waiting[0]) {
      queue.active += 1;
      queue.waiting.shift();
      next.start();
    }
    if (queue.active === 0 && queue.waiting.length === 0) hosts.delete(host);
  }

  function acquire(host: string, run: RunOptions): Promise<void> {
    const { signal, urgent = false, multiplexable = false } = run;
    if (signal?.aborted) return Promise.reject(abortError());
    const queue = queueOf(host);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = queue.waiting.indexOf(waiter);
        if (at >= 0) queue.waiting.splice(at, 1);
        pump(host, queue);
        reject(abortError());
      };
      const stopWatching = signal ? watchAbort(signal, onAbort) : () => {};
      const waiter: Waiter = {
        urgent,
        multiplexable,
        start: () => {
          stopWatching();
          resolve();
        },
      };
      // Urgent waiters queue behind earlier urgent ones, ahead of every other.
      const at = urgent ? queue.waiting.findIndex((w) => !w.urgent) : -1;
      if (at >= 0) queue.waiting.splice(at, 0, waiter);
      else queue.waiting.push(waiter);
      pump(host, queue);
    });
  }

  function release(host: string): void {
    const queue = queueOf(host);
    queue.active -= 1;
    pump(host, queue);
  }

  const isPaused = (host: string) => (pausedUntil.get(host) ?? 0) > now();

  async function waitForHost(host: string, signal?: AbortSignal): Promise<void> {
    for (let wait = (pausedUntil.get(host) ?? 0) - now(); wait > 0; wait = (pausedUntil.get(host) ?? 0) - now()) {
      await sleep(wait, signal);
      if (signal?.aborted) throw abortError();
    }
    pausedUntil.delete(host);
  }

  /** Runs `task` under the host's slot, the run's own gate when given, and the global slot — never while paused. */
  async function runTask<T>(host: string, task: () => Promise<T>, run: RunOptions, gate?: LimitFunction): Promise<T> {
    await acquire(host, run);
    try {
      for (;;) {
        await waitForHost(host, run.signal);
        const gated = <R>(fn: () => Promise<R>) => (gate ? gate(fn) : fn());
        // A pause set while this task waited for a global slot (another request's 429 came back meanwhile) holds it too:
        // nothing leaves for a paused host.
        const result = await gated(() =>
          global(async (): Promise<{ ran: true; value: T } | { ran: false }> => {
            if (run.signal?.aborted) throw abortError();
            if (isPaused(host)) return { ran: false };
            return { ran: true, value: await task() };
          }),
        );
        if (result.ran) return result.value;
      }
    } finally {
      release(host);
    }
  }

  const limiter: Limiter = {
    run: (host, task, run = {}) => runTask(host, task, run),
    pauseHost(host, until) {
      if (until > (pausedUntil.get(host) ?? 0)) pausedUntil.set(host, until);
    },
    setLimits(limits) {
      defaults = hostLimitsOf(limits);
      global.concurrency = limits.global;
      updatePerHost();
    },
    learnProtocol(host, protocol) {
      const learned = classifyProtocol(protocol);
      const known = protocols.get(host);
      if (!learned || known === 'http1' || known === learned) return;
      protocols.set(host, learned);
      while (protocols.size > MAX_KNOWN_HOSTS) {
        const oldest = protocols.keys().next().value;
        if (oldest === undefined) break;
        protocols.delete(oldest);
      }
      const queue = hosts.get(host);
      if (queue) pump(host, queue);
    },
    protocolOf: (host) => protocols.get(host),
    join(limits) {
      const id = Symbol('run');
      const gate = pLimit(limits.global);
      joined.set(id, hostLimitsOf(limits));
      updatePerHost();
      const handle: RunLimiter = {
        run: (host, task, run = {}) => runTask(host, task, run, gate),
        pauseHost: limiter.pauseHost,
        learnProtocol: limiter.learnProtocol,
        protocolOf: limiter.protocolOf,
        setLimits(next) {
          gate.concurrency = next.global;
          if (joined.has(id)) joined.set(id, hostLimitsOf(next));
          updatePerHost();
        },
        join: (next) => limiter.join(next),
        leave() {
          joined.delete(id);
          updatePerHost();
        },
      };
      return handle;
    },
  };
  return limiter;
}
