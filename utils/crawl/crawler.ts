import { fragmentOf, withoutFragment } from '../check/fragments';
import type { Soft404Judgement } from '../check/soft-404/compare';
import type { Note } from '../notes/note';
import type { FoundLink, LinkResult } from '../types';
import type { PageFetch } from './fetch-page';
import { Frontier, type PlannedPage, splitLowestLevel } from './frontier';
import {
  type Fetched,
  judgeBeforeRequest,
  judgePageSoft404,
  type LinkRule,
  type PageAnswer,
  resultFromPage,
  withoutBody,
} from './link-judgement';
import { isHtmlType, parsePage } from './page-links';
import type { RobotsRules } from './robots';
import { type CrawlLink, type CrawlOptions, type CrawlPage, MAX_SOURCES } from './types';

export type { PageFetch } from './fetch-page';
export type { LinkRule } from './link-judgement';

/** A crawled page is read up to this size: enough for any real page, bounded for a hostile one. */
export const PAGE_MAX_BYTES = 4 * 1024 * 1024;
/** Links read from one page at most (a page check's collector keeps 20 000 too). */
export const PAGE_MAX_LINKS = 20_000;
/**
 * Pages asked for at once by one crawl: twice the per-host limit (6), so a round of pages waits for the site's
 * connections while the one answered is read; no more, so a pause settles within two answers' time. A page waiting
 * for its slot or its answer holds no body: bodies are bounded apart, below.
 */
export const PAGES_AT_ONCE = 12;
/**
 * Bytes of page bodies (robots.txt and sitemaps too) a crawl reads at once: eight pages at their cap, more than the
 * site's 6 connections over HTTP/1.1 ever bring together, so its pages wait for it only where redirects send them to
 * other hosts (or a higher HTTP/2 limit). A body is parsed as soon as it is read and not kept (a page keeps copies of
 * its title, links' texts and ids: see ownCopy), so the crawl holds 32 MB of bodies at worst (as text, up to twice
 * that where characters take two bytes).
 */
export const PAGE_BODY_BYTES = 8 * PAGE_MAX_BYTES;
/** Distinct links of a whole site check at most: memory follows this, not the site. */
export const CRAWL_MAX_LINKS = 100_000;
/**
 * A page of the site is crawled only when its address is at most this long (the sitemap protocol's own bound); a
 * longer one is checked as a link. Each link keeps the addresses of up to 20 pages that hold it, in storage and in
 * what the crawl page is sent: a site of pages with 50 kB addresses would have made each link a megabyte.
 */
export const PAGE_URL_MAX = 2_048;

export interface CrawlDeps {
  /** GETs a page of the site (cookies as the options say), reading its body up to `maxBytes`. */
  fetchPage(url: string, maxBytes: number): Promise<PageFetch>;
  /** Checks links that are not pages of the crawl, with the page-check engine. `sameSite`: links of the crawled origin. */
  checkLinks(links: FoundLink[], sourcePage: string, onResult: (result: LinkResult) => void): Promise<void>;
  rules(sourcePage: string): LinkRule;
  /**
   * Whether a page's 2xx answer is its host's "not found" page, judged as the engine judges a link's (soft-404 detection
   * on, probes where robots.txt allows); none when absent. `url`: the address asked for; `body`: null when not read.
   */
  judgeSoft404?(answer: PageAnswer): Promise<Soft404Judgement>;
  robots: RobotsRules;
  now(): number;
}

export interface CrawlEvents {
  page(page: CrawlPage): void;
  link(link: CrawlLink): void;
  queued(count: number): void;
  note(note: Note): void;
}

/** Where a crawl stands: enough to pick it up after the worker restarts. */
export interface CrawlProgress {
  pages: CrawlPage[];
  /** Pages found and not fetched yet, with their depth. */
  pending: PlannedPage[];
  links: CrawlLink[];
}

