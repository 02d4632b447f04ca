import type { Unavailable } from './run/collection';
import type { RunMeta } from './run/stored-run';
import type { CollectKinds } from './settings';
import type { FoundLink, LinkEntry } from './types';

/** The name of the port the popup and the report page open to the background. */
export const RUN_PORT = 'linkpulse-run';

/** Popup / report page → background. */
export type ClientMessage =
  /** Show the tab's run; with `startIfNone`, start one when the tab has none (the popup does, the report does not). */
  | { type: 'watch'; tabId: number; startIfNone: boolean }
  | { type: 'recheck'; tabId: number; onlyFailed: boolean }
  | { type: 'cancel'; tabId: number }
  /** Load the run's blocked links and missing anchors in background tabs (the second opinion), or stop doing so. */
  | { type: 'verify'; tabId: number; action: 'start' | 'stop' };

/** Background → popup / report page. */
export type ServerMessage =
  /** A run as it stands. `more`: its first rows only, the rest following as `rows` messages (see message-chunks). */
  | { type: 'snapshot'; meta: RunMeta; entries: LinkEntry[]; more?: true }
  /** The next rows of the snapshot just sent; `more`: more such messages follow. */
  | { type: 'rows'; runId: string; entries: LinkEntry[]; more?: true }
  /**
   * Changed rows since the last message, batched (never one message per link). `more`: a part of an update too big for
   * one message, with more parts to come; its `meta` is for the whole update, which a page shows with the last part.
   */
  | { type: 'update'; meta: RunMeta; changes: [index: number, entry: LinkEntry][]; more?: true }
  /** The tab has no run, or none can be made: `message` says why in words a person understands. */
  | { type: 'unavailable'; tabId: number; problem: Unavailable };

export function isClientMessage(value: unknown): value is ClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.tabId !== 'number' || !Number.isInteger(m.tabId)) return false;
  switch (m.type) {
    case 'watch':
      return typeof m.startIfNone === 'boolean';
    case 'recheck':
      return typeof m.onlyFailed === 'boolean';
    case 'cancel':
      return true;
    case 'verify':
      return m.action === 'start' || m.action === 'stop';
    default:
      return false;
  }
}

/** Popup → the highlight content script in the checked page (entrypoints/highlight.content.ts). */
export type PageMessage =
  /** Scroll to the first link with this URL and flash every link with it. */
  | { type: 'page-flash'; url: string }
  /**
   * A page opened from a site check's row: scroll to the first link with this URL, outline every link with it in the
   * verdict's colour, and flash them.
   */
  | { type: 'page-show'; url: string; verdict: string }
  /** Outline each link whose URL is listed in its verdict's colour; `null` removes every mark. */
  | { type: 'page-mark'; marks: [url: string, verdict: string][] | null }
  | { type: 'page-count-marks' };

/** The content script checks every message before acting on it; it answers with a count and nothing else. */
export function isPageMessage(value: unknown): value is PageMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'page-flash':
      return typeof m.url === 'string' && m.url.length <= 100_000;
    case 'page-show':
      return typeof m.url === 'string' && m.url.length <= 100_000 && typeof m.verdict === 'string';
    case 'page-mark':
      return (
        m.marks === null ||
        (Array.isArray(m.marks) &&
          m.marks.every(
            (pair) =>
              Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string',
          ))
      );
    case 'page-count-marks':
      return true;
    default:
      return false;
  }
}

/** The only answer taken from the page: a count of links, never a URL or anything else to act on. */
export function isPageReply(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The name of the port the live content script (entrypoints/live.content.ts) opens while it follows its page. */
export const LIVE_PORT = 'linkpulse-live';

/** Background → the live content script in a checked tab's top frame. */
export type LiveCommand =
  /** Collect the page (answered with the Collection) and follow it, reporting with `token`. */
  | { type: 'live-collect'; token: string; kinds: CollectKinds; maxLinks: number }
  /** Follow the page again (answered with `true`), first reporting what joined since it last followed. */
  | { type: 'live-follow'; token: string; kinds: CollectKinds; maxLinks: number }
  /** Stop following (answered with `true`). */
  | { type: 'live-stop' }
  /**
   * The document's address now, and the token of the last command its script took (answered with a LiveWhere): a
   * same-document route change, or another document (one a back/forward cache restored answers with an old token).
   */
  | { type: 'live-where' };

/** The live script's answer to `live-where`. */
export interface LiveWhere {
  href: string;
  token: string;
}

/** A `live-where` answer as sent, or null for anything else. */
export function liveWhereOf(answer: unknown): LiveWhere | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { href, token } = answer as Record<string, unknown>;
  return typeof href === 'string' && typeof token === 'string' ? { href, token } : null;
}

