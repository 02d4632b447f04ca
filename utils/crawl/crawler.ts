import { refusedRedirectNote } from '../check/check-links';
import { failureWords, type NetworkReason } from '../check/errors';
import { fragmentOf, withoutFragment } from '../check/fragments';
import type { Soft404Judgement } from '../check/soft-404/compare';
import type { Note } from '../notes/note';
import { isStateChanging } from '../rules/state-changing';
import type { Rule, SkipReason } from '../rules/url-rules';
import type { FoundLink, Hop, LinkResult } from '../types';
import { type CheckFacts, decideVerdict } from '../verdict';
import { isHtmlType, parsePage } from './page-links';
import type { RobotsRules } from './robots';
import { type CrawlLink, type CrawlOptions, type CrawlPage, MAX_SOURCES } from './types';

/** A crawled page is read up to this size: enough for any real page, bounded for a hostile one. */
export const PAGE_MAX_BYTES = 4 * 1024 * 1024;
/** Links read from one page at most (a page check's collector keeps 20 000 too). */
export const PAGE_MAX_LINKS = 20_000;
/** Pages fetched at once by one crawl: above the per-host limit (6), so the site's connections stay busy. */
export const PAGES_AT_ONCE = 8;
/** Distinct links of a whole site check at most: memory follows this, not the site. */
export const CRAWL_MAX_LINKS = 100_000;

/** What fetching one page of the site gave. */
export type PageFetch =
  | {
      kind: 'response';
      status: number;
      finalUrl: string;
      redirected: boolean;
      hops: Hop[];
      contentType: string | null;
      body: string | null;
      /** The body's bytes instead of `body`, when the fetch asked for them (a gzipped sitemap). */
      bytes?: Uint8Array<ArrayBuffer>;
      bodyComplete: boolean;
      botChallenge: boolean;
      /** A redirect named a fragment of its own, where a browser lands instead of the link's (see HopStep). */
      redirectFragment?: string;
      ms: number;
      attempts: number;
    }
  | { kind: 'failure'; reason: NetworkReason; text: string; detail?: Note; hops: Hop[]; ms: number; attempts: number }
  | {
      kind: 'refused-redirect';
      target: string;
      hops: Hop[];
      ms: number;
      attempts: number;
      /** The guard by address refused it (see RequestOutcome). */
      byAddress?: { reached: string | null };
    }
  | { kind: 'cancelled' };

/** How a link is judged before any request: the page check's URL rules (schemes, exclusions, private network). */
export type LinkRule = (url: string) => Rule;

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
  judgeSoft404?(answer: {
    url: string;
    finalUrl: string;
    status: number;
    redirected: boolean;
    body: string | null;
    bodyComplete: boolean;
  }): Promise<Soft404Judgement>;
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
  pending: { url: string; depth: number }[];
  links: CrawlLink[];
}

interface Fetched {
  fetch: Exclude<PageFetch, { kind: 'cancelled' }>;
  anchors: Set<string> | null;
  anchorsComplete: boolean;
  /** A redirect to a page read from its own fetch, still to come: that page's key, whose ids its fragments are. */
  idsAt?: string;
  /** Whether the answer is the host's "not found" page (absent: not judged). */
  soft404?: Soft404Judgement;
}

function baseResult(url: string, facts: CheckFacts, now: number): LinkResult {
  return {
    url,
    ...decideVerdict(facts),
    status: null,
    finalUrl: null,
    ms: 0,
    attempts: 0,
    redirects: [],
    checkedAt: now,
  };
}

