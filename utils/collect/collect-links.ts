import type { CollectKinds } from '../settings';
import type { FoundLink, PageInfo } from '../types';

export interface Collection {
  page: PageInfo;
  links: FoundLink[];
  /** Links beyond the cap were left out (a hostile page with millions of links). */
  truncated: boolean;
  /** How long the collection took in the page, ms. */
  ms: number;
}

/**
 * Collects the page's links: `a[href]` and `area[href]` (open shadow roots included) plus the opted-in resource kinds,
 * resolved as the browser resolves them and de-duplicated with an occurrence count.
 *
 * It runs inside the page through `scripting.executeScript({ func })`, which sends only this function's source:
 * everything it uses must be defined inside it.
 */
export function collectLinks(kinds: CollectKinds, maxLinks: number): Collection {
  const started = performance.now();
  const MAX_TEXTS = 3;
  const MAX_TEXT_LENGTH = 120;
  // The title rides in the run's metadata, sent with every update and kept in storage.session (10 MB for everything).
  const MAX_TITLE_LENGTH = 1000;
  const selectors = ['a[href]', 'area[href]'];
  if (kinds.images) selectors.push('img[src]', 'source[srcset]', 'img[srcset]');
  if (kinds.scripts) selectors.push('script[src]');
  if (kinds.stylesheets) selectors.push('link[rel~="stylesheet" i][href]');
  if (kinds.media) selectors.push('video[src]', 'audio[src]', 'source[src]', 'track[src]');
  if (kinds.iframes) selectors.push('iframe[src]', 'frame[src]');
  const selector = selectors.join(',');
  const found = new Map<string, FoundLink>();
  const order: string[] = [];
  let truncated = false;
  const pageNoFragment = location.href.split('#')[0];

  function resolve(raw: string): string {
    try {
      return new URL(raw, document.baseURI).href;
    } catch {
      return raw;
    }
  }

  function urlsOf(el: Element): string[] {
    const tag = el.localName;
    if (tag === 'a' || tag === 'area') {
      const href = (el as HTMLAnchorElement).href;
      // SVG <a> has an SVGAnimatedString, not a string, for href.
      return [typeof href === 'string' ? href : resolve(el.getAttribute('href') ?? '')];
    }
    if (tag === 'link') return [(el as HTMLLinkElement).href];
    const urls: string[] = [];
    const src = el.getAttribute('src');
    if (src !== null && src.trim() !== '') urls.push(resolve(src.trim()));
    const srcset = el.getAttribute('srcset');
    if (srcset) {
      for (const candidate of srcset.split(',')) {
        const part = candidate.trim().split(/\s+/)[0];
        if (part) urls.push(resolve(part));
      }
    }
    return urls;
  }

  function shorten(text: string, maxLength: number): string {
    return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  }

  function textOf(el: Element): string {
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    const label = text || el.getAttribute('aria-label') || el.getAttribute('title') || el.getAttribute('alt') || '';
    return shorten(label, MAX_TEXT_LENGTH);
  }

  function fragmentTarget(root: Document, url: string): 'found' | 'missing' | undefined {
    const hash = url.indexOf('#');
    if (hash < 0 || url.slice(0, hash) !== pageNoFragment) return undefined;
    // As the HTML standard finds a fragment's target: the element part before a text directive (`:~:`), as written,
    // then percent-decoded; an id, or the name of an `a` (a `<meta name>` is no target).
    let raw = url.slice(hash + 1);
    const directive = raw.indexOf(':~:');
    if (directive >= 0) raw = raw.slice(0, directive);
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      /* keep it as written */
    }
    if (raw === '' || decoded.toLowerCase() === 'top') return 'found';
    const exists = (id: string) =>
      root.getElementById(id) !== null || Array.from(root.getElementsByName(id)).some((el) => el.localName === 'a');
    return exists(raw) || exists(decoded) ? 'found' : 'missing';
  }

  function add(el: Element): void {
    // Never cut: a cut URL is another URL. What a page's links may weigh in all is the collection's budget.
    for (const url of urlsOf(el)) {
      let link = found.get(url);
      if (!link) {
        if (order.length >= maxLinks) {
          truncated = true;
          continue;
        }
        link = { url, occurrences: 0, texts: [] };
        const fragment = fragmentTarget(document, url);
        if (fragment) link.samePageFragment = fragment;
        found.set(url, link);
        order.push(url);
      }
      link.occurrences += 1;
      if (link.texts.length < MAX_TEXTS) {
        const text = textOf(el);
        if (text && !link.texts.includes(text)) link.texts.push(text);
      }
    }
  }

  // Walk the document and every open shadow root; a TreeWalker finds the shadow hosts without a selector per root.
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i] as Document | ShadowRoot;
    for (const el of root.querySelectorAll(selector)) add(el);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const shadow = (node as Element).shadowRoot;
      if (shadow) roots.push(shadow);
    }
  }
  return {
    page: { url: location.href, title: shorten(document.title.replace(/\s+/g, ' ').trim(), MAX_TITLE_LENGTH) },
    links: order.map((url) => found.get(url) as FoundLink),
    truncated,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
}
