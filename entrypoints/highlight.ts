// Injected into the checked tab by the popup, or into a page opened from a site check's row, and only when the person
// asks for it (a row click, the highlight toggle, a source page's open control): an unlisted script, in no manifest
// entry, so no page runs it unasked. Not a WXT content script: WXT's content-script context announces each start on
// the page's window and document, which told a page that Linkpulse was looking and let it stop the script.
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { countMarks, flashLink, markLinks, PAGE_COLORS, showLink } from '@/utils/highlight/page-marks';
import { replacePageScript } from '@/utils/page-script';
import { isPageMessage, type PageMessage } from '@/utils/protocol';

function answer(message: PageMessage): number {
  switch (message.type) {
    case 'page-flash':
      return flashLink(message.url);
    case 'page-show':
      return showLink(message.url, message.verdict);
    case 'page-mark':
      return markLinks(message.marks, PAGE_COLORS);
    case 'page-count-marks':
      return countMarks();
  }
}

/** How often a single-page app's address is looked at: it can change with no event this world hears. */
const LOCATION_POLL_MS = 1_000;

export default defineUnlistedScript(() => {
  const listener = (message: unknown, sender: { id?: string }) => {
    // Only the extension's own pages talk to this script, and only in the shapes of the protocol.
    if (sender.id !== browser.runtime.id || !isPageMessage(message)) return undefined;
    return Promise.resolve(answer(message));
  };
  browser.runtime.onMessage.addListener(listener);
  // A single-page app moving to another URL shows other links: the marks of the old view go.
  let shown = location.href;
  const poll = setInterval(() => {
    if (location.href === shown) return;
    shown = location.href;
    markLinks(null, PAGE_COLORS);
  }, LOCATION_POLL_MS);
  replacePageScript('highlight', () => {
    browser.runtime.onMessage.removeListener(listener);
    clearInterval(poll);
  });
});
