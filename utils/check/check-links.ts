import type { Note } from '../notes/note';
import { type AddressGuard, createAddressGuard } from '../rules/address-guard';
import { createUrlRules, privateNetworkGuard } from '../rules/url-rules';
import { globalLimit, perHostLimitH2, type Settings } from '../settings';
import type { FoundLink, LinkResult } from '../types';
import { type CheckFacts, decideVerdict } from '../verdict';
import { watchAbort } from './abort-fanout';
import { admitByKey } from './admit';
import { createBytePool, RUN_BODY_BYTES } from './body-pool';
import { checkTarget, type TargetDeps, type TargetOutcome } from './check-target';
import { failureWords } from './errors';
import { type FragmentTarget, fragmentTargetOf, withoutFragment } from './fragments';
import { createLimiter, type Limiter, sleepUnlessAborted } from './limiter';
import { answerContext } from './result-cache';
import type { Soft404Judgement } from './soft-404/compare';
import {
  createSoft404Detector,
  createSoft404Session,
  type ProfileCache,
  type Soft404Session,
} from './soft-404/detector';
import { judgeFragment } from './target-document';

/** Recent results, shared across runs and tabs, so a re-check does not hammer the same servers. */
export interface ResultCache extends Partial<ProfileCache> {
  /** A result for `url`, under the same answer context (see answerContext), checked no longer than `maxAgeMs` ago. */
  get(url: string, context: string, maxAgeMs: number): LinkResult | undefined;
  put(result: LinkResult, context: string): void;
}

/**
 * What the jobs of one run share. A run is checked in several jobs — the links a live page adds later, each page of a
 * site check — and what one job learned holds for the next: the hosts the guard by address closed (else each job would
 * send one more request into the user's network) and each host's not-found page (at most 3 probes a host and run). Each
 * is made by the first job that needs it.
 */
export interface RunScope {
  addressGuard?: AddressGuard;
  soft404Session?: Soft404Session;
  /**
   * The soft-404 probes serve the scope's later jobs (a site check's later pages), so they end with the run's signal. A
   * page run's end with each job: one still queued when its job's links are done serves nobody, and would go out later.
   */
  probesOutliveJobs?: boolean;
}

/** The cache's soft-404 host profiles, where it keeps them. */
export function profileCacheOf(cache: ResultCache | undefined): ProfileCache | undefined {
  return cache?.getProfile && cache.putProfile ? (cache as ProfileCache) : undefined;
}

export interface CheckLinksOptions {
  pageUrl: string;
  links: FoundLink[];
  settings: Settings;
  deps: TargetDeps;
  signal: AbortSignal;
  cache?: ResultCache;
  /** Take recent results from the cache (a new run) or ask the servers again (a re-check). */
  useCache?: boolean;
  /** One limiter for every run, so that a host's limit holds across tabs; a run of its own when not given. */
  limiter?: Limiter;
  /** What the run's earlier jobs learned (see RunScope); a scope of this job's own when not given. */
  scope?: RunScope;
  /**
   * Cookies (when the settings send them) go only to requests of this origin, redirect hops included: a site check "as
   * me" sends them to the site's own pages, never to where one of its links redirects. To every request when absent.
   */
  cookieOrigin?: string;
  /** A request for this link was sent. */
  onChecking?: (url: string) => void;
  onResult: (result: LinkResult) => void;
}

/**
 * The URL a link's request goes to: no fragment (it never reaches the server), and no name and password — fetch refuses
 * an address that holds them, and a checker must not hand a page's credentials to a server.
 */
function requestUrlOf(url: URL, href: string): string {
  // Most links hold neither: then the address is the link's own, without a second parse (2 000 links at a run's start).
  if (url.username === '' && url.password === '') return withoutFragment(href);
  const request = new URL(url.href);
  request.username = '';
  request.password = '';
  return withoutFragment(request.href);
}

/** What the details of a link say about how it was checked, beyond its verdict. */
function noteFor(link: FoundLink, ...more: (Note | null)[]): { notes?: Note[] } {
  const notes: Note[] = [];
  // No `@`, no name or password: most links are not parsed again for every result.
  const url = link.url.includes('@') ? URL.parse(link.url) : null;
  if (url && (url.username !== '' || url.password !== '')) notes.push({ code: 'credentials-not-sent' });
  for (const note of more) if (note) notes.push(note);
  return notes.length > 0 ? { notes } : {};
}

