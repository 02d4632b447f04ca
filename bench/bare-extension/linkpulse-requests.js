// One link's request as Linkpulse must send it, and nothing of Linkpulse's own machinery: GET (a server's HEAD may
// lie) and its body read to its end when small, redirects stopped at to be followed hop by hop (the private-network
// guard), a timeout that aborts it, and the webRequest events Linkpulse hears for each request (a response's server
// address for the guard, a redirect, an error), with a listener that only keeps what it heard. The bench's variant
// "bare, Linkpulse's requests" uses this in place of check.js, with the webRequest permission.
const FILTER = { urls: ['<all_urls>'], tabId: -1 };
const heard = new Map();
const hear = (details) => {
  heard.set(details.requestId, details);
  if (heard.size > 1000) heard.delete(heard.keys().next().value);
};
chrome.webRequest.onResponseStarted.addListener(hear, FILTER);
chrome.webRequest.onBeforeRedirect.addListener(hear, FILTER);
chrome.webRequest.onErrorOccurred.addListener(hear, FILTER);

export async function check(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    const response = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      cache: 'no-store',
      credentials: 'omit',
      signal: controller.signal,
    });
    // As Linkpulse does: a body of up to 128 kB is read to its end (an HTTP/1.1 connection cut mid-body closes),
    // a longer one cancelled.
    const stated = response.headers.get('content-length');
    if (stated !== null && Number(stated) > 128 * 1024) await response.body?.cancel();
    else await response.arrayBuffer();
  } finally {
    clearTimeout(timer);
  }
}
