import type { Note } from '../notes/note';
import type { Settings } from '../settings';
import type { LinkEntry, RunStateName } from '../types';

/** What a person chose for one site check (defaults from the options; the popup's start dialog may change them). */
export interface CrawlOptions {
  /** Pages this many clicks from the start page are still fetched; links found on them are checked, not followed. */
  maxDepth: number;
  /** At most this many pages are fetched. */
  maxPages: number;
  /** Follow only pages under the start page's folder (`/docs/` for `/docs/intro`). */
  samePathOnly: boolean;
  useSitemap: boolean;
  respectRobots: boolean;
  /** "As me": the site's own pages are requested with the person's cookies. Other sites never get them. */
  asMe: boolean;
}

export const CRAWL_LIMITS = {
  maxDepth: { min: 0, max: 10 },
  maxPages: { min: 1, max: 5_000 },
} as const;

/** One fetched (or failed) page of the site. */
export interface CrawlPage {
  url: string;
  depth: number;
  /** HTTP status of the page, null when it could not be fetched. */
  status: number | null;
  finalUrl: string | null;
  title: string;
  /** Links found on it (a[href], area[href]), counted with repeats. */
  links: number;
  /**
   * Why its links were not read, or not all of them (not HTML, failed, another site…); '' when they were. A string
   * other than '' is the English text of an older version (a stored crawl), shown as it is.
   */
  note: Note | string;
}

/** One distinct link of the whole site: a page-check row plus the pages that hold it. */
export interface CrawlLink extends LinkEntry {
  /** The first pages that hold it (up to MAX_SOURCES), with the link's text on each. */
  sources: { page: string; text: string }[];
  /** How many pages hold it in all. */
  sourceCount: number;
}

export const MAX_SOURCES = 20;

export interface CrawlMeta {
  crawlId: string;
  tabId: number;
  startUrl: string;
  origin: string;
  options: CrawlOptions;
  /** The settings the crawl's checks used (the export records them). */
  settings: Settings;
  state: RunStateName;
  paused: boolean;
  startedAt: number;
  finishedAt: number | null;
  /** Pages waiting to be fetched. */
  queued: number;
  /** A note for the person (the link limit reached…); a string is an older version's English text. */
  notes: (Note | string)[];
  /** History: the previous finished site check of the same start page that this one is compared with (absent: none). */
  baseline?: { crawlId: string; finishedAt: number };
  /** History: this check is not kept once finished (a private window). */
  private?: boolean;
}

/** A site check's options from the settings: depth, pages, sitemap and robots.txt; this folder and "as me" off. */
export function crawlOptionsFrom(settings: Settings): CrawlOptions {
  return {
    maxDepth: settings.crawlMaxDepth,
    maxPages: settings.crawlMaxPages,
    samePathOnly: false,
    useSitemap: settings.crawlUseSitemap,
    respectRobots: settings.crawlRespectRobots,
    asMe: false,
  };
}

/** The crawl page's note that storage refused the check's rows (a save that goes through removes it). */
export const isNotSavedNote = (note: Note | string): boolean =>
  typeof note !== 'string' && note.code === 'crawl-not-saved';

/** The crawl page's note that the history refused the finished check (one kept on a later try drops it). */
export const isNotKeptNote = (note: Note | string): boolean =>
  typeof note !== 'string' && note.code === 'crawl-not-kept';

/** Whether a site check's rows were not all written when its metadata was: its stored rows are not the whole check. */
export function rowsNotSaved(meta: Pick<CrawlMeta, 'notes'>): boolean {
  return meta.notes.some(isNotSavedNote);
}
