// A site check's row → the source page that holds the link, opened in a tab with the link shown: the tab loads, the
// highlight script (entrypoints/highlight.ts) finds the link there by its URL, scrolls to the first one and outlines each (page-marks.ts).
import { askPage, type PageChannel } from './ask-page';

/** What became of showing a link on its source page. */
export type SourceShown =
  /** On the page `count` times: the first scrolled into view, every one outlined. */
  | { state: 'shown'; count: number }
  /** The page loaded without the link (a script changed it, or it shows other things to a signed-in person). */
  | { state: 'not-found' }
  /** The tab went to another site (a redirect, or the person went on): nothing is drawn on that site. */
  | { state: 'elsewhere'; url: string }
  /** The tab was closed, did not finish loading in time, or holds a page no extension script may run in. */
  | { state: 'unreachable' };

export interface ShowInTabDeps extends PageChannel {
  openTab(url: string): Promise<number>;
  /** Resolves with the tab's address once it has loaded, or null when it closed or `timeoutMs` went by first. */
  loaded(tabId: number, timeoutMs: number): Promise<string | null>;
  /** The tab's address now; null when it is closed or holds a page whose address no extension may read. */
  address(tabId: number): Promise<string | null>;
  sleep(ms: number): Promise<void>;
}

/** A slow page is waited for this long; then the person has the tab, without the highlight. */
export const LOAD_TIMEOUT_MS = 30_000;
/** A link a script adds after the load may take a moment: asked again after these pauses (3.75 s in all). */
export const RETRY_DELAYS_MS = [250, 500, 1000, 2000];

/**
 * The tab's channel, kept to pages of `site`: a page can go on after its load (a script redirect, a meta refresh), so
 * the tab's address is read again right before each injection and each ask, and a tab on another site gets neither.
 * `leftFor` is where it went, once it has.
 */
function keptToSite(deps: ShowInTabDeps, tabId: number, site: string | undefined) {
  let leftFor: string | null = null;
  const stayOnSite = async () => {
    const now = await deps.address(tabId);
    if (now === null) throw new Error('The tab is closed, or its address cannot be read');
    if (URL.parse(now)?.origin !== site) {
      leftFor = now;
      throw new Error('The tab went to another site');
    }
  };
  const channel: PageChannel = {
    send: (id, message) => stayOnSite().then(() => deps.send(id, message)),
    inject: (id) => stayOnSite().then(() => deps.inject(id)),
  };
  return { channel, leftFor: () => leftFor };
}

/** Opens `pageUrl` in a new tab and shows the link `linkUrl` on it, outlined in its verdict's colour. */
export async function showLinkInTab(
  deps: ShowInTabDeps,
  pageUrl: string,
  linkUrl: string,
  verdict: string,
): Promise<SourceShown> {
  const tabId = await deps.openTab(pageUrl);
  const at = await deps.loaded(tabId, LOAD_TIMEOUT_MS);
  if (at === null) return { state: 'unreachable' };
  const site = URL.parse(pageUrl)?.origin;
  if (URL.parse(at)?.origin !== site) return { state: 'elsewhere', url: at };
  const onSite = keptToSite(deps, tabId, site);
  const message = { type: 'page-show', url: linkUrl, verdict } as const;
  for (let attempt = 0; ; attempt++) {
    const count = await askPage(onSite.channel, tabId, message, true);
    const leftFor = onSite.leftFor();
    if (leftFor !== null) return { state: 'elsewhere', url: leftFor };
    if (count === null) return { state: 'unreachable' };
    if (count > 0) return { state: 'shown', count };
    const pause = RETRY_DELAYS_MS[attempt];
    if (pause === undefined) return { state: 'not-found' };
    await deps.sleep(pause);
  }
}
