/**
 * Which HTTP version a host answers in, as the browser reports it. Over HTTP/1.1 a browser opens at most 6 connections
 * to a host, one request each at a time; over HTTP/2 and HTTP/3 one connection carries many requests at once, so a
 * higher per-host limit can reach the server (when the person allows it: see Settings.perHostConcurrencyH2).
 */

/** How a host's connection carries requests: many at once (HTTP/2, HTTP/3), or one per connection (HTTP/1.x). */
export type HostProtocol = 'multiplexed' | 'http1';

/** A request to `url` could share a connection with others: browsers speak HTTP/2 and 3 over TLS only. */
export const canMultiplex = (url: string): boolean => url.startsWith('https:');

/**
 * A request that could share a connection (`canMultiplex`) to a host known to answer over HTTP/2 or 3 does share one:
 * it counts against the multiplexed per-host limit, and cancelling its body costs the connection nothing. Any other
 * goes over HTTP/1.1, one request per connection at a time.
 */
export const sharesConnection = (multiplexable: boolean, protocol: HostProtocol | undefined): boolean =>
  multiplexable && protocol === 'multiplexed';

/**
 * Classifies an ALPN protocol id (Resource Timing's `nextHopProtocol`: `h2`, `h3`, `http/1.1`…). Anything else — the
 * empty string a browser gives when it does not say, an unknown id — is null: nothing learned.
 */
export function classifyProtocol(protocol: string): HostProtocol | null {
  const id = protocol.trim().toLowerCase();
  // `h3-29` and the like are HTTP/3 drafts; `spdy/3.1` is HTTP/2's forerunner, multiplexed too.
  if (id === 'h2' || id === 'h3' || id.startsWith('h3-') || id.startsWith('spdy/')) return 'multiplexed';
  if (/^http\/(0\.9|1\.0|1\.1)$/.test(id)) return 'http1';
  return null;
}

/**
 * The protocol named by a response's status line as Firefox's webRequest reports it (`HTTP/2.0 200 `, `HTTP/1.1 200
 * OK`, `HTTP/3.0 200 `), as an ALPN id. Not for Chromium: it writes `HTTP/1.1 200` for an HTTP/2 answer too.
 */
export function protocolOfStatusLine(statusLine: string | undefined): string | null {
  const version = /^HTTP\/(\d)(?:\.(\d))?\s/i.exec(statusLine ?? '');
  if (!version) return null;
  const [, major, minor = '0'] = version;
  if (major === '1') return `http/1.${minor}`;
  if (major === '2' || major === '3') return `h${major}`;
  return null;
}

/** What the browser said about the extension's own requests, kept until a check asks. */
export interface ProtocolBook {
  /** The browser reported that the request to `url` was answered over `protocol` (an ALPN id). */
  record(url: string, protocol: string): void;
  /**
   * The protocol the request to `url` was answered over: at once when already reported, else as soon as it is (the
   * report trails the response: Chromium adds the Resource Timing entry once the body has ended or been cancelled), or
   * null after `waitMs`.
   */
  lookup(url: string, waitMs: number): Promise<string | null>;
}

export interface ProtocolBookOptions {
  /** Most URLs remembered (the oldest is forgotten first): a lookup comes right after its own request. */
  maxEntries: number;
  /** Waits `ms` (injected: the tests do not wait for real time). */
  wait: (ms: number) => Promise<void>;
}

export function createProtocolBook(options: ProtocolBookOptions): ProtocolBook {
  const known = new Map<string, string>();
  const waiters = new Map<string, Set<(protocol: string) => void>>();
  return {
    record(url, protocol) {
      // Re-inserted, so the newest report of a URL asked again is the one kept and the last forgotten.
      known.delete(url);
      known.set(url, protocol);
      while (known.size > options.maxEntries) {
        const oldest = known.keys().next().value;
        if (oldest === undefined) break;
        known.delete(oldest);
      }
      for (const wake of waiters.get(url) ?? []) wake(protocol);
      waiters.delete(url);
    },
    lookup(url, waitMs) {
      const protocol = known.get(url);
      if (protocol !== undefined) return Promise.resolve(protocol);
      return new Promise<string | null>((resolve) => {
        const list = waiters.get(url) ?? new Set();
        const wake = (found: string | null) => {
          list.delete(wake);
          if (list.size === 0 && waiters.get(url) === list) waiters.delete(url);
          resolve(found);
        };
        list.add(wake);
        waiters.set(url, list);
        void options.wait(waitMs).then(() => wake(null));
      });
    },
  };
}