/**
 * A site check: breadth-first from the start page over the pages of its origin, level by level so that a page's depth
 * is its fewest clicks from the start (a redirect adds none). Pages of depth ≤ maxDepth are fetched once (GET) and
 * read with an HTML parser; every distinct link found is checked once — links into fetched pages from the fetch
 * itself, others with the page-check engine. Never follows links that change state, `rel=nofollow` links or paths
 * robots.txt disallows: those are skipped rows. All I/O is injected.
 */
export class Crawler {
  private readonly pages = new Map<string, CrawlPage>();
  private readonly frontier = new Frontier((url) => this.isSitePage(url));
  private readonly links = new Map<string, CrawlLink>();
  /**
   * Links waiting for a planned page's fetch to be judged; `via`: a fragment link into a redirect to that page, judged
   * with the redirect's fetch and the page's ids.
   */
  private readonly waiting = new Map<string, { linkUrl: string; via?: Fetched }[]>();
  /** Pages read whose soft-404 judgement is still under way: links into them wait for it. */
  private readonly judging = new Set<string>();
  /** Link checks and soft-404 judgements under way: the crawl ends once they have. */
  private readonly checks: Promise<void>[] = [];
  private linkLimitSaid = false;
  private readonly origin: string;
  private readonly pathPrefix: string;

  constructor(
    private readonly startUrl: string,
    private readonly options: CrawlOptions,
    private readonly deps: CrawlDeps,
    private readonly events: CrawlEvents,
    private readonly signal: AbortSignal,
    /** Resolves when the crawl may go on (a paused crawl waits here between pages). */
    private readonly gate: () => Promise<void> = async () => {},
  ) {
    const start = new URL(startUrl);
    this.origin = start.origin;
    this.pathPrefix = options.samePathOnly ? start.pathname.replace(/[^/]*$/, '') : '/';
  }

  /** Is this a page of the crawl: same origin (and folder, if asked), by URL alone? */
  isSitePage(url: URL): boolean {
    return url.origin === this.origin && url.pathname.startsWith(this.pathPrefix);
  }

  /** Runs a crawl from the start (and the sitemap's pages), or picks one up where `progress` left it. */
  async run(seeds: string[], progress?: CrawlProgress): Promise<void> {
    let level: PlannedPage[];
    /** Pages queued for a deeper level than the one under way (sitemap pages, a picked-up crawl's deeper pages). */
    let later: PlannedPage[] = [];
    if (progress) {
      for (const page of progress.pages) this.pages.set(page.url, page);
      for (const link of progress.links) this.links.set(link.url, link);
      const pending = this.frontier.restore(progress.pages, progress.pending);
      ({ level, later } = splitLowestLevel(pending));
      // Links whose check was under way when the worker stopped are checked again; links into pending pages wait.
      const recheck: CrawlLink[] = [];
      const pendingKeys = new Set(pending.map((p) => p.url));
      for (const link of this.links.values()) {
        if (link.result) continue;
        const key = withoutFragment(link.url);
        if (pendingKeys.has(key)) this.wait(key, link.url);
        else recheck.push(link);
      }
      this.checkWithEngine(recheck, this.startUrl);
    } else {
      const start = withoutFragment(this.startUrl);
      this.frontier.planned.set(start, 0);
      level = [{ url: start, depth: 0 }];
      // Sitemap pages go by the rules of the start page's links (the person's exclusions, pages that sign out or
      // unsubscribe…): one they skip is not fetched, and, being no page's link, has no row.
      const rule = this.deps.rules(this.startUrl);
      for (const seed of seeds) {
        const judged = rule(seed);
        if (judged.action !== 'check') continue;
        const url = new URL(judged.url.href);
        if (!this.isSitePage(url) || this.frontier.planned.size >= this.options.maxPages) continue;
        url.hash = '';
        if (url.href.length > PAGE_URL_MAX) continue;
        if (this.frontier.planned.has(url.href) || !this.deps.robots.allows(url)) continue;
        if (this.options.maxDepth < 1) break;
        this.frontier.planned.set(url.href, 1);
        later.push({ url: url.href, depth: 1 });
      }
    }
    while (level.length > 0 && !this.signal.aborted) {
      const next: PlannedPage[] = [];
      this.events.queued(level.length + this.frontier.countLater(level));
      // A few pages of a level at a time (the limiter keeps the host's limit below that): a pause stops the crawl
      // within PAGES_AT_ONCE pages.
      let left = level.length;
      let nextItem = 0;
      const worker = async () => {
        while (nextItem < level.length && !this.signal.aborted) {
          await this.gate();
          // Another worker may have taken the last page while this one waited at the gate.
          const item = level[nextItem++];
          if (!item || this.signal.aborted) return;
          await this.fetchAndRead(item.url, item.depth, next);
          left -= 1;
          this.events.queued(left + next.length);
        }
      };
      await Promise.all(Array.from({ length: PAGES_AT_ONCE }, worker));
      ({ level, later } = this.frontier.nextLevel(next, later));
    }
    // What is still planned when the crawl stops short (cancelled) is not judged; a finished crawl has judged it all.
    while (this.checks.length > 0) await Promise.all(this.checks.splice(0));
  }