interface Target {
  url: URL;
  /** `url` as text (each read of a URL's `href` makes the string again). */
  href: string;
  /** The fragments its links point to, checked in one read of the document. */
  fragments: FragmentTarget[];
  links: FoundLink[];
}

/** Error texts (a browser's words, a server's reason) are kept to this many characters: they are words, not data. */
export const MAX_ERROR_TEXT = 2_000;

const capText = (text: string) => (text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT - 1)}…` : text);

/** A note's texts kept to the cap too (an address a hostile redirect names, an error message). */
function capNote(note: Note): Note {
  return Object.fromEntries(
    Object.entries(note).map(([key, value]) => [key, typeof value === 'string' ? capText(value) : value]),
  ) as Note;
}

/** A link's result from its facts alone: the verdict, no answer (the engine's and the site check's). */
export function baseResult(url: string, facts: CheckFacts, now: number): LinkResult {
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

function judge(link: FoundLink, facts: CheckFacts, extra: Partial<LinkResult>, now: number): LinkResult {
  const { errorText, detail } = extra;
  if (errorText !== undefined) extra = { ...extra, errorText: capText(errorText) };
  if (detail !== undefined) extra = { ...extra, detail: capNote(detail) };
  return { ...baseResult(link.url, facts, now), ...extra };
}

/**
 * Why the private-network guard stopped a link at `target`: by name, or by address (then it says whether a request
 * reached the private address).
 */
export function refusedRedirectNote(target: string, byAddress?: { reached: string | null }): Note {
  if (!byAddress) return { code: 'redirect-private', target };
  const host = URL.parse(target)?.host ?? target;
  const { reached } = byAddress;
  return reached === null ? { code: 'private-by-address', host } : { code: 'private-reached', host, address: reached };
}

function resultFor(
  link: FoundLink,
  outcome: Exclude<TargetOutcome, { kind: 'cancelled' }>,
  now: number,
  soft404: Soft404Judgement = { kind: 'none' },
): LinkResult {
  const common = { ms: outcome.ms, attempts: outcome.attempts, redirects: outcome.hops, ...noteFor(link) };
  if (outcome.kind === 'refused-redirect') {
    const detail = refusedRedirectNote(outcome.target, outcome.byAddress);
    return judge(link, { kind: 'skipped', reason: 'private-network' }, { ...common, detail }, now);
  }
  if (outcome.kind === 'failure') {
    return judge(
      link,
      { kind: 'failure', reason: outcome.failure.reason },
      { ...common, ...failureWords(outcome.failure) },
      now,
    );
  }
  const target = fragmentTargetOf(link.url);
  // The hosts (for a site's id rules) matter only where a document was read for a fragment: most links have neither.
  const hosts =
    target && outcome.document
      ? [URL.parse(outcome.finalUrl)?.hostname ?? '', URL.parse(link.url)?.hostname ?? '']
      : [];
  const fragment = judgeFragment(outcome.document, target, hosts, outcome.redirectFragment);
  return judge(
    link,
    {
      kind: 'response',
      status: outcome.status,
      redirected: outcome.redirected,
      botChallenge: outcome.botChallenge,
      fragment: fragment.state,
      soft404: soft404.kind === 'soft-404',
    },
    {
      ...common,
      // Why a link is a soft 404, or the likeness that was not enough to call it one.
      ...noteFor(link, fragment.note, soft404.kind === 'none' ? null : soft404.why),
      status: outcome.status,
      finalUrl: outcome.finalUrl,
    },
    now,
  );
}

/** What the cache keeps apart: answers a run took only because its page is on a private network (see answerContext). */
const PRIVATE_NETWORK_CONTEXT = 'answered for a page on a private network';

/** Every host a check's answer came through: the link's own, each redirect hop's, and the last one's. */
function hostsOf(url: URL, outcome: TargetOutcome): string[] {
  const hosts = [url.host];
  if ('hops' in outcome) for (const hop of outcome.hops) hosts.push(URL.parse(hop.url)?.host ?? '');
  if (outcome.kind === 'response') hosts.push(URL.parse(outcome.finalUrl)?.host ?? '');
  return hosts;
}

/**
 * Checks every link of a run: rules first (no request for skipped links), then one check per distinct request URL
 * (links differing only in fragment share one request), all under the global and per-host limits.
 */
export async function checkLinks(options: CheckLinksOptions): Promise<void> {
  const { settings, deps, signal, cache } = options;
  const rules = createUrlRules(options.pageUrl, settings);
  const context = answerContext(options.pageUrl, settings);
  const allowRedirect = privateNetworkGuard(options.pageUrl, settings);
  // Where the guard by name applies, the guard by address backs it wherever the browser reports addresses.
  const { pageAddress } = deps;
  const bodyPool = createBytePool(RUN_BODY_BYTES);
  const scope = options.scope ?? {};
  if (allowRedirect && pageAddress) {
    scope.addressGuard ??= createAddressGuard(() => pageAddress(options.pageUrl), {
      resolve: deps.resolveHost,
      addressSpaces: deps.addressSpaces,
    });
  }
  const { addressGuard } = scope;
  const limits = {
    global: globalLimit(settings),
    perHost: settings.perHostConcurrency,
    perHostMultiplexed: perHostLimitH2(settings),
  };
  // A shared limiter keeps the per-host limit across runs (two tabs on one host); this run joins it with its own limits.
  const shared =
    options.limiter ??
    createLimiter({ ...limits, now: deps.now, sleep: (ms, taskSignal) => deps.sleep(ms, taskSignal ?? signal) });
  const targets = new Map<string, Target>();
  const addTarget = (link: FoundLink, url: URL) => {
    const href = url.href;
    const key = requestUrlOf(url, href);
    // The rule's parse is this link's own: it serves as the target's address when it is that address already.
    const target = targets.get(key) ?? { url: href === key ? url : new URL(key), href: key, fragments: [], links: [] };
    target.links.push(link);
    const fragment = fragmentTargetOf(link.url);
    if (fragment) target.fragments.push(fragment);
    targets.set(key, target);
  };
  const recent = (url: string, under: string) =>
    options.useCache && settings.cacheMinutes > 0 ? cache?.get(url, under, settings.cacheMinutes * 60_000) : undefined;
  /** Results of a private network's hosts, kept from a run on that network: see answeredForPageOnly. */
  const localContext = addressGuard ? `${context}|${PRIVATE_NETWORK_CONTEXT}` : null;
  const forPrivatePage: { link: FoundLink; url: URL; result: LinkResult }[] = [];
  for (const link of options.links) {
    const rule = rules(link.url);
    if (rule.action === 'invalid') {
      options.onResult(judge(link, { kind: 'invalid' }, { detail: { code: 'invalid-address' } }, deps.now()));
      continue;
    }
    if (rule.action === 'skip') {
      const extra = rule.detail === undefined ? {} : { detail: rule.detail };
      options.onResult(judge(link, { kind: 'skipped', reason: rule.reason }, extra, deps.now()));
      continue;
    }
    if (link.samePageFragment) {
      // A fragment into the page itself is judged on the live DOM: no request at all.
      const facts: CheckFacts = {
        kind: 'response',
        status: 200,
        redirected: false,
        botChallenge: false,
        fragment: link.samePageFragment,
      };
      options.onResult(judge(link, facts, {}, deps.now()));
      continue;
    }
    const cached = recent(link.url, context);
    if (cached) {
      options.onResult({ ...cached, cached: true });
      continue;
    }
    const local = localContext ? recent(link.url, localContext) : undefined;
    if (local) forPrivatePage.push({ link, url: rule.url, result: local });
    else addTarget(link, rule.url);
  }
  // An answer kept from a page on a private network is this run's only if its page is on one too; if not, the link is
  // checked (and the guard judges it) as if nothing were kept.
  if (forPrivatePage.length > 0 && addressGuard) {
    // A lookup that does not answer holds these links no longer than their own request would wait for it.
    const waited = new AbortController();
    const stopWaiting = watchAbort(signal, () => waited.abort());
    const onPrivateNetwork = await Promise.race([
      addressGuard.pageOnPrivateNetwork(),
      deps.sleep(settings.requestTimeoutSec * 1000, waited.signal).then(() => false),
    ]).finally(() => {
      waited.abort();
      stopWaiting();
    });
    for (const { link, url, result } of forPrivatePage) {
      if (onPrivateNetwork) options.onResult({ ...result, cached: true });
      else addTarget(link, url);
    }
  }
  // Hosts take turns, and only a bounded number of checks is pending at once (see admitByKey): twice the limits, so the
  // next check of a host is ready the moment one of its requests ends.
  const byHost = new Map<string, Target[]>();
  for (const target of targets.values()) {
    const list = byHost.get(target.url.host);
    if (list) list.push(target);
    else byHost.set(target.url.host, [target]);
  }
  const admission = {
    total: 2 * globalLimit(settings),
    perKey: 2 * Math.max(limits.perHost, limits.perHostMultiplexed),
  };
  // Joined only now that nothing before can throw: a run that never leaves would keep its per-host limit on everyone.
  const limiter = shared.join(limits);
  const ownProbes = scope.probesOutliveJobs ? null : new AbortController();
  const endOwnProbes = () => ownProbes?.abort();
  const stopWatching = watchAbort(signal, endOwnProbes);
  if (settings.detectSoft404) scope.soft404Session ??= createSoft404Session();
  const soft404 =
    settings.detectSoft404 && scope.soft404Session
      ? createSoft404Detector({
          settings,
          limiter,
          deps,
          signal,
          allowRedirect,
          addressGuard,
          session: scope.soft404Session,
          probeSignal: ownProbes?.signal,
          cache: profileCacheOf(cache),
          useCache: options.useCache,
          cookieOrigin: options.cookieOrigin,
        })
      : null;
  await admitByKey(byHost, admission, async (target) => {
    if (signal.aborted) return;
    soft404?.warm(target.url);
    let outcome: Awaited<ReturnType<typeof checkTarget>>;
    let judgement: Soft404Judgement = { kind: 'none' };
    try {
      outcome = await checkTarget(target.url, target.fragments, {
        settings,
        limiter,
        deps,
        signal,
        allowRedirect,
        addressGuard,
        cookieOrigin: options.cookieOrigin,
        bodyPool,
        onSend: () => {
          for (const link of target.links) options.onChecking?.(link.url);
        },
      });
      if (soft404 && outcome.kind === 'response') {
        const seen = await soft404.inspect({ url: target.href, ...outcome }, target.url);
        judgement = seen.judgement;
        outcome = { ...outcome, attempts: outcome.attempts + seen.attempts, ms: outcome.ms + seen.ms };
        // Cut short, the look was not a judgement: neither shown nor cached.
        if (signal.aborted) return;
      }
    } catch (error) {
      // A fault of ours must not leave links without a verdict while the run says it is done.
      const message = String((error as Error)?.message ?? error);
      const detail: Note = { code: 'not-judged', error: message };
      for (const link of target.links) {
        options.onResult(judge(link, { kind: 'failure', reason: 'network' }, { detail }, deps.now()));
      }
      return;
    }
    if (outcome.kind === 'cancelled') return;
    // A host refused by its address was judged from this page's network, which the cache's context does not know:
    // a page on that network may check it (and a new run asks nothing of it either way).
    // Reuse turned off (0 minutes) keeps nothing either: the privacy text promises no cache then.
    const cacheable = settings.cacheMinutes > 0 && !(outcome.kind === 'refused-redirect' && outcome.byAddress);
    // An answer taken only because this page is on a private network is kept for pages on one.
    const under =
      localContext && addressGuard && hostsOf(target.url, outcome).some((h) => addressGuard.answeredForPageOnly(h))
        ? localContext
        : context;
    for (const link of target.links) {
      const result = resultFor(link, outcome, deps.now(), judgement);
      if (cacheable) cache?.put(result, under);
      options.onResult(result);
    }
  }).finally(() => {
    endOwnProbes();
    stopWatching();
    limiter.leave();
  });
}

/** Real-time dependencies for the checker (the worker and Node both have these). */
export function realTimeDeps(fetchImpl: typeof fetch): TargetDeps {
  return {
    // Called as a plain function: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    fetch: (input, init) => fetchImpl(input, init),
    now: Date.now,
    random: Math.random,
    sleep: sleepUnlessAborted,
  };
}
