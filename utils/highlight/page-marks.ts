// What the highlight content script (entrypoints/highlight.content.ts) does in the checked page. It runs in the
// extension's isolated world — the page's scripts cannot see or change it — and draws on an overlay whose contents
// the page cannot read (overlay.ts): nothing on the page's own links tells which verdict they have.
import { VERDICT_PALETTE } from '../verdict-palette';
import { drawFlash, drawMarks, markCount } from './overlay';

/** Verdict colours on the page: the extension's light palette, its darker tones readable on light and dark pages. */
export const PAGE_COLORS: Record<string, string> = VERDICT_PALETTE.light;

/** Every link of the page (`a[href]`, `area[href]`), open shadow roots included, in document order per root. */
function linksOnPage(): HTMLAnchorElement[] {
  const links: HTMLAnchorElement[] = [];
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i] as Document | ShadowRoot;
    // One by one: a spread of a hostile page's million links would overflow the call's arguments.
    for (const el of root.querySelectorAll<HTMLAnchorElement>('a[href], area[href]')) links.push(el);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const shadow = (node as Element).shadowRoot;
      if (shadow) roots.push(shadow);
    }
  }
  return links;
}

/**
 * Scrolls the first link with this URL into view and flashes it; returns how many links on the page have the URL.
 */
export function flashLink(url: string): number {
  const matches = linksOnPage().filter((el) => el.href === url);
  const [first] = matches;
  if (!first) return 0;
  first.scrollIntoView({ block: 'center', behavior: 'instant' });
  drawFlash(matches, PAGE_COLORS, 1500);
  return matches.length;
}

/**
 * Outlines every link whose URL has a verdict in `marks` with its verdict colour, on the overlay (see overlay.ts);
 * `null` removes every mark. Returns the number of links marked.
 */
export function markLinks(marks: [url: string, verdict: string][] | null, colors: Record<string, string>): number {
  if (!marks) return drawMarks([], colors);
  const verdictOf = new Map(marks);
  const marked: [Element, string][] = [];
  for (const el of linksOnPage()) {
    const verdict = verdictOf.get(el.href);
    if (verdict && colors[verdict]) marked.push([el, verdict]);
  }
  return drawMarks(marked, colors);
}

/** How many links the extension has marked on this page (0 when highlights are off). */
export function countMarks(): number {
  return markCount();
}