  /** Pages found and not fetched yet, with their depth: what a resumed crawl starts from. */
  pending(): PlannedPage[] {
    return this.frontier.pending();
  }

  private async fetchAndRead(url: string, depth: number, next: PlannedPage[]): Promise<void> {
    // A redirect from a page of a lower depth has read it already (see below): a page is fetched once.
    const already = this.frontier.fetched.get(url);
    if (already) {
      // While its soft-404 judgement is under way, that judgement settles the links into it.
      if (!this.judging.has(url)) this.settleWaiting(url, already);
      return;
    }
    const fetch = await this.deps.fetchPage(url, PAGE_MAX_BYTES);
    // Cut short, the page is left as not read.
    if (fetch.kind === 'cancelled' || this.signal.aborted) return;
    // Started while the body is in hand, not waited for: only the verdicts of the links into the page depend on it
    // (its links are read, and the crawl goes on, while the host's probe is answered).
    const soft404 = judgePageSoft404(this.deps.judgeSoft404, url, fetch);
    const answer = withoutBody(fetch);
    const page: CrawlPage = {
      url,
      depth,
      status: fetch.kind === 'response' ? fetch.status : null,
      finalUrl: fetch.kind === 'response' ? fetch.finalUrl : null,
      title: '',
      links: 0,
      note: '',
    };
    let fetched: Fetched = { fetch: answer, anchors: null, anchorsComplete: false };
    /** The final address of a redirect read here, and its answer as a link straight to it gets it. */
    let arrived: { key: string; fetched: Fetched } | null = null;
    if (fetch.kind !== 'response') {
      page.note =
        fetch.kind === 'failure'
          ? (fetch.detail ?? { code: 'page-failed', error: fetch.text })
          : { code: 'page-redirect-refused', target: fetch.target };
    } else if (fetch.status < 200 || fetch.status >= 300) {
      page.note = { code: 'page-status', status: fetch.status };
    } else if (!isHtmlType(fetch.contentType) || fetch.body === null) {
      page.note = { code: 'page-not-html' };
    } else if (!this.isSitePage(new URL(fetch.finalUrl))) {
      page.note = { code: 'page-off-site' };
    } else if (
      withoutFragment(fetch.finalUrl) !== url &&
      this.frontier.readsThere(withoutFragment(fetch.finalUrl), depth)
    ) {
      // A redirect to a page the crawl reads anyway: its links are read there, once, with that page as their source.
      // A fragment into it is that page's id.
      page.note = { code: 'page-read-there', finalUrl: fetch.finalUrl };
      const finalKey = withoutFragment(fetch.finalUrl);
      const there = this.frontier.fetched.get(finalKey);
      fetched = there
        ? { fetch: answer, anchors: there.anchors, anchorsComplete: there.anchorsComplete }
        : { fetch: answer, anchors: null, anchorsComplete: false, idsAt: finalKey };
    } else {
      const parsed = parsePage(fetch.body, fetch.finalUrl, PAGE_MAX_LINKS);
      fetched = { fetch: answer, anchors: parsed.anchors, anchorsComplete: fetch.bodyComplete };
      page.title = parsed.title;
      page.links = parsed.links.length;
      if (parsed.truncated) page.note = { code: 'page-too-many-links', max: PAGE_MAX_LINKS };
      if (!fetch.bodyComplete) page.note = { code: 'page-cut-short' };
      // Its final address is this page too, read at this depth (a redirect adds none) even if a link or the sitemap
      // queued it deeper: it is not fetched again, and a link straight to it has its answer without the redirect.
      const finalKey = withoutFragment(fetch.finalUrl);
      if (finalKey !== url) {
        const { body: _, bytes: __, redirectFragment: ___, ...straight } = fetch;
        arrived = {
          key: finalKey,
          fetched: { ...fetched, fetch: { ...straight, body: null, redirected: false, hops: [] } },
        };
        this.frontier.planAtMost(finalKey, depth);
        this.frontier.fetched.set(finalKey, arrived.fetched);
        if (soft404) this.judging.add(finalKey);
      }
      this.readLinks(url, depth, parsed.links, next);
    }
    this.frontier.fetched.set(url, fetched);
    if (soft404) this.judging.add(url);
    this.pages.set(url, page);
    this.events.page(page);
    if (!soft404) {
      if (arrived) this.settleWaiting(arrived.key, arrived.fetched);
      this.settleWaiting(url, fetched);
      return;
    }
    const judged = soft404.then(({ asked, arrived: arrivedSoft404 }) => {
      // Cut short, the look was not a judgement: the links into the page are left unjudged.
      if (this.signal.aborted) return;
      if (arrived) this.settleJudged(arrived.key, { ...arrived.fetched, soft404: arrivedSoft404 });
      this.settleJudged(url, { ...fetched, ...asked });
    });
    this.checks.push(judged);
  }

