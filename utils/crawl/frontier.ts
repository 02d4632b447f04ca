import { withoutFragment } from '../check/fragments';
import type { Fetched } from './link-judgement';
import type { CrawlPage } from './types';

/** A page of the site to fetch, with its depth: its fewest clicks from the start page. */
export interface PlannedPage {
  url: string;
  depth: number;
}

/**
 * What a crawl has queued and what it has read, by page (url without fragment): a page is planned once, at its lowest
 * depth, and read once, in this run or before the worker restarted. What is planned and not read is what a resumed
 * crawl starts from.
 */
export class Frontier {
  /** Pages queued for a level (url without fragment → depth): a page is fetched at most once. */
  readonly planned = new Map<string, number>();
  /** Pages fetched in this run (a redirect's final address too), as the links into them are judged. */
  readonly fetched = new Map<string, Fetched>();
  /** Pages read before the worker restarted (their addresses and final addresses): only their rows are kept. */
  readonly readBefore = new Set<string>();

  constructor(private readonly isSitePage: (url: URL) => boolean) {}

  /**
   * Takes up a crawl the worker stopped: its page rows were read, its pending pages are planned. Returns the pending
   * pages still to read.
   */
  restore(pages: CrawlPage[], pending: PlannedPage[]): PlannedPage[] {
    for (const page of pages) {
      this.planned.set(page.url, page.depth);
      this.readBefore.add(page.url);
      // A link to where it redirected is a link to it: that page is not fetched again either.
      const finalUrl = page.finalUrl === null ? null : URL.parse(page.finalUrl);
      if (finalUrl && this.isSitePage(finalUrl)) {
        const finalKey = withoutFragment(finalUrl.href);
        this.readBefore.add(finalKey);
        if (!this.planned.has(finalKey)) this.planned.set(finalKey, page.depth);
      }
    }
    // A pending page the stored pages hold was read (the stored list was stale): it is not fetched again.
    const toRead = pending.filter((p) => !this.isRead(p.url));
    for (const p of toRead) this.planned.set(p.url, p.depth);
    return toRead;
  }

  /** Plans a page at this depth, unless it is planned at a lower one already. */
  planAtMost(url: string, depth: number): void {
    if ((this.planned.get(url) ?? Number.POSITIVE_INFINITY) > depth) this.planned.set(url, depth);
  }

  /** Pages found and not fetched yet, with their depth: what a resumed crawl starts from. */
  pending(): PlannedPage[] {
    const out: PlannedPage[] = [];
    for (const [url, depth] of this.planned) if (!this.isRead(url)) out.push({ url, depth });
    return out;
  }

  /** Was this page (url without fragment) read, in this run or before the worker restarted? Each page row's was. */
  isRead(url: string): boolean {
    return this.fetched.has(url) || this.readBefore.has(url);
  }

  /** Pages planned and not read that are not in this level: those queued deeper. */
  countLater(level: { url: string }[]): number {
    const inLevel = new Set(level.map((p) => p.url));
    let n = 0;
    for (const url of this.planned.keys()) if (!this.isRead(url) && !inLevel.has(url)) n += 1;
    return n;
  }

  /**
   * Are the links of the page a redirect leads to read from that page's own fetch: it was read already, or it is
   * read in this level (at this depth)? A page queued deeper is read from the redirect's body instead, at this depth.
   */
  readsThere(finalKey: string, depth: number): boolean {
    return this.isRead(finalKey) || (this.planned.get(finalKey) ?? Number.POSITIVE_INFINITY) <= depth;
  }

  /**
   * The level after one is read: the pages it found, and pages queued deeper join their level, unless a redirect read
   * them already; when no page was found for the next level, the deeper pages go on.
   */
  nextLevel(next: PlannedPage[], later: PlannedPage[]): { level: PlannedPage[]; later: PlannedPage[] } {
    const depth = next[0]?.depth ?? lowestDepth(later);
    const inNext = new Set(next.map((n) => n.url));
    for (const p of later) if (p.depth <= depth && !this.isRead(p.url) && !inNext.has(p.url)) next.push(p);
    return { level: next, later: later.filter((p) => p.depth > depth) };
  }
}

/**
 * Splits a picked-up crawl's pending pages into the lowest depth's, read first, and the deeper ones. Level by level
 * still: a page of the next level read along with this one's could find a page of this level's next one first, and
 * take it a level too deep.
 */
export function splitLowestLevel(pending: PlannedPage[]): { level: PlannedPage[]; later: PlannedPage[] } {
  const lowest = lowestDepth(pending);
  return { level: pending.filter((p) => p.depth === lowest), later: pending.filter((p) => p.depth > lowest) };
}

/** The lowest depth of some pages (Infinity for none), without spreading thousands of them into arguments. */
export function lowestDepth(pages: { depth: number }[]): number {
  return pages.reduce((lowest, p) => Math.min(lowest, p.depth), Number.POSITIVE_INFINITY);
}
