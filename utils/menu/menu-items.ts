import { isLocalPage } from '../rules/url-rules';

export const CHECK_LINK_ITEM = 'linkpulse-check-link';
export const CHECK_SELECTION_ITEM = 'linkpulse-check-selection';

export interface MenuItem {
  id: string;
  /** The key of its title in locales/<lang>.yml (the background words it in the browser's language). */
  titleKey: 'menu.checkLink' | 'menu.checkSelection';
  contexts: [context: 'link' | 'selection'];
}

/** The context menu's entries: one on any link, one on any selection. */
export const MENU_ITEMS: readonly MenuItem[] = [
  { id: CHECK_LINK_ITEM, titleKey: 'menu.checkLink', contexts: ['link'] },
  { id: CHECK_SELECTION_ITEM, titleKey: 'menu.checkSelection', contexts: ['selection'] },
];

/** What the browser tells of a click on a menu entry (the fields read here of `contextMenus.OnClickData`). */
export interface MenuClick {
  menuItemId: string | number;
  linkUrl?: string;
  pageUrl?: string;
  frameUrl?: string;
  frameId?: number;
}

/** What a click asks for: one link checked, or the links of the selection in one frame of a tab. */
export type MenuRequest =
  | { kind: 'link'; url: string; pageUrl: string }
  | { kind: 'selection'; tabId: number; frameId: number; pageUrl: string };

/** A browser hands a link's address as it resolved it; more than this is no address a person clicked. */
const MAX_URL_LENGTH = 1_000_000;

/**
 * The page whose private-network guard applies to a link: the document the link is on (a frame's, when it is in one),
 * except that a public top page keeps its guard over a local frame it embeds — the public page chose that frame.
 * Unknown counts as public, as for a page check.
 */
export function guardPageOf(pageUrl?: string, frameUrl?: string): string {
  // An about:blank or about:srcdoc frame (a rich-text editor's, say) has no address of its own: the page that wrote it
  // holds it, origin and all, so its links are that page's. Judged from `about:` they would count as a public page's.
  const frame = frameUrl?.startsWith('about:') ? undefined : frameUrl;
  const known = [frame, pageUrl].filter((url): url is string => typeof url === 'string' && url !== '');
  const isPublic = (url: string) => {
    const parsed = URL.parse(url);
    return parsed === null || !isLocalPage(parsed);
  };
  return known.find(isPublic) ?? known[0] ?? 'about:blank';
}

/**
 * Reads a click on one of Linkpulse's entries: the request, or why there is none in words a person understands, or
 * null when the entry is not ours.
 */
export function readMenuClick(info: MenuClick, tabId: number | undefined): MenuRequest | string | null {
  const pageUrl = guardPageOf(info.pageUrl, info.frameUrl);
  if (info.menuItemId === CHECK_LINK_ITEM) {
    const url = info.linkUrl;
    if (typeof url !== 'string' || url === '') return 'The browser did not say which link was clicked.';
    if (url.length > MAX_URL_LENGTH) return 'This link is too long to be an address.';
    return { kind: 'link', url, pageUrl };
  }
  if (info.menuItemId === CHECK_SELECTION_ITEM) {
    if (tabId === undefined || tabId < 0) return 'Linkpulse can read a selection in a tab only.';
    return { kind: 'selection', tabId, frameId: info.frameId ?? 0, pageUrl };
  }
  return null;
}