  /** A page's soft-404 judgement came: the links into it are judged with it, those waiting and those found later. */
  private settleJudged(pageKey: string, page: Fetched): void {
    this.frontier.fetched.set(pageKey, page);
    this.judging.delete(pageKey);
    this.settleWaiting(pageKey, page);
  }

  /** Links that waited for a page get its answer. */
  private settleWaiting(pageKey: string, page: Fetched): void {
    const waiting = this.waiting.get(pageKey) ?? [];
    this.waiting.delete(pageKey);
    for (const { linkUrl, via } of waiting) this.judge(linkUrl, via ?? page);
  }

  /** Judges a link into a fetched page; a fragment into a redirect waits for the ids of the page it leads to. */
  private judge(linkUrl: string, page: Fetched): void {
    // A redirect that names a fragment of its own leaves the link's unjudged: no ids are needed.
    const ownFragment = page.fetch.kind === 'response' && page.fetch.redirectFragment !== undefined;
    if (page.idsAt !== undefined && fragmentOf(linkUrl) !== null && !ownFragment) {
      const there = this.frontier.fetched.get(page.idsAt);
      if (!there && this.frontier.readBefore.has(page.idsAt)) {
        // Its ids were read before the worker restarted and not kept: the engine checks the fragment.
        this.checkOneWithEngine(linkUrl);
        return;
      }
      if (!there) {
        this.wait(page.idsAt, linkUrl, page);
        return;
      }
      page = { ...page, anchors: there.anchors, anchorsComplete: there.anchorsComplete };
    }
    this.settle(linkUrl, resultFromPage(linkUrl, page, this.deps.now()));
  }

