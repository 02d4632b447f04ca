// The browser's side of showing a link on its source page (utils/highlight/show-in-tab.ts): a new tab, its load, the
// highlight script.
import { browser } from 'wxt/browser';
import { HIGHLIGHT_SCRIPT } from '@/utils/highlight/ask-page';
import { type ShowInTabDeps, type SourceShown, showLinkInTab } from '@/utils/highlight/show-in-tab';

/** The tab's address once it has loaded; null when it is closed first or `timeoutMs` goes by. */
function tabLoaded(tabId: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const finish = (url: string | null) => {
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.tabs.onRemoved.removeListener(onRemoved);
      resolve(url);
    };
    const onUpdated = (id: number, change: { status?: string }, tab: { url?: string }) => {
      if (id === tabId && change.status === 'complete') finish(tab.url ?? null);
    };
    const onRemoved = (id: number) => {
      if (id === tabId) finish(null);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.tabs.onRemoved.addListener(onRemoved);
    // It may have loaded before the listeners were there (a new tab is `about:blank` until its page starts).
    browser.tabs.get(tabId).then(
      (tab) => {
        if (tab.status === 'complete' && tab.url && tab.url !== 'about:blank') finish(tab.url);
      },
      () => finish(null),
    );
  });
}

const deps: ShowInTabDeps = {
  async openTab(url) {
    const tab = await browser.tabs.create({ url });
    if (tab.id === undefined) throw new Error('The browser opened a tab without an id');
    return tab.id;
  },
  loaded: tabLoaded,
  address: (tabId) =>
    browser.tabs.get(tabId).then(
      (tab) => tab.url ?? null,
      () => null,
    ),
  send: (tabId, message) => browser.tabs.sendMessage(tabId, message, { frameId: 0 }),
  inject: (tabId) => browser.scripting.executeScript({ target: { tabId }, files: [HIGHLIGHT_SCRIPT] }),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Opens a page of the site (only http and https) in a new tab and shows the link there. */
export async function showSource(pageUrl: string, linkUrl: string, verdict: string): Promise<SourceShown> {
  if (!/^https?:\/\//i.test(pageUrl)) return { state: 'unreachable' };
  return showLinkInTab(deps, pageUrl, linkUrl, verdict).catch((): SourceShown => ({ state: 'unreachable' }));
}
