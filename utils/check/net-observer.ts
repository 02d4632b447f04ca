import { type Browser, browser } from 'wxt/browser';
import { isRedirectStatus } from '@/utils/check/redirects';
import type { NetObserver, RequestWatch } from '@/utils/check/request';

interface Watch {
  url: string;
  requestId: string | null;
  /** The last redirect's status and target: with `redirect: 'manual'`, fetch itself does not say. */
  redirect: { status: number; target: string } | null;
  error: string | null;
  /** The server's address (`ip`), for the guard by address. */
  address: string | null;
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

/**
 * Fills in what `fetch` hides from an extension: where a redirect it stopped at points, and the browser's error name
 * for a failed request (Chromium's net::ERR_*, Firefox's NS_ERROR_*). Only the extension's own requests (tabId -1,
 * initiated by this extension) are looked at.
 */
export function createNetObserver(): NetObserver {
  const origin = new URL(browser.runtime.getURL('/')).origin;
  const byUrl = new Map<string, Watch[]>();
  const byRequest = new Map<string, Watch>();
  const filter: Browser.webRequest.RequestFilter = { urls: ['<all_urls>'], tabId: -1 };
  // Chromium names the extension's origin in `initiator`; Firefox has no initiator and gives `originUrl` instead.
  const ours = (d: { tabId: number; initiator?: string; originUrl?: string }) =>
    d.tabId === -1 && (d.initiator === origin || d.originUrl?.startsWith(origin) === true);

  function noteAddress(watch: Watch, ip: string | undefined) {
    if (!ip) return;
    watch.address = ip;
    notify(watch);
  }

  function end(requestId: string) {
    const watch = byRequest.get(requestId);
    if (!watch) return;
    watch.ended = true;
    notify(watch);
    byRequest.delete(requestId);
  }

  browser.webRequest.onBeforeRequest.addListener((d) => {
    if (!ours(d) || byRequest.has(d.requestId)) return;
    const watch = byUrl.get(d.url)?.find((w) => w.requestId === null);
    if (watch) {
      watch.requestId = d.requestId;
      byRequest.set(d.requestId, watch);
    }
  }, filter);
  browser.webRequest.onBeforeRedirect.addListener((d) => {
    const watch = byRequest.get(d.requestId);
    if (!watch) return;
    watch.redirect = { status: d.statusCode, target: d.redirectUrl };
    noteAddress(watch, d.ip);
  }, filter);
  browser.webRequest.onResponseStarted.addListener((d) => {
    const watch = byRequest.get(d.requestId);
    if (watch) noteAddress(watch, d.ip);
  }, filter);
  // Firefox reports a redirect that fetch does not follow (`redirect: 'manual'`) only by its headers. Chromium sends
  // onBeforeRedirect for it, and a listener that copies every response's headers is not free: Firefox only.
  if (import.meta.env.FIREFOX)
    browser.webRequest.onHeadersReceived.addListener(
      (d) => {
        const watch = byRequest.get(d.requestId);
        if (!watch || watch.redirect || !isRedirectStatus(d.statusCode)) return;
        const location = d.responseHeaders?.find((h) => h.name.toLowerCase() === 'location')?.value;
        const target = location === undefined ? null : URL.parse(location, d.url);
        if (target) watch.redirect = { status: d.statusCode, target: target.href };
      },
      filter,
      ['responseHeaders'],
    );
  browser.webRequest.onCompleted.addListener((d) => {
    const watch = byRequest.get(d.requestId);
    if (watch) noteAddress(watch, d.ip);
    end(d.requestId);
  }, filter);
  browser.webRequest.onErrorOccurred.addListener((d) => {
    const watch = byRequest.get(d.requestId);
    if (watch) watch.error = d.error;
    end(d.requestId);
  }, filter);

  return {
    watch(url): RequestWatch {
      const watch: Watch = {
        url,
        requestId: null,
        redirect: null,
        error: null,
        address: null,
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
        settled: (ms) => waitFor(watch, () => watch.ended, ms),
        address: async (ms) => {
          await waitFor(watch, () => watch.address !== null || watch.ended, ms);
          return watch.address;
        },
        dispose() {
          const remaining = (byUrl.get(url) ?? []).filter((w) => w !== watch);
          if (remaining.length > 0) byUrl.set(url, remaining);
          else byUrl.delete(url);
          if (watch.requestId) byRequest.delete(watch.requestId);
        },
      };
    },
  };
}
