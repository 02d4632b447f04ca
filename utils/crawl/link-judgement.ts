import { baseResult, refusedRedirectNote } from '../check/check-links';
import { failureWords } from '../check/errors';
import { fragmentOf, withoutFragment } from '../check/fragments';
import type { Soft404Judgement } from '../check/soft-404/compare';
import type { Note } from '../notes/note';
import { isStateChanging } from '../rules/state-changing';
import type { Rule, SkipReason } from '../rules/url-rules';
import type { LinkResult } from '../types';
import type { CheckFacts } from '../verdict';
import type { PageFetch } from './fetch-page';
import type { RobotsRules } from './robots';

/** How a link is judged before any request: the page check's URL rules (schemes, exclusions, private network). */
export type LinkRule = (url: string) => Rule;

/** A page's 2xx answer as soft-404 detection reads it (see CrawlDeps.judgeSoft404). */
export interface PageAnswer {
  url: string;
  finalUrl: string;
  status: number;
  redirected: boolean;
  /** The fragment a redirect named (without `#`), when one did. */
  redirectFragment?: string;
  body: string | null;
  bodyComplete: boolean;
}

/** A page the crawl fetched, as the links into it are judged: from this fetch, not a request of their own. */
export interface Fetched {
  fetch: Exclude<PageFetch, { kind: 'cancelled' }>;
  anchors: Set<string> | null;
  anchorsComplete: boolean;
  /** A redirect to a page read from its own fetch, still to come: that page's key, whose ids its fragments are. */
  idsAt?: string;
  /** Whether the answer is the host's "not found" page (absent: not judged). */
  soft404?: Soft404Judgement;
}

/**
 * A page's answer as the links into it are judged, without its body: a crawl keeps one for every page it read, and
 * the body (up to 4 MB) is needed only until the page is parsed.
 */
export function withoutBody(fetch: Fetched['fetch']): Fetched['fetch'] {
  if (fetch.kind !== 'response') return fetch;
  const { body: _, bytes: __, ...answer } = fetch;
  return { ...answer, body: null };
}

/** A link into a page the crawl fetched is judged from that fetch: each page is requested once. */
export function resultFromPage(url: string, page: Fetched, now: number): LinkResult {
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

export function skippedResult(url: string, reason: SkipReason, now: number, detail?: Note): LinkResult {
  return { ...baseResult(url, { kind: 'skipped', reason }, now), ...(detail ? { detail } : {}) };
}

/**
 * Judges a new link of a crawled page before any request: an address that does not resolve, one the rules skip, one
 * that changes state, a `rel=nofollow` link or a page of the site robots.txt disallows has its result here; any other
 * goes on with its URL as the rules gave it.
 */
export function judgeBeforeRequest(
  linkUrl: string,
  f: { url: string | null; text: string; nofollow: boolean },
  at: { rule: LinkRule; origin: string; robots: RobotsRules; now: number },
): { result: LinkResult } | { url: URL } {
  const { now } = at;
  if (f.url === null) {
    return { result: { ...baseResult(linkUrl, { kind: 'invalid' }, now), detail: { code: 'invalid-address' } } };
  }
  const judged = at.rule(linkUrl);
  if (judged.action === 'invalid') {
    return { result: { ...baseResult(linkUrl, { kind: 'invalid' }, now), detail: { code: 'invalid-address' } } };
  }
  if (judged.action === 'skip') return { result: skippedResult(linkUrl, judged.reason, now, judged.detail) };
  const url = judged.url;
  // Never requested at all, on the site or off it: a crawl must not change anything, nor go where it is asked not to.
  // The rules judged the URL; a site check also goes by the link's text ("Log out" on /session?x=1).
  if (isStateChanging(url, f.text)) {
    return { result: skippedResult(linkUrl, 'state-changing', now, { code: 'state-changing' }) };
  }
  if (f.nofollow) return { result: skippedResult(linkUrl, 'nofollow', now, { code: 'nofollow' }) };
  const onSite = url.origin === at.origin;
  if (onSite && !at.robots.allows(url)) return { result: skippedResult(linkUrl, 'robots', now, { code: 'robots' }) };
  return { url };
}

/** A page's soft-404 judgement (see judgePageSoft404). */
export interface PageSoft404 {
  asked: { soft404?: Soft404Judgement };
  arrived?: Soft404Judgement;
}

/**
 * Judges a 2xx page answer as the engine judges a link's: the address asked for (through its redirects), and, when
 * it redirected, its final address asked for straight (a link to that one has the answer without the redirect). The
 * judge is handed the body now and the body is not held while the judgement waits (for the host's probe). Null when
 * there is nothing to judge: no judge, or not a 2xx answer.
 */
export function judgePageSoft404(
  judge: ((answer: PageAnswer) => Promise<Soft404Judgement>) | undefined,
  url: string,
  fetch: Exclude<PageFetch, { kind: 'cancelled' }>,
): Promise<PageSoft404> | null {
  if (!judge || fetch.kind !== 'response' || fetch.status < 200 || fetch.status > 299) return null;
  const { finalUrl, status, body, bodyComplete } = fetch;
  const finalKey = withoutFragment(finalUrl);
  const { redirectFragment } = fetch;
  const asked = judge({
    url,
    finalUrl,
    status,
    redirected: fetch.redirected,
    ...(redirectFragment !== undefined ? { redirectFragment } : {}),
    body,
    bodyComplete,
  });
  const arrived =
    finalKey === url ? undefined : judge({ url: finalKey, finalUrl, status, redirected: false, body, bodyComplete });
  return Promise.all([asked, arrived]).then(([soft404, there]) => ({
    asked: { soft404 },
    ...(there ? { arrived: there } : {}),
  }));
}
