import type { CollectKinds } from '../settings';
import type { FoundLink, PageInfo } from '../types';
import type { HeldStore, Holder } from './held-collections';

export interface Collection {
  page: PageInfo;
  links: FoundLink[];
  /** Links beyond the cap were left out (a hostile page with millions of links). */
  truncated: boolean;
  /** How long the collection took in the page, ms. */
  ms: number;
  /**
   * Links collected but not in this answer: a browser message must stay well below its size limit, so the rest is
   * fetched in slices with `moreCollectedLinks`.
   */
  remaining?: number;
  /** The key under which the `remaining` links wait in the page, for `moreCollectedLinks` (absent: none wait). */
  held?: string;
  /** Frames from other sites, whose documents the browser keeps from us: counted, not read (absent: none known). */
  crossOriginFrames?: number;
  /** The document's MIME type (`document.contentType`): `application/pdf` is the browser's PDF viewer, whose links no script reads. */
  contentType?: string;
}

/** Where the watcher (utils/collect/watch-page.ts) hears of later changes: every document and open shadow root read. */
export interface CollectHooks {
  onRoot?(root: Document | ShadowRoot): void;
  onFrame?(frame: HTMLIFrameElement | HTMLFrameElement): void;
  /** An SVG `a`: a change of its `xlink:href` is one a MutationObserver's attribute filter cannot name. */
  onSvgLink?(link: Element): void;
}

/** What a page's links may weigh in all (characters of URLs and texts): a hostile page must not exhaust memory. */
export const COLLECT_MAX_CHARS = 100_000_000;
/** Characters of links per answer from the page: well below the browser's 64 MB message limit. */
export const COLLECT_SLICE_CHARS = 4_000_000;
/** The collector stops walking the page after this long and keeps what it found. */
export const COLLECT_MAX_MS = 15_000;

/**
 * Collects the page's links: `a[href]` and `area[href]` (open shadow roots included) plus the opted-in resource kinds,
 * resolved as the browser resolves them and de-duplicated with an occurrence count. With `onlySelection`, only the links
 * the user's selection in this document touches (the context menu's "Check links in selection"); frames are not read.
 * With a `holder`, the answer carries the first `sliceChars` characters of links and the rest wait in the page for
 * `moreCollectedLinks`; without, every link is in the answer and nothing held in the page is touched.
 *
 * It runs inside the page through `scripting.executeScript({ func })`, which sends only this function's source:
 * everything it uses must be defined inside it.
 */
