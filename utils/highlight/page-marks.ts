// What the highlight script (entrypoints/highlight.ts) does in the checked page. It runs in the
// extension's isolated world — the page's scripts cannot see or change it — and draws on an overlay whose contents
// the page cannot read (overlay.ts): nothing on the page's own links tells which verdict they have.
import { VERDICT_PALETTE } from '../verdict-palette';
import { drawFlash, drawMarks, markCount } from './overlay';

/** Verdict colours on the page: the extension's light palette, its darker tones readable on light and dark pages. */
export const PAGE_COLORS: Record<string, string> = VERDICT_PALETTE.light;

const XLINK = 'http://www.w3.org/1999/xlink';

/**
 * A link's URL as collection reads it (utils/collect/collect-links.ts): `HTMLAnchorElement.href`, resolved against
 * the document's base, fragment kept; an SVG link's `href` (or older `xlink:href`) resolved the same way.
 */
function hrefOf(el: Element): string {
  const href = (el as HTMLAnchorElement).href;
  if (typeof href === 'string') return href;
  const raw = (el.getAttribute('href') ?? el.getAttributeNS(XLINK, 'href') ?? '').trim();
  return URL.parse(raw, el.ownerDocument.baseURI)?.href ?? raw;
}

/** Every link of the page (`a[href]`, `area[href]`, SVG links), open shadow roots included, in order per root. */
function linksOnPage(): Element[] {
  const links: Element[] = [];
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i] as Document | ShadowRoot;
    // One by one: a spread of a hostile page's million links would overflow the call's arguments.
    for (const el of root.querySelectorAll('a[href], area[href]')) links.push(el);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node as Element;
      if (el.localName === 'a' && !el.hasAttribute('href') && el.hasAttributeNS(XLINK, 'href')) links.push(el);
      if (el.shadowRoot) roots.push(el.shadowRoot);
    }
  }
  return links;
}

/**
 * Scrolls the first link with this URL into view and flashes it; returns how many links on the page have the URL.
 */
export function flashLink(url: string): number {
  const matches = linksOnPage().filter((el) => hrefOf(el) === url);
  const [first] = matches;
  if (!first) return 0;
  first.scrollIntoView({ block: 'center', behavior: 'instant' });
  drawFlash(matches, PAGE_COLORS, 1500);
  return matches.length;
}

/**
 * Shows where a link is on a page opened from a site check's row: scrolls the first link with this URL into view,
 * outlines every one of them in the verdict's colour until the page changes, and flashes them; returns how many there
 * are (0: the page as the browser shows it lacks the link).
 */
export function showLink(url: string, verdict: string): number {
  const matches = linksOnPage().filter((el) => hrefOf(el) === url);
  const [first] = matches;
  if (!first) return 0;
  first.scrollIntoView({ block: 'center', behavior: 'instant' });
  const marks = matches.map((el): [Element, string] => [el, verdict]);
  if (PAGE_COLORS[verdict]) drawMarks(marks, PAGE_COLORS);
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
    const verdict = verdictOf.get(hrefOf(el));
    if (verdict && colors[verdict]) marked.push([el, verdict]);
  }
  return drawMarks(marked, colors);
}

/** How many links the extension has marked on this page (0 when highlights are off). */
export function countMarks(): number {
  return markCount();
}