/** A link into a page the crawl fetched is judged from that fetch: each page is requested once. */
function resultFromPage(url: string, page: Fetched, now: number): LinkResult {
  const f = page.fetch;
  const common = { ms: f.ms, attempts: f.attempts, redirects: f.hops, checkedAt: now };
  if (f.kind === 'refused-redirect') {
    return {
      ...baseResult(url, { kind: 'skipped', reason: 'private-network' }, now),
      ...common,
      detail: refusedRedirectNote(f.target, f.byAddress),
    };
  }
  if (f.kind === 'failure') {
    return { ...baseResult(url, { kind: 'failure', reason: f.reason }, now), ...common, ...failureWords(f) };
  }
  const fragment = fragmentOf(url);
  let state: 'found' | 'missing' | null = null;
  const notes: Note[] = [];
  if (fragment !== null && f.redirectFragment !== undefined) {
    // A browser lands at the redirect's fragment, not the link's (Fetch): the link's is not judged, as a page check does.
    notes.push({ code: 'fragment-from-redirect', fragment: f.redirectFragment });
  } else if (fragment !== null && page.anchors !== null) {
    if (page.anchors.has(fragment)) state = 'found';
    else if (page.anchorsComplete) state = 'missing';
  }
  const soft404 = page.soft404 ?? { kind: 'none' };
  // Why a link is a soft 404, or the likeness that was not enough to call it one, as a page check says.
  if (soft404.kind !== 'none') notes.push(soft404.why);
  const facts: CheckFacts = {
    kind: 'response',
    status: f.status,
    redirected: f.redirected,
    botChallenge: f.botChallenge,
    fragment: state,
    soft404: soft404.kind === 'soft-404',
  };
  return {
    ...baseResult(url, facts, now),
    ...common,
    ...(notes.length > 0 ? { notes } : {}),
    status: f.status,
    finalUrl: f.finalUrl,
  };
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
  private readonly fetched = new Map<string, Fetched>();
  /** Pages read before the worker restarted (their addresses and final addresses): only their rows are kept. */
  private readonly readBefore = new Set<string>();
  private readonly links = new Map<string, CrawlLink>();
  /** Pages queued for a level (url without fragment → depth): a page is fetched at most once. */
  private readonly planned = new Map<string, number>();
  /**
   * Links waiting for a planned page's fetch to be judged; `via`: a fragment link into a redirect to that page, judged
   * with the redirect's fetch and the page's ids.
   */
  private readonly waiting = new Map<string, { linkUrl: string; via?: Fetched }[]>();
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
    let level: { url: string; depth: number }[];
    /** Pages queued for a deeper level than the one under way (sitemap pages, a picked-up crawl's deeper pages). */
    let later: { url: string; depth: number }[] = [];
    if (progress) {
      for (const page of progress.pages) {
        this.pages.set(page.url, page);
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
      for (const link of progress.links) this.links.set(link.url, link);
      // A pending page the stored pages hold was read (the stored list was stale): it is not fetched again.
      const pending = progress.pending.filter((p) => !this.isRead(p.url));
      for (const p of pending) this.planned.set(p.url, p.depth);
      // Level by level still: a page of the next level read along with this one's could find a page of this level's
      // next one first, and take it a level too deep.
      const lowest = lowestDepth(pending);
      level = pending.filter((p) => p.depth === lowest);
      later = pending.filter((p) => p.depth > lowest);
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
      this.planned.set(start, 0);
      level = [{ url: start, depth: 0 }];
      // Sitemap pages go by the rules of the start page's links (the person's exclusions, pages that sign out or
      // unsubscribe…): one they skip is not fetched, and, being no page's link, has no row.
      const rule = this.deps.rules(this.startUrl);
      for (const seed of seeds) {
        const judged = rule(seed);
        if (judged.action !== 'check') continue;
        const url = new URL(judged.url.href);
        if (!this.isSitePage(url) || this.planned.size >= this.options.maxPages) continue;
        url.hash = '';
        if (this.planned.has(url.href) || !this.deps.robots.allows(url)) continue;
        if (this.options.maxDepth < 1) break;
        this.planned.set(url.href, 1);
        later.push({ url: url.href, depth: 1 });
      }
    }
    while (level.length > 0 && !this.signal.aborted) {
      const next: { url: string; depth: number }[] = [];
      this.events.queued(level.length + this.countLater(level));
      // A few pages of a level at a time (the limiter keeps the host's limit below that): a pause stops the crawl
      // within PAGES_AT_ONCE pages, and memory holds only those bodies.
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
      // Pages queued deeper join their level, unless a redirect read them already; when no page was found for the next
      // level, the deeper pages go on.
      const depth = next[0]?.depth ?? lowestDepth(later);
      const inNext = new Set(next.map((n) => n.url));
      for (const p of later) if (p.depth <= depth && !this.isRead(p.url) && !inNext.has(p.url)) next.push(p);
      later = later.filter((p) => p.depth > depth);
      level = next;
    }
    // What is still planned when the crawl stops short (cancelled) is not judged; a finished crawl has judged it all.
    while (this.checks.length > 0) await Promise.all(this.checks.splice(0));
  }

  /** Pages found and not fetched yet, with their depth: what a resumed crawl starts from. */
  pending(): { url: string; depth: number }[] {
    const out: { url: string; depth: number }[] = [];
    for (const [url, depth] of this.planned) if (!this.isRead(url)) out.push({ url, depth });
    return out;
  }

  /** Was this page (url without fragment) read, in this run or before the worker restarted? Each page row's was. */
  private isRead(url: string): boolean {
    return this.fetched.has(url) || this.readBefore.has(url);
  }

  private countLater(level: { url: string }[]): number {
    const inLevel = new Set(level.map((p) => p.url));
    let n = 0;
    for (const url of this.planned.keys()) if (!this.isRead(url) && !inLevel.has(url)) n += 1;
    return n;
  }

  private async fetchAndRead(url: string, depth: number, next: { url: string; depth: number }[]): Promise<void> {
    // A redirect from a page of a lower depth has read it already (see below): a page is fetched once.
    const already = this.fetched.get(url);
    if (already) {
      this.settleWaiting(url, already);
      return;
    }
    const fetch = await this.deps.fetchPage(url, PAGE_MAX_BYTES);
    if (fetch.kind === 'cancelled') return;
    const soft404 = await this.judgeSoft404(url, fetch);
    // Cut short, the look was not a judgement: the page is left as not read.
    if (this.signal.aborted) return;
    const page: CrawlPage = {
      url,
      depth,
      status: fetch.kind === 'response' ? fetch.status : null,
      finalUrl: fetch.kind === 'response' ? fetch.finalUrl : null,
      title: '',
      links: 0,
      note: '',
    };
    let fetched: Fetched = { fetch, anchors: null, anchorsComplete: false, ...soft404.asked };
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
    } else if (withoutFragment(fetch.finalUrl) !== url && this.readsThere(withoutFragment(fetch.finalUrl), depth)) {
      // A redirect to a page the crawl reads anyway: its links are read there, once, with that page as their source.
      // A fragment into it is that page's id.
      page.note = { code: 'page-read-there', finalUrl: fetch.finalUrl };
      const finalKey = withoutFragment(fetch.finalUrl);
      const there = this.fetched.get(finalKey);
      fetched = there
        ? { fetch, anchors: there.anchors, anchorsComplete: there.anchorsComplete, ...soft404.asked }
        : { fetch, anchors: null, anchorsComplete: false, idsAt: finalKey, ...soft404.asked };
    } else {
      const parsed = parsePage(fetch.body, fetch.finalUrl, PAGE_MAX_LINKS);
      fetched = { fetch, anchors: parsed.anchors, anchorsComplete: fetch.bodyComplete, ...soft404.asked };
      page.title = parsed.title;
      page.links = parsed.links.length;
      if (parsed.truncated) page.note = { code: 'page-too-many-links', max: PAGE_MAX_LINKS };
      if (!fetch.bodyComplete) page.note = { code: 'page-cut-short' };
      // Its final address is this page too, read at this depth (a redirect adds none) even if a link or the sitemap
      // queued it deeper: it is not fetched again, and a link straight to it has its answer without the redirect.
      const finalKey = withoutFragment(fetch.finalUrl);
      const { redirectFragment: _, ...straight } = fetch;
      const arrived: Fetched | null =
        finalKey === url
          ? null
          : { ...fetched, fetch: { ...straight, redirected: false, hops: [] }, soft404: soft404.arrived };
      if (arrived) {
        if ((this.planned.get(finalKey) ?? Number.POSITIVE_INFINITY) > depth) this.planned.set(finalKey, depth);
        this.fetched.set(finalKey, arrived);
      }
      this.readLinks(url, depth, parsed.links, next);
      if (arrived) this.settleWaiting(finalKey, arrived);
    }
    this.fetched.set(url, fetched);
    this.pages.set(url, page);
    this.events.page(page);
    this.settleWaiting(url, fetched);
  }

  /**
   * Judges a 2xx page answer as the engine judges a link's: the address asked for (through its redirects), and, when
   * it redirected, its final address asked for straight (a link to that one has the answer without the redirect).
   */
  private async judgeSoft404(
    url: string,
    fetch: Exclude<PageFetch, { kind: 'cancelled' }>,
  ): Promise<{ asked: { soft404?: Soft404Judgement }; arrived?: Soft404Judgement }> {
    const judge = this.deps.judgeSoft404;
    if (!judge || fetch.kind !== 'response' || fetch.status < 200 || fetch.status > 299) return { asked: {} };
    const { finalUrl, status, body, bodyComplete } = fetch;
    const finalKey = withoutFragment(finalUrl);
    const [asked, arrived] = await Promise.all([
      judge({ url, finalUrl, status, redirected: fetch.redirected, body, bodyComplete }),
      finalKey === url ? undefined : judge({ url: finalKey, finalUrl, status, redirected: false, body, bodyComplete }),
    ]);
    return { asked: { soft404: asked }, ...(arrived ? { arrived } : {}) };
  }

  /**
   * Are the links of the page a redirect leads to read from that page's own fetch: it was read already, or it is
   * read in this level (at this depth)? A page queued deeper is read from the redirect's body instead, at this depth.
   */
  private readsThere(finalKey: string, depth: number): boolean {
    return this.isRead(finalKey) || (this.planned.get(finalKey) ?? Number.POSITIVE_INFINITY) <= depth;
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
      const there = this.fetched.get(page.idsAt);
      if (!there && this.readBefore.has(page.idsAt)) {
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
    next: { url: string; depth: number }[],
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
    next: { url: string; depth: number }[],
    toCheck: CrawlLink[],
  ): void {
    const now = this.deps.now();
    if (f.url === null) {
      this.settle(link.url, {
        ...baseResult(link.url, { kind: 'invalid' }, now),
        detail: { code: 'invalid-address' },
      });
      return;
    }
    const judged = rule(link.url);
    if (judged.action === 'invalid') {
      this.settle(link.url, {
        ...baseResult(link.url, { kind: 'invalid' }, now),
        detail: { code: 'invalid-address' },
      });
      return;
    }
    if (judged.action === 'skip') {
      this.settle(link.url, skippedResult(link.url, judged.reason, now, judged.detail));
      return;
    }
    const url = judged.url;
    // Never requested at all, on the site or off it: a crawl must not change anything, nor go where it is asked not to.
    // The rules judged the URL; a site check also goes by the link's text ("Log out" on /session?x=1).
    if (isStateChanging(url, f.text)) {
      this.settle(link.url, skippedResult(link.url, 'state-changing', now, { code: 'state-changing' }));
      return;
    }
    if (f.nofollow) {
      this.settle(link.url, skippedResult(link.url, 'nofollow', now, { code: 'nofollow' }));
      return;
    }
    const onSite = url.origin === this.origin;
    if (onSite && !this.deps.robots.allows(url)) {
      this.settle(link.url, skippedResult(link.url, 'robots', now, { code: 'robots' }));
      return;
    }
    const key = withoutFragment(url.href);
    const page = this.fetched.get(key);
    if (page) {
      this.judge(link.url, page);
      return;
    }
    if (this.readBefore.has(key)) {
      // Read before the worker restarted: its answer is not kept (only its row), so the engine checks the link.
      toCheck.push(link);
      return;
    }
    if (this.planned.has(key)) {
      this.wait(key, link.url);
      return;
    }
    if (this.isSitePage(url) && depth + 1 <= this.options.maxDepth && this.planned.size < this.options.maxPages) {
      this.planned.set(key, depth + 1);
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

function skippedResult(url: string, reason: SkipReason, now: number, detail?: Note): LinkResult {
  return { ...baseResult(url, { kind: 'skipped', reason }, now), ...(detail ? { detail } : {}) };
}

/** The lowest depth of some pages (Infinity for none), without spreading thousands of them into arguments. */
function lowestDepth(pages: { depth: number }[]): number {
  return pages.reduce((lowest, p) => Math.min(lowest, p.depth), Number.POSITIVE_INFINITY);
}