export function collectLinks(
  kinds: CollectKinds,
  maxLinks: number,
  maxChars = 100_000_000,
  sliceChars = 4_000_000,
  maxMs = 15_000,
  hooks: CollectHooks = {},
  onlySelection = false,
  holder?: Holder,
): Collection {
  const started = performance.now();
  let chars = 0;
  let walked = 0;
  const MAX_TEXTS = 3;
  const MAX_TEXT_LENGTH = 120;
  // The title rides in the run's metadata, sent with every update and kept in storage.session (10 MB for everything).
  const MAX_TITLE_LENGTH = 1000;
  /** A link found in more frames than this names the first ones only. */
  const MAX_FRAMES = 3;
  /** A frame's address as its rows name it: a page's own links are never cut, a frame's name in a detail may be. */
  const MAX_FRAME_NAME = 2000;
  /**
   * Chromium's own limit on a URL (2 MiB), LIVE_REPORT_LIMITS.urlLength, which the live reports hold to: a page's `href`
   * can be longer, and such a link is left out (a cut URL is another URL), in the first collection as in later scans.
   */
  const MAX_URL_LENGTH = 2 * 1024 * 1024;
  const XLINK = 'http://www.w3.org/1999/xlink';
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
  let crossOriginFrames = 0;
  const topOrigin = window.origin;
  // Every range of the selection (Firefox keeps several when a person Ctrl-selects), read once.
  const selection = onlySelection ? document.getSelection() : null;
  const ranges: Range[] = [];
  if (selection && !selection.isCollapsed) {
    for (let i = 0; i < selection.rangeCount; i++) ranges.push(selection.getRangeAt(i));
  }

  /** A node wholly inside a range: both of its edges are. */
  function wholly(range: Range, node: Node): boolean {
    const parent = node.parentNode;
    if (!parent) return false;
    const index = Array.prototype.indexOf.call(parent.childNodes, node);
    return range.comparePoint(parent, index) === 0 && range.comparePoint(parent, index + 1) === 0;
  }

  /**
   * Whether the selection touches an element: any part of it selected counts, as a person selecting across a link means
   * it. An element in a shadow root counts when its host (as the document sees it) is selected whole, an image map's
   * area when an image that uses its map is selected.
   */
  function selected(el: Element): boolean {
    const touched = (node: Node) => ranges.some((range) => range.intersectsNode(node));
    if (touched(el)) return true;
    for (let root = el.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) {
      const host = root.host;
      if (ranges.some((range) => wholly(range, host))) return true;
    }
    const map = el.localName === 'area' ? el.closest('map') : null;
    const name = map?.getAttribute('name') || map?.id;
    if (name) {
      for (const img of el.ownerDocument.querySelectorAll('img[usemap]')) {
        if (img.getAttribute('usemap') === `#${name}` && touched(img)) return true;
      }
    }
    return false;
  }

  function resolve(raw: string, base: string): string {
    try {
      return new URL(raw, base).href;
    } catch {
      return raw;
    }
  }

  /** The URLs of an element other than an HTML `a` or `area` (whose resolved `href` add takes as it is). */
  function urlsOf(el: Element): string[] {
    const tag = el.localName;
    if (tag === 'link') return [(el as HTMLLinkElement).href];
    const base = el.ownerDocument.baseURI;
    if (tag === 'a' || tag === 'area') {
      // SVG <a> has an SVGAnimatedString for href: read `href`, or else `xlink:href`, as SVG 2 does.
      const raw = el.getAttribute('href') ?? el.getAttributeNS(XLINK, 'href') ?? '';
      return [resolve(raw.trim(), base)];
    }
    const urls: string[] = [];
    const src = el.getAttribute('src');
    if (src !== null && src.trim() !== '') urls.push(resolve(src.trim(), base));
    const srcset = el.getAttribute('srcset');
    if (srcset) for (const url of srcsetUrls(srcset)) urls.push(resolve(url, base));
    return urls;
  }

  /**
   * A `srcset`'s candidate URLs as the HTML standard parses them: a URL is a run of non-whitespace, so commas inside it
   * are its own (Cloudinary's `w_300,h_200`, a `data:` URL); commas at its end end it; its descriptors run to the next
   * comma outside parentheses. Splitting at every comma made bogus relative links of those, reported broken.
   */
  function srcsetUrls(srcset: string): string[] {
    const urls: string[] = [];
    const space = (i: number) => ' \t\n\f\r'.includes(srcset.charAt(i));
    let i = 0;
    while (i < srcset.length) {
      while (i < srcset.length && (space(i) || srcset.charAt(i) === ',')) i++;
      if (i >= srcset.length) break;
      const start = i;
      while (i < srcset.length && !space(i)) i++;
      let url = srcset.slice(start, i);
      if (url.endsWith(',')) url = url.replace(/,+$/, '');
      else {
        // The descriptors (`2x`, `300w`, and whatever a later standard adds, which may hold commas in parentheses).
        let parens = false;
        for (; i < srcset.length; i++) {
          const c = srcset.charAt(i);
          if (parens) parens = c !== ')';
          else if (c === '(') parens = true;
          else if (c === ',') {
            i++;
            break;
          }
        }
      }
      urls.push(url);
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

  /** A fragment into the link's own document is judged on that live document. */
  function fragmentTarget(root: Document, url: string): 'found' | 'missing' | undefined {
    const hash = url.indexOf('#');
    if (hash < 0 || url.slice(0, hash) !== root.URL.split('#')[0]) return undefined;
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

  function add(el: Element, frame: string | null): void {
    // Most of a page's links: an HTML `a` or `area`, whose `href` the browser resolved (read without an array each).
    const href = (el as HTMLAnchorElement).href;
    if (typeof href === 'string' && (el.localName === 'a' || el.localName === 'area')) addUrl(el, frame, href);
    else for (const url of urlsOf(el)) addUrl(el, frame, url);
  }

  function addUrl(el: Element, frame: string | null, url: string): void {
    // Never cut: a cut URL is another URL. What a page's links may weigh in all is the collection's budget.
    if (url.length > MAX_URL_LENGTH) return;
    let link = found.get(url);
    if (!link) {
      if (order.length >= maxLinks || chars + url.length > maxChars) {
        truncated = true;
        return;
      }
      chars += url.length;
      link = { url, occurrences: 0, texts: [] };
      const fragment = fragmentTarget(el.ownerDocument, url);
      if (fragment) link.samePageFragment = fragment;
      found.set(url, link);
      order.push(url);
    }
    link.occurrences += 1;
    if (frame !== null) {
      link.frames ??= [];
      if (link.frames.length < MAX_FRAMES && !link.frames.includes(frame)) link.frames.push(frame);
    }
    if (link.texts.length < MAX_TEXTS) {
      const text = textOf(el);
      if (text && !link.texts.includes(text)) {
        link.texts.push(text);
        chars += text.length;
      }
    }
  }

  /** A frame's document when it is of the top page's origin; null (and counted) when the browser keeps it from us. */
  function sameOriginDocument(frame: HTMLIFrameElement | HTMLFrameElement): Document | null {
    try {
      const doc = frame.contentDocument;
      // Firefox may show a content script another origin's document: the origin decides, not the access.
      if (doc && doc.defaultView?.origin === topOrigin) return doc;
    } catch {
      /* another origin */
    }
    crossOriginFrames += 1;
    return null;
  }

  // Walk each document and every open shadow root; a TreeWalker finds the shadow hosts and frames without a selector
  // per root. Same-origin frames join the walk with their URL, which their rows name.
  const roots: { root: Document | ShadowRoot; frame: string | null }[] = [{ root: document, frame: null }];
  walk: for (let i = 0; i < roots.length; i++) {
    const { root, frame } = roots[i] as (typeof roots)[number];
    hooks.onRoot?.(root);
    for (const el of root.querySelectorAll(selector)) {
      // A page with millions of elements is cut short in time too, keeping what was found.
      if (++walked % 1000 === 0 && performance.now() - started > maxMs) {
        truncated = true;
        break walk;
      }
      if (!onlySelection || selected(el)) add(el, frame);
    }
    const doc = root.nodeType === Node.DOCUMENT_NODE ? (root as Document) : (root.ownerDocument as Document);
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node as Element;
      const tag = el.localName;
      // SVG's older `xlink:href` (a selector for namespaced attributes is not understood everywhere).
      if (tag === 'a' && !el.hasAttribute('href') && el.hasAttributeNS(XLINK, 'href')) {
        if (!onlySelection || selected(el)) add(el, frame);
      }
      if (tag === 'a' && el.namespaceURI === 'http://www.w3.org/2000/svg') hooks.onSvgLink?.(el);
      const shadow = el.shadowRoot;
      if (shadow) roots.push({ root: shadow, frame });
      // A selection lives in one document: a frame's links are not in it.
      if (!onlySelection && (tag === 'iframe' || tag === 'frame')) {
        const element = el as HTMLIFrameElement;
        hooks.onFrame?.(element);
        const inner = sameOriginDocument(element);
        if (inner) roots.push({ root: inner, frame: shorten(inner.URL, MAX_FRAME_NAME) });
      }
    }
  }
  const links = order.map((url) => found.get(url) as FoundLink);
  // The first slice goes back at once; the rest waits in this (isolated) world for moreCollectedLinks, under a key
  // of its own.
  let end = holder === undefined ? links.length : 0;
  for (let size = 0; end < links.length; end++) {
    const link = links[end] as FoundLink;
    size += link.url.length + link.texts.reduce((n, t) => n + t.length, 64);
    if (size > sliceChars && end > 0) break;
  }
  let held: string | undefined;
  if (holder !== undefined) {
    const store = globalThis as unknown as HeldStore;
    store.__linkpulseHeld ??= { count: 0, by: {} };
    const kept = store.__linkpulseHeld;
    delete kept.by[holder];
    if (end < links.length) {
      held = `${holder}-${++kept.count}`;
      kept.by[holder] = { key: held, links };
    }
  }
  return {
    page: { url: location.href, title: shorten(document.title.replace(/\s+/g, ' ').trim(), MAX_TITLE_LENGTH) },
    links: links.slice(0, end),
    truncated,
    ms: Math.round((performance.now() - started) * 10) / 10,
    remaining: links.length - end,
    held,
    crossOriginFrames,
    contentType: document.contentType,
  };
}
