// What the highlight content script (entrypoints/highlight.content.ts) does in the checked page. It runs in the
// extension's isolated world — the page's scripts cannot see or change it — and styles links with inline, !important
// outlines, which reach links inside shadow roots and leave no stylesheet behind.

import { VERDICT_PALETTE } from '../verdict-palette';

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
  for (const el of matches) {
    const style = el.getAttribute('style');
    el.setAttribute('data-linkpulse-flash', '');
    el.style.setProperty('box-shadow', '0 0 0 4px #ffb300, 0 0 12px 4px #ffb300', 'important');
    setTimeout(() => {
      el.removeAttribute('data-linkpulse-flash');
      if (!style) el.removeAttribute('style');
      else el.setAttribute('style', style);
    }, 1500);
  }
  return matches.length;
}

/**
 * Outlines every link whose URL has a verdict in `marks` with its verdict colour; `null` removes every mark and
 * restores the links' own styles. Returns the number of links marked.
 */
export function markLinks(marks: [url: string, verdict: string][] | null, colors: Record<string, string>): number {
  /** The link's own style attribute, put back exactly as it was. */
  type Saved = string | null;
  const store = globalThis as unknown as { __linkpulseMarked?: Map<HTMLElement, Saved> };
  const marked = store.__linkpulseMarked ?? new Map<HTMLElement, Saved>();
  store.__linkpulseMarked = marked;
  for (const [el, saved] of marked) {
    el.removeAttribute('data-linkpulse-verdict');
    // An empty style attribute is no style: leave none behind.
    if (!saved) el.removeAttribute('style');
    else el.setAttribute('style', saved);
  }
  marked.clear();
  if (!marks) return 0;
  const verdictOf = new Map(marks);
  for (const el of linksOnPage()) {
    const verdict = verdictOf.get(el.href);
    const color = verdict ? colors[verdict] : undefined;
    if (!verdict || !color) continue;
    if (!marked.has(el)) marked.set(el, el.getAttribute('style'));
    el.setAttribute('data-linkpulse-verdict', verdict);
    el.style.setProperty('outline', `2px solid ${color}`, 'important');
    el.style.setProperty('outline-offset', '1px');
  }
  return marked.size;
}

/** How many links the extension has marked on this page (0 when highlights are off). */
export function countMarks(): number {
  return (globalThis as unknown as { __linkpulseMarked?: Map<unknown, unknown> }).__linkpulseMarked?.size ?? 0;
}
