import { entryChars, MESSAGE_CHARS, slices } from '../run/message-chunks';
import type { CrawlLink, CrawlMeta, CrawlOptions, CrawlPage } from './types';
import { CRAWL_LIMITS } from './types';

/** The port the crawl page and the popup open to the background for site checks. */
export const CRAWL_PORT = 'linkpulse-crawl';

/** Crawl page / popup → background. No message carries a URL: a site check always starts from the tab's own page. */
export type CrawlClientMessage =
  | { type: 'crawl-watch'; tabId: number }
  | { type: 'crawl-start'; tabId: number; options: CrawlOptions }
  | { type: 'crawl-pause' | 'crawl-resume' | 'crawl-cancel'; tabId: number };

/** Background → crawl page. */
export type CrawlServerMessage =
  | { type: 'crawl-snapshot'; meta: CrawlMeta; pages: CrawlPage[]; links: CrawlLink[] }
  /** Rows changed since the last message (pages and links by URL), batched. */
  | { type: 'crawl-update'; meta: CrawlMeta; pages: CrawlPage[]; links: CrawlLink[] }
  /**
   * Some of the rows of the snapshot or update of crawl `crawlId` that comes next, sent ahead of it: a big crawl's
   * rows do not fit one message (see inParts). The page holds them until that message, which carries the rest.
   */
  | { type: 'crawl-rows'; crawlId: string; pages: CrawlPage[]; links: CrawlLink[] }
  /** No crawl to show: none started from this tab yet, or the tab is not on a web page. */
  | { type: 'crawl-unavailable'; tabId: number; problem: 'no-crawl' | 'not-web-page' };

export function isCrawlOptions(value: unknown): value is CrawlOptions {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const within = (n: unknown, { min, max }: { min: number; max: number }) =>
    typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
  return (
    within(o.maxDepth, CRAWL_LIMITS.maxDepth) &&
    within(o.maxPages, CRAWL_LIMITS.maxPages) &&
    ['samePathOnly', 'useSitemap', 'respectRobots', 'asMe'].every((k) => typeof o[k] === 'boolean')
  );
}

export function isCrawlClientMessage(value: unknown): value is CrawlClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.tabId !== 'number' || !Number.isInteger(m.tabId) || m.tabId < 0) return false;
  switch (m.type) {
    case 'crawl-watch':
    case 'crawl-pause':
    case 'crawl-resume':
    case 'crawl-cancel':
      return true;
    case 'crawl-start':
      return isCrawlOptions(m.options);
    default:
      return false;
  }
}

/** About how many characters a link takes in a message: its row's (entryChars), and its source pages'. */
function linkChars(link: CrawlLink): number {
  let chars = entryChars(link);
  for (const source of link.sources) chars += 20 + source.page.length + source.text.length;
  return chars;
}

/** About how many characters a page's row takes in a message (its addresses, its title; the rest is small). */
function pageChars(page: CrawlPage): number {
  return 200 + page.url.length + (page.finalUrl?.length ?? 0) + page.title.length;
}

/**
 * A snapshot or update too big for one message (Chromium refuses a port message over 64 MiB; 100 000 links with their
 * source pages can be more), as `crawl-rows` parts of at most `maxChars` ahead of the message itself, which carries
 * the last of its links (and its pages, when they fit with them); any other message, or one that fits, as it is.
 */
export function inParts(message: CrawlServerMessage, maxChars = MESSAGE_CHARS): CrawlServerMessage[] {
  if (message.type !== 'crawl-snapshot' && message.type !== 'crawl-update') return [message];
  const rows = [
    ...message.pages.map((page) => ({ page, chars: pageChars(page) })),
    ...message.links.map((link) => ({ link, chars: linkChars(link) })),
  ];
  const parts = slices(rows, (row) => row.chars, maxChars);
  const pagesOf = (part: typeof rows) => part.flatMap((row) => ('page' in row ? [row.page] : []));
  const linksOf = (part: typeof rows) => part.flatMap((row) => ('link' in row ? [row.link] : []));
  const last = parts.pop() ?? [];
  if (parts.length === 0) return [message];
  const { crawlId } = message.meta;
  return [
    ...parts.map(
      (part): CrawlServerMessage => ({ type: 'crawl-rows', crawlId, pages: pagesOf(part), links: linksOf(part) }),
    ),
    { ...message, pages: pagesOf(last), links: linksOf(last) },
  ];
}