function isCollectKinds(value: unknown): value is CollectKinds {
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).every((flag) => typeof flag === 'boolean');
}

export function isLiveCommand(value: unknown): value is LiveCommand {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'live-collect':
    case 'live-follow':
      return (
        typeof m.token === 'string' &&
        isCollectKinds(m.kinds) &&
        typeof m.maxLinks === 'number' &&
        Number.isInteger(m.maxLinks) &&
        m.maxLinks >= 0
      );
    case 'live-stop':
    case 'live-where':
      return true;
    default:
      return false;
  }
}

/** The live content script → background, over its LIVE_PORT: links that joined the page, as the collector found them. */
export interface LiveReport {
  type: 'live-found';
  token: string;
  links: FoundLink[];
  truncated: boolean;
  crossOriginFrames: number;
}

/** The bounds of one report: what the collector can produce (utils/collect/), and not a byte more. */
export const LIVE_REPORT_LIMITS = {
  links: 1000,
  /**
   * Chromium's own limit on a URL (2 MiB). A page's `href` can be longer: such a link is left out of the report, not cut
   * (a cut URL is another URL), and the report's other links still count. collectLinks, which cannot import this, leaves
   * such links out of every collection by the same number (its MAX_URL_LENGTH; the collection tests hold them equal).
   */
  urlLength: 2 * 1024 * 1024,
  /** All the URLs of one report together: a page adding many huge links sends them in several reports. */
  totalUrlLength: 8 * 1024 * 1024,
  texts: 3,
  textLength: 120,
  frames: 3,
  frameUrlLength: 2000,
};

function isString(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length <= maxLength;
}

/**
 * A report's links rebuilt field by field from what a collector may say, or null when anything is off: a page cannot
 * slip other fields or sizes through the content script's channel. A URL over the limit is the one fault that leaves out
 * only its link: a page may well hold such an `href`, and refusing the report lost its other links, never sent again.
 */
export function readLiveReport(value: unknown): LiveReport | null {
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  const L = LIVE_REPORT_LIMITS;
  if (m.type !== 'live-found' || !isString(m.token, 100) || typeof m.truncated !== 'boolean') return null;
  if (typeof m.crossOriginFrames !== 'number' || !Number.isInteger(m.crossOriginFrames) || m.crossOriginFrames < 0) {
    return null;
  }
  if (!Array.isArray(m.links) || m.links.length > L.links) return null;
  const links: FoundLink[] = [];
  let totalUrlLength = 0;
  for (const raw of m.links as unknown[]) {
    if (typeof raw !== 'object' || raw === null) return null;
    const r = raw as Record<string, unknown>;
    if (typeof r.url !== 'string' || r.url === '') return null;
    if (typeof r.occurrences !== 'number' || !Number.isInteger(r.occurrences) || r.occurrences < 1) return null;
    if (!Array.isArray(r.texts) || r.texts.length > L.texts || !r.texts.every((t) => isString(t, L.textLength))) {
      return null;
    }
    if (r.samePageFragment !== undefined && r.samePageFragment !== 'found' && r.samePageFragment !== 'missing') {
      return null;
    }
    const frames = r.frames;
    if (
      frames !== undefined &&
      (!Array.isArray(frames) || frames.length > L.frames || !frames.every((f) => isString(f, L.frameUrlLength)))
    ) {
      return null;
    }
    if (r.url.length > L.urlLength) continue;
    totalUrlLength += r.url.length;
    if (totalUrlLength > L.totalUrlLength) return null;
    const link: FoundLink = { url: r.url, occurrences: r.occurrences, texts: [...(r.texts as string[])] };
    if (r.samePageFragment) link.samePageFragment = r.samePageFragment as 'found' | 'missing';
    if (frames) link.frames = [...(frames as string[])];
    links.push(link);
  }
  return { type: 'live-found', token: m.token, links, truncated: m.truncated, crossOriginFrames: m.crossOriginFrames };
}
