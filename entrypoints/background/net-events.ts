import { type Browser, browser } from 'wxt/browser';
import type { NetEvents } from '@/utils/check/net-observer';

/** The extension's own requests only: the service worker's have no tab. */
const FILTER: Browser.webRequest.RequestFilter = { urls: ['<all_urls>'], tabId: -1 };

/** The webRequest events the network observer hears (utils/check/net-observer.ts), in this browser. */
export function webRequestEvents(): NetEvents {
  const { webRequest } = browser;
  return {
    onBeforeRedirect: (listener) => webRequest.onBeforeRedirect.addListener(listener, FILTER),
    onResponseStarted: (listener) => webRequest.onResponseStarted.addListener(listener, FILTER),
    onErrorOccurred: (listener) => webRequest.onErrorOccurred.addListener(listener, FILTER),
    ...(import.meta.env.FIREFOX
      ? {
          // Never blocking: the listener only reads.
          onHeadersReceived: (listener) =>
            webRequest.onHeadersReceived.addListener(
              (details) => {
                listener(details);
                return undefined;
              },
              FILTER,
              ['responseHeaders'],
            ),
          onCompleted: (listener) => webRequest.onCompleted.addListener(listener, FILTER),
        }
      : {}),
  };
}
