import { isRedirectStatus } from './redirects';
import type { NetObserver, RequestWatch } from './request';

/** What every `webRequest` event says of its request (the fields this reads). */
export interface NetEvent {
  requestId: string;
  url: string;
  tabId: number;
  /** Chromium: the origin that started the request. */
  initiator?: string;
  /** Firefox: the URL of what started the request. */
  originUrl?: string;
  /** The server's address, where the event has one. */
  ip?: string;
}

type Listen<Details> = (listener: (details: NetEvent & Details) => void) => void;

/** The `webRequest` events the observer hears (the extension's own requests), each as a way to add a listener. */
export interface NetEvents {
  onBeforeRedirect: Listen<{ statusCode: number; redirectUrl: string }>;
  onResponseStarted: Listen<object>;
  onErrorOccurred: Listen<{ error: string }>;
  /**
   * Firefox only: it reports a redirect that fetch does not follow (`redirect: 'manual'`) by its headers alone, and the
   * address of the server that sent it at the request's end. Chromium sends onBeforeRedirect for it, and every event
   * heard costs every request: absent there.
   */
  onHeadersReceived?: Listen<{ statusCode: number; responseHeaders?: { name: string; value?: string }[] }>;
  onCompleted?: Listen<object>;
}

interface Watch {
  url: string;
  requestId: string | null;
  /** The last redirect's status and target: with `redirect: 'manual'`, fetch itself does not say. */
  redirect: { status: number; target: string } | null;
  error: string | null;
  /** The server's address (`ip`), for the guard by address. */
  address: string | null;
  /** The response started: what it said of the address is all there is (none when it came from no server's socket). */
  responded: boolean;
  ended: boolean;
  /** Called on every change: each waiter checks what it waits for. */
  waiters: Set<() => void>;
}

/** Resolves once `ready()` holds (checked at each change of the watch), or after `ms`. */
function waitFor(watch: Watch, ready: () => boolean, ms: number): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      watch.waiters.delete(check);
      resolve();
    };
    const check = () => {
      if (ready()) done();
    };
    const timer = setTimeout(done, ms);
    watch.waiters.add(check);
  });
}

const notify = (watch: Watch) => {
  for (const waiter of [...watch.waiters]) waiter();
};

/** Request ids whose watch is gone, remembered so their late events are not taken for a newer request's. */
const RETIRED_IDS = 1_000;

/**
 * Fills in what `fetch` hides from an extension: where a redirect it stopped at points, the address of the server that
 * answered, and the browser's error name for a failed request (Chromium's net::ERR_*, Firefox's NS_ERROR_*). Only the
 * extension's own requests (tabId -1, initiated by this extension) are looked at.
 *
 * Every event the extension listens to costs the browser for every request it sends (measured with `npm run bench`:
 * the five events this listened to once took a third of Linkpulse's CPU time beyond a bare extension's). So only
 * the events that say something are heard: a response's start (its address), a redirect, an error. A request is paired
 * with its watch at the first of them, by URL; a request that never had one was never sent (see isBrowserThrottle).
 */
export function createNetObserver(events: NetEvents, origin: string): NetObserver {
  const byUrl = new Map<string, Watch[]>();
  const byRequest = new Map<string, Watch>();
  /** Ids of requests whose watch was disposed, oldest first (a Set keeps insertion order). */
  const retired = new Set<string>();
  // Chromium names the extension's origin in `initiator`; Firefox has no initiator and gives `originUrl` instead.
  const ours = (d: { tabId: number; initiator?: string; originUrl?: string }) =>
    d.tabId === -1 && (d.initiator === origin || d.originUrl?.startsWith(origin) === true);

  /** The watch of an event's request: the one it was paired with, or the oldest unpaired watch of its URL. */
  function watchOf(d: NetEvent) {
    const known = byRequest.get(d.requestId);
    if (known || retired.has(d.requestId) || !ours(d)) return known;
    const watch = byUrl.get(d.url)?.find((w) => w.requestId === null);
    if (watch) {
      watch.requestId = d.requestId;
      byRequest.set(d.requestId, watch);
    }
    return watch;
  }

  events.onBeforeRedirect((d) => {
    const watch = watchOf(d);
    if (!watch) return;
    watch.redirect = { status: d.statusCode, target: d.redirectUrl };
    if (d.ip) watch.address = d.ip;
    notify(watch);
  });
  events.onResponseStarted((d) => {
    const watch = watchOf(d);
    if (!watch) return;
    watch.responded = true;
    if (d.ip) watch.address = d.ip;
    notify(watch);
  });
  events.onHeadersReceived?.((d) => {
    const watch = watchOf(d);
    if (!watch || watch.redirect || !isRedirectStatus(d.statusCode)) return;
    const location = d.responseHeaders?.find((h) => h.name.toLowerCase() === 'location')?.value;
    const target = location === undefined ? null : URL.parse(location, d.url);
    if (!target) return;
    watch.redirect = { status: d.statusCode, target: target.href };
    notify(watch);
  });
  events.onCompleted?.((d) => {
    const watch = watchOf(d);
    if (!watch) return;
    if (d.ip) watch.address = d.ip;
    watch.ended = true;
    notify(watch);
  });
  events.onErrorOccurred((d) => {
    const watch = watchOf(d);
    if (!watch) return;
    watch.error = d.error;
    watch.ended = true;
    notify(watch);
  });

  return {
    watch(url): RequestWatch {
      const watch: Watch = {
        url,
        requestId: null,
        redirect: null,
        error: null,
        address: null,
        responded: false,
        ended: false,
        waiters: new Set(),
      };
      const list = byUrl.get(url) ?? [];
      list.push(watch);
      byUrl.set(url, list);
      return {
        seen: () => watch.requestId !== null,
        redirect: () => watch.redirect,
        netError: () => watch.error,
        settled: (ms) => waitFor(watch, () => watch.ended || watch.redirect !== null, ms),
        address: async (ms) => {
          await waitFor(watch, () => watch.address !== null || watch.responded || watch.ended, ms);
          return watch.address;
        },
        dispose() {
          const list = byUrl.get(url) ?? [];
          const at = list.indexOf(watch);
          if (at >= 0) list.splice(at, 1);
          if (list.length === 0) byUrl.delete(url);
          if (watch.requestId === null) return;
          byRequest.delete(watch.requestId);
          retired.add(watch.requestId);
          if (retired.size > RETIRED_IDS) retired.delete(retired.values().next().value as string);
        },
      };
    },
  };
}