  private readLinks(
    pageUrl: string,
    depth: number,
    found: { url: string | null; href: string; text: string; nofollow: boolean }[],
    next: PlannedPage[],
  ): void {
    const rule = this.deps.rules(pageUrl);
    const toCheck: CrawlLink[] = [];
    const seenHere = new Set<string>();
    for (const f of found) {
      const url = f.url ?? f.href;
      let link = this.links.get(url);
      const isNew = link === undefined;
      if (!link) {
        if (this.links.size >= CRAWL_MAX_LINKS) {
          if (!this.linkLimitSaid) this.events.note({ code: 'crawl-too-many-links', max: CRAWL_MAX_LINKS });
          this.linkLimitSaid = true;
          continue;
        }
        link = { url, occurrences: 0, texts: [], phase: 'queued', sources: [], sourceCount: 0 };
        this.links.set(url, link);
      }
      link.occurrences += 1;
      if (f.text && link.texts.length < 3 && !link.texts.includes(f.text)) link.texts.push(f.text);
      if (!seenHere.has(url)) {
        seenHere.add(url);
        link.sourceCount += 1;
        if (link.sources.length < MAX_SOURCES) link.sources.push({ page: pageUrl, text: f.text });
      }
      this.events.link(link);
      if (!isNew) continue;
      this.classify(link, f, depth, rule, next, toCheck);
    }
    this.checkWithEngine(toCheck, pageUrl);
  }

  /** Decides a new link's fate: skipped now, judged by a page fetch, or checked by the engine. */
  private classify(
    link: CrawlLink,
    f: { url: string | null; text: string; nofollow: boolean },
    depth: number,
    rule: LinkRule,
    next: PlannedPage[],
    toCheck: CrawlLink[],
  ): void {
    const now = this.deps.now();
    const before = judgeBeforeRequest(link.url, f, { rule, origin: this.origin, robots: this.deps.robots, now });
    if ('result' in before) {
      this.settle(link.url, before.result);
      return;
    }
    const url = before.url;
    const key = withoutFragment(url.href);
    const page = this.frontier.fetched.get(key);
    if (page) {
      if (this.judging.has(key)) this.wait(key, link.url);
      else this.judge(link.url, page);
      return;
    }
    if (this.frontier.readBefore.has(key)) {
      // Read before the worker restarted: its answer is not kept (only its row), so the engine checks the link.
      toCheck.push(link);
      return;
    }
    if (this.frontier.planned.has(key)) {
      this.wait(key, link.url);
      return;
    }
    if (
      this.isSitePage(url) &&
      key.length <= PAGE_URL_MAX &&
      depth + 1 <= this.options.maxDepth &&
      this.frontier.planned.size < this.options.maxPages
    ) {
      this.frontier.planned.set(key, depth + 1);
      next.push({ url: key, depth: depth + 1 });
      this.wait(key, link.url);
      return;
    }
    toCheck.push(link);
  }

  private wait(pageKey: string, linkUrl: string, via?: Fetched): void {
    const waiting = this.waiting.get(pageKey) ?? [];
    waiting.push(via ? { linkUrl, via } : { linkUrl });
    this.waiting.set(pageKey, waiting);
  }

  /** Checks one link with the engine, from the first page that holds it. */
  private checkOneWithEngine(linkUrl: string): void {
    const link = this.links.get(linkUrl);
    if (link) this.checkWithEngine([link], link.sources[0]?.page ?? this.startUrl);
  }

  private checkWithEngine(links: CrawlLink[], sourcePage: string): void {
    if (links.length === 0) return;
    for (const link of links) link.phase = 'checking';
    // A paused crawl starts no new batch of checks either.
    const done = this.gate().then(() =>
      this.signal.aborted
        ? undefined
        : this.deps.checkLinks(
            links.map(({ url, occurrences, texts }) => ({ url, occurrences, texts })),
            sourcePage,
            (result) => this.settle(result.url, result),
          ),
    );
    this.checks.push(done);
  }

  private settle(url: string, result: LinkResult): void {
    const link = this.links.get(url);
    if (!link) return;
    link.result = result;
    link.phase = 'done';
    this.events.link(link);
  }
}
