import { browser } from 'wxt/browser';
import { requestDeadlines } from '@/utils/check/deadlines';
import { createProtocolBook, protocolOfStatusLine } from '@/utils/check/protocols';

/** How long a check waits for the browser to say which protocol answered: the report trails the body's end. */
const REPORT_WAIT_MS = 2_000;
/** URLs remembered: each is asked for right after its own request, so a few hundred in flight is plenty. */
const MAX_URLS = 2_000;

/**
 * Which protocol answered each of the extension's own requests, as the browser reports it (verified on Chromium 156
 * and Firefox ESR 153, see README "HTTP/2 and HTTP/3"):
 * - Chromium: Resource Timing in the worker (`nextHopProtocol`: `h2`, `http/1.1`), one entry per fetch once its body has
 *   ended or been cancelled. Its webRequest `statusLine` says `HTTP/1.1 200` for an HTTP/2 answer: not usable.
 * - Firefox: Resource Timing gives `""` for the extension's cross-origin fetches, but webRequest's `statusLine` names
 *   the version (`HTTP/2.0 200 `).
 */
export function createProtocolObserver(): (requestUrl: string) => Promise<string | null> {
  const book = createProtocolBook({
    maxEntries: MAX_URLS,
    // Asked after nearly every https request, and the report usually trails it: the requests' one timer, not one each.
    wait: (ms) => new Promise((resolve) => requestDeadlines.after(ms, resolve)),
  });
  if (import.meta.env.FIREFOX) {
    const origin = new URL(browser.runtime.getURL('/')).origin;
    browser.webRequest.onResponseStarted.addListener(
      (d) => {
        // Only the extension's own requests: Firefox names their origin in `originUrl` (absent from Chromium's types).
        if (!(d as { originUrl?: string }).originUrl?.startsWith(origin)) return;
        const protocol = protocolOfStatusLine(d.statusLine);
        if (protocol) book.record(d.url, protocol);
      },
      { urls: ['<all_urls>'], tabId: -1 },
    );
  } else {
    // The observer sees every entry, also once the timeline's buffer (250 entries) is full; the buffer itself is
    // emptied then, so a long run does not keep it.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
        if (entry.nextHopProtocol) book.record(entry.name, entry.nextHopProtocol);
      }
    }).observe({ type: 'resource' });
    performance.addEventListener('resourcetimingbufferfull', () => performance.clearResourceTimings());
  }
  return (requestUrl) => book.lookup(requestUrl, REPORT_WAIT_MS);
}
