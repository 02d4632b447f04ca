// The bench's baseline: what any extension that checks a page's links must do, and nothing else. The page's a[href]
// through scripting.executeScript, then one HEAD per distinct URL, 6 at a time per host (Chromium's own cap for
// HTTP/1.1). No limiter, retries, guard, storage, badge or progress messages. The request itself is check.js's (the
// bench swaps it for linkpulse-requests.js in one variant).
import { check } from './check.js';

chrome.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener(async ({ tabId }) => {
    const [injection] = await chrome.scripting.executeScript({
      target: { tabId },
      func: () => Array.from(document.querySelectorAll('a[href]'), (a) => a.href),
    });
    const byHost = new Map();
    const seen = new Set();
    for (const href of injection.result) {
      const url = new URL(href);
      url.hash = '';
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || seen.has(url.href)) continue;
      seen.add(url.href);
      const queue = byHost.get(url.host) ?? [];
      queue.push(url.href);
      byHost.set(url.host, queue);
    }
    let checked = 0;
    await Promise.all(
      [...byHost.values()].flatMap((queue) =>
        Array.from({ length: 6 }, async () => {
          for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
            try {
              await check(url);
            } catch {
              // A failed link is as checked as a working one.
            }
            checked += 1;
          }
        }),
      ),
    );
    port.postMessage({ checked });
  });
});
