// Injected into the checked tab by the popup, or into a page opened from a site check's row, and only when the person
// asks for it (a row click, the highlight toggle, a source page's open control): `registration: 'runtime'` keeps it
// out of the manifest, so no page runs it unasked.
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { countMarks, flashLink, markLinks, PAGE_COLORS, showLink } from '@/utils/highlight/page-marks';
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

export default defineContentScript({
  matches: ['<all_urls>'],
  registration: 'runtime',
  main(ctx) {
    const listener = (message: unknown, sender: { id?: string }) => {
      // Only the extension's own pages talk to this script, and only in the shapes of the protocol.
      if (sender.id !== browser.runtime.id || !isPageMessage(message)) return undefined;
      return Promise.resolve(answer(message));
    };
    browser.runtime.onMessage.addListener(listener);
    ctx.onInvalidated(() => browser.runtime.onMessage.removeListener(listener));
    // A single-page app moving to another URL shows other links: the marks of the old view go.
    ctx.addEventListener(window, 'wxt:locationchange', () => markLinks(null, PAGE_COLORS));
  },
});
