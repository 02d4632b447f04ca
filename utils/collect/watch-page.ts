// What the live content script (entrypoints/live.content.ts) does in the checked page: it collects, then follows the
// page for links that join it later. It runs in the extension's isolated world, where page scripts cannot see it.
import { LIVE_REPORT_LIMITS } from '../protocol';
import type { CollectKinds } from '../settings';
import type { FoundLink } from '../types';
import {
  COLLECT_MAX_CHARS,
  COLLECT_MAX_MS,
  COLLECT_SLICE_CHARS,
  type CollectHooks,
  type Collection,
  collectLinks,
} from './collect-links';
import type { HeldStore, Holder } from './held-collections';
import { DEFAULT_SCAN_POLICY, type ScanPolicy, scheduleScans, type Timers } from './scan-schedule';

/** What the watcher tells the background after a scan: only what the collector found, nothing else. */
export interface LiveFind {
  /** Links the page did not have before (by absolute URL), at most the collection's cap in all. */
  links: FoundLink[];
  /** More links joined than the cap allows; the rest were left out. */
  truncated: boolean;
  crossOriginFrames: number;
}

/** What the page's links weigh, as the collector counts its budget: URLs and texts, in characters. */
export function weightOf(link: FoundLink): number {
  return link.url.length + link.texts.reduce((n, text) => n + text.length, 0);
}

/** The links known so far, and what they weigh: the collection's limits hold across the links that join later. */
export interface Seen {
  urls: Set<string>;
  chars: number;
}

/**
 * The links of `collection` not in `seen`, which learns them; once `seen` holds `maxLinks` URLs or `maxChars`
 * characters, further ones are left out and `truncated` says so.
 */
export function newLinks(
  seen: Seen,
  collection: Pick<Collection, 'links' | 'truncated'>,
  maxLinks: number,
  maxChars = COLLECT_MAX_CHARS,
): { links: FoundLink[]; truncated: boolean } {
  const links: FoundLink[] = [];
  let truncated = collection.truncated;
  for (const link of collection.links) {
    if (seen.urls.has(link.url)) continue;
    const weight = weightOf(link);
    if (seen.urls.size >= maxLinks || seen.chars + weight > maxChars) {
      truncated = true;
      break;
    }
    seen.urls.add(link.url);
    seen.chars += weight;
    links.push(link);
  }
  return { links, truncated };
}

export interface PageWatcher {
  /** A full collection, and the page followed from now on: every link in it counts as known. */
  collect(): Collection;
  /** Follows the page's changes again, first reporting what joined while it was not following. */
  follow(): void;
  /** Lets go of the page: no observer, listener or timer is left behind. */
  stop(): void;
}

const OBSERVED: MutationObserverInit = {
  childList: true,
  subtree: true,
  attributes: true,
  // A link changing address; text and style changes cannot add a link.
  attributeFilter: ['href', 'src', 'srcset'],
};

/**
 * How often the watcher looks whether an element of the page not defined yet (a custom element whose definition
 * comes later) was defined meanwhile: its upgrade attaches a shadow root, which no observer hears. Only while there are
 * such elements, and only a selector per root: the page is scanned only once one was defined.
 */
export const UPGRADE_POLL_MS = 2_000;

/**
 * Custom elements of these roots not defined yet, with no shadow root (`:defined` is the element's state, the same in
 * every world; the name and the shadow root narrow it where a DOM does not know `:defined` and matches every element).
 */
function undefinedElements(roots: readonly (Document | ShadowRoot)[]): number {
  let count = 0;
  for (const root of roots) {
    for (const element of root.querySelectorAll(':not(:defined)')) {
      if (element.localName.includes('-') && !element.shadowRoot) count++;
    }
  }
  return count;
}

const realTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createPageWatcher(options: {
  kinds: CollectKinds;
  maxLinks: number;
  report(find: LiveFind): void;
  timers?: Timers;
  policy?: ScanPolicy;
  /** Links sent in one report at most: a page that adds 20 000 at once sends them in parts. */
  perReport?: number;
}): PageWatcher {
  const perReport = Math.min(options.perReport ?? LIVE_REPORT_LIMITS.links, LIVE_REPORT_LIMITS.links);
  const seen: Seen = { urls: new Set(), chars: 0 };
  let crossOriginFrames = 0;
  let truncated = false;
  let following: {
    observer: MutationObserver;
    /** SVG links, each watched for its `xlink:href` (an attribute filter only names attributes without a namespace). */
    svgLinks: MutationObserver;
    listeners: AbortController;
    scans: ReturnType<typeof scheduleScans>;
    /** The roots of the last scan, and how many of their elements were not defined then. */
    roots: (Document | ShadowRoot)[];
    undefinedCount: number;
    upgradePoll: unknown;
  } | null = null;
  // Each root and frame is observed once per start; a WeakSet lets removed ones go.
  let observedRoots = new WeakSet<Node>();
  let listenedFrames = new WeakSet<Element>();
  let observedSvgLinks = new WeakSet<Element>();

  const hooks: CollectHooks = {
    onRoot(root) {
      following?.roots.push(root);
      if (!following || observedRoots.has(root)) return;
      observedRoots.add(root);
      following.observer.observe(root, OBSERVED);
    },
    onFrame(frame) {
      if (!following || listenedFrames.has(frame)) return;
      listenedFrames.add(frame);
      // A frame that loads (or loads another document) is not a mutation of this one.
      const scans = following.scans;
      frame.addEventListener('load', () => scans.changed(), { signal: following.listeners.signal });
    },
    onSvgLink(link) {
      if (!following || observedSvgLinks.has(link)) return;
      observedSvgLinks.add(link);
      following.svgLinks.observe(link, { attributes: true });
    },
  };

  const timers = options.timers ?? realTimers;

  /** The whole page, unsliced and holding nothing: the watcher sends what is new in parts of its own. */
  function collectAll(): Collection {
    if (following) following.roots = [];
    const collection = collectLinks(
      options.kinds,
      options.maxLinks,
      COLLECT_MAX_CHARS,
      Number.POSITIVE_INFINITY,
      COLLECT_MAX_MS,
      hooks,
    );
    watchUpgrades();
    return collection;
  }

  /** While the page has elements not defined yet, looks now and then whether one was: the page then changed. */
  function watchUpgrades(): void {
    const now = following;
    if (!now) return;
    now.undefinedCount = undefinedElements(now.roots);
    if (now.undefinedCount === 0 || now.upgradePoll !== null) return;
    const look = () => {
      now.upgradePoll = null;
      if (following !== now) return;
      if (undefinedElements(now.roots) !== now.undefinedCount) now.scans.changed();
      else now.upgradePoll = timers.setTimeout(look, UPGRADE_POLL_MS);
    };
    now.upgradePoll = timers.setTimeout(look, UPGRADE_POLL_MS);
  }

  function scan(): void {
    const collection = collectAll();
    // A link longer than a report takes (LIVE_REPORT_LIMITS.urlLength) is not here: collectLinks leaves it out.
    const found = newLinks(seen, collection, options.maxLinks);
    const links = found.links;
    const framesChanged = (collection.crossOriginFrames ?? 0) !== crossOriginFrames;
    crossOriginFrames = collection.crossOriginFrames ?? 0;
    const newlyTruncated = found.truncated && !truncated;
    truncated ||= found.truncated;
    if (links.length === 0 && !framesChanged && !newlyTruncated) return;
    // In parts within a report's bounds: so many links, so many characters of URL.
    let part: FoundLink[] = [];
    let chars = 0;
    const send = () => options.report({ links: part, truncated, crossOriginFrames });
    for (const link of links) {
      if (
        part.length > 0 &&
        (part.length >= perReport || chars + link.url.length > LIVE_REPORT_LIMITS.totalUrlLength)
      ) {
        send();
        part = [];
        chars = 0;
      }
      part.push(link);
      chars += link.url.length;
    }
    send();
  }

  function begin(): void {
    const scans = scheduleScans(scan, timers, options.policy ?? DEFAULT_SCAN_POLICY);
    const svgLinks = new MutationObserver((records) => {
      // Browsers name the attribute by its local name (`href`, in the XLink namespace); some DOMs by `xlink:href`.
      if (records.some((r) => r.attributeName === 'href' || r.attributeName === 'xlink:href')) scans.changed();
    });
    following = {
      observer: new MutationObserver(() => scans.changed()),
      svgLinks,
      listeners: new AbortController(),
      scans,
      roots: [],
      undefinedCount: 0,
      upgradePoll: null,
    };
    observedRoots = new WeakSet();
    listenedFrames = new WeakSet();
    observedSvgLinks = new WeakSet();
  }

  return {
    collect() {
      if (!following) begin();
      const collection = collectAll();
      seen.urls.clear();
      seen.chars = 0;
      newLinks(seen, collection, options.maxLinks);
      crossOriginFrames = collection.crossOriginFrames ?? 0;
      truncated = collection.truncated;
      return handOverInSlices(collection, COLLECT_SLICE_CHARS, 'live');
    },
    follow() {
      if (following) return;
      begin();
      scan();
    },
    stop() {
      if (!following) return;
      following.scans.stop();
      if (following.upgradePoll !== null) timers.clearTimeout(following.upgradePoll);
      following.observer.disconnect();
      following.svgLinks.disconnect();
      following.listeners.abort();
      following = null;
    },
  };
}

/**
 * The first slice of a collection now, the rest held in this (isolated) world for `moreCollectedLinks` under a key
 * of its own, replacing the holder's older collection, as collectLinks does: a browser message stays well below its
 * size limit.
 */
export function handOverInSlices(collection: Collection, sliceChars: number, holder: Holder): Collection {
  const { links } = collection;
  let end = 0;
  for (let size = 0; end < links.length; end++) {
    size += (links[end] as FoundLink).url.length + (links[end] as FoundLink).texts.reduce((n, t) => n + t.length, 64);
    if (size > sliceChars && end > 0) break;
  }
  const store = globalThis as unknown as HeldStore;
  store.__linkpulseHeld ??= { count: 0, by: {} };
  const kept = store.__linkpulseHeld;
  delete kept.by[holder];
  if (end >= links.length) return { ...collection, remaining: 0 };
  const held = `${holder}-${++kept.count}`;
  kept.by[holder] = { key: held, links };
  return { ...collection, links: links.slice(0, end), remaining: links.length - end, held };
}
