import type { AddressGuard } from '../../rules/address-guard';
import type { Settings } from '../../settings';
import { sendsCookiesTo, type TargetDeps } from '../check-target';
import { followHops } from '../follow-hops';
import type { Limiter } from '../limiter';
import { type HostProfile, isFrontPath, judgeSoft404, type LinkAnswer, type Soft404Judgement } from './compare';
import { fingerprintPage } from './page';

/** A not-found page, or a page compared with one, is read up to this much. */
export const SOFT_404_BODY_CAP = 64 * 1024;
/** All the pages one run reads to compare with not-found pages: 128 pages at the cap. */
export const SOFT_404_RUN_BODY_BUDGET = 8 * 1024 * 1024;
/**
 * Learning a host's not-found page costs at most this many requests, redirect hops included (the contract): the probe
 * follows at most two redirects.
 */
export const PROBE_MAX_REQUESTS = 3;

/** Host profiles live as long as the results checked with them (the result cache's lifetime). */
export interface ProfileCache {
  getProfile(key: string, maxAgeMs: number): HostProfile | undefined;
  putProfile(key: string, profile: HostProfile): void;
}

/** Bytes a run may still read; a read reserves the cap and gives back what it did not use. */
export interface BodyBudget {
  reserve(bytes: number): boolean;
  release(bytes: number): void;
}

export function createBodyBudget(total: number): BodyBudget {
  let left = total;
  return {
    reserve(bytes) {
      if (bytes > left) return false;
      left -= bytes;
      return true;
    },
    release(bytes) {
      left = Math.min(total, left + bytes);
    },
  };
}

/**
 * What a run has learned and spent: one profile per host (its probe sent once), and the body budget. A run or a site
 * check that calls the checker more than once (links added later, page after page) passes one session to every call.
 */
export interface Soft404Session {
  profiles: Map<string, Promise<HostProfile>>;
  budget: BodyBudget;
  /** Whether a probe may be sent to this URL (a site check keeps to robots.txt); no probe, nothing learned. */
  mayProbe: (url: string) => boolean;
}

export function createSoft404Session(mayProbe: (url: string) => boolean = () => true): Soft404Session {
  return { profiles: new Map(), budget: createBodyBudget(SOFT_404_RUN_BODY_BUDGET), mayProbe };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The probe plan: one path per host and run that no page can link to — twenty random letters at the root, new for
 * every run so that no cache along the way (the browser's, a CDN's) can answer it.
 */
export function probeUrlFor(origin: string, random: () => number): string {
  let token = '';
  for (let i = 0; i < 20; i++) token += LETTERS[Math.floor(random() * LETTERS.length)] ?? 'x';
  return `${origin}/${token}`;
}

export interface DetectorContext {
  settings: Settings;
  limiter: Limiter;
  deps: TargetDeps;
  signal: AbortSignal;
  allowRedirect?: (target: URL) => boolean;
  /** The guard by address (see RequestOptions.addressGuard): probes go nowhere it closed. */
  addressGuard?: AddressGuard;
  session: Soft404Session;
  /**
   * Ends the probes this detector starts: a run's own probes end with the run (checkLinks aborts it then), while a site
   * check's shared session keeps its probes for its later pages. The run's signal when absent.
   */
  probeSignal?: AbortSignal;
  cache?: ProfileCache;
  /** Take a cached profile (a new run) or probe again (a re-check). */
  useCache?: boolean;
  /** Cookies (when the settings send them) go to requests of this origin only, as the link checks' (check-target.ts). */
  cookieOrigin?: string;
}

/** The verdict-relevant outcome of looking at one link, and what it cost (one GET when its page was read). */
export interface Inspection {
  judgement: Soft404Judgement;
  attempts: number;
  ms: number;
}

/** File types that are never a not-found page: their bodies are not read. */
const NOT_A_PAGE =
  /\.(pdf|zip|gz|tgz|bz2|xz|7z|rar|png|jpe?g|gif|webp|avif|svg|ico|mp[34]|m4a|webm|ogg|wav|mov|avi|woff2?|ttf|css|js|json|xml|csv|txt|exe|dmg|iso|apk)$/i;

const isHtml = (headers: Headers) =>
  /^\s*(text\/html|application\/xhtml\+xml)/i.test(headers.get('content-type') ?? '');

/**
 * Soft-404 detection for one run: probes each host once (lazily, when it has a link below its front page), reads pages
 * only on hosts whose probe answered 2xx, and judges each 2xx answer with `judgeSoft404`.
 */
export function createSoft404Detector(ctx: DetectorContext) {
  const { settings, limiter, deps, signal } = ctx;
  const { profiles, budget } = ctx.session;
  const timeoutMs = settings.requestTimeoutSec * 1000;
  const cookiesTo = (url: string) => sendsCookiesTo(url, settings, ctx.cookieOrigin);
  const cacheKey = (origin: string) => `${origin}${cookiesTo(origin) ? ' cookies' : ''}`;
  const maxAgeMs = settings.cacheMinutes * 60_000;

  /** One GET, each hop through its host's limit; a 2xx HTML body is read up to the cap when `readBody` (its budget reserved). */
  async function get(
    url: string,
    readBody: boolean,
    allowRedirect: ((target: URL) => boolean) | undefined,
    signal = ctx.signal,
  ) {
    const followed = await followHops(
      url,
      {
        limiter,
        signal,
        allowRedirect,
        optionsFor: (hopUrl) => ({
          method: 'GET',
          timeoutMs,
          signal,
          sendCookies: cookiesTo(hopUrl),
          readBodyBytes: readBody ? SOFT_404_BODY_CAP : undefined,
          // Only a page can be a not-found page: a file (a download at an address without an ending) is not read.
          readBodyOf: isHtml,
          addressGuard: ctx.addressGuard,
        }),
      },
      deps,
    ).catch(() => ({ kind: 'cancelled' as const }));
    // Nothing here is refused for time (no optionsFor returns null): a chain not sent is a cancelled one.
    const outcome = followed.kind === 'not-sent' ? { kind: 'cancelled' as const } : followed;
    const read = outcome.kind === 'response' ? (outcome.body?.length ?? 0) : 0;
    if (readBody) budget.release(SOFT_404_BODY_CAP - Math.min(read, SOFT_404_BODY_CAP));
    return outcome;
  }

  async function probe(origin: string): Promise<HostProfile> {
    const probeUrl = probeUrlFor(origin, deps.random);
    if (!ctx.session.mayProbe(probeUrl)) return { kind: 'unknown', why: 'not to be requested' };
    let hops = 0;
    // Always hop by hop, so that the hops are counted (and the private-network guard still holds for each).
    const allow = (target: URL) => {
      hops += 1;
      return hops < PROBE_MAX_REQUESTS && (ctx.allowRedirect?.(target) ?? true);
    };
    const outcome = await get(probeUrl, budget.reserve(SOFT_404_BODY_CAP), allow, ctx.probeSignal ?? signal);
    if (outcome.kind === 'cancelled') return { kind: 'unknown', why: 'cancelled' };
    if (outcome.kind === 'failure') return { kind: 'unknown', why: outcome.failure.text };
    if (outcome.kind === 'refused-redirect') return { kind: 'unknown', why: 'too many redirects, or a refused one' };
    if (outcome.status < 200 || outcome.status > 299) return { kind: 'honest', status: outcome.status };
    // Sent on to a front page, the probe read the front page, not a not-found page: a page like it is that page again
    // (a copy, a landing page), and a dead link on this host is redirected there (see judgeSoft404), not compared.
    const atFront = outcome.redirected && isFrontPath(new URL(outcome.finalUrl));
    const page =
      outcome.body !== null && isHtml(outcome.headers) && !atFront
        ? fingerprintPage(outcome.body, [probeUrl, outcome.finalUrl], outcome.bodyTruncated)
        : null;
    return {
      kind: 'soft',
      probeUrl,
      finalUrl: outcome.finalUrl,
      status: outcome.status,
      redirected: outcome.redirected,
      ...(outcome.redirectFragment !== undefined ? { redirectFragment: outcome.redirectFragment } : {}),
      page,
    };
  }

  function profileFor(origin: string): Promise<HostProfile> {
    // With cookies or without, a host may answer differently: two profiles.
    const key = cacheKey(origin);
    const known = profiles.get(key);
    if (known) return known;
    const cached = ctx.useCache && maxAgeMs > 0 ? ctx.cache?.getProfile(key, maxAgeMs) : undefined;
    const profile = cached
      ? Promise.resolve(cached)
      : probe(origin).then((learned) => {
          // A cancelled probe learned nothing about the host: never keep that, so a later run probes again.
          if (learned.kind === 'unknown' && learned.why === 'cancelled') {
            if (profiles.get(key) === profile) profiles.delete(key);
          } else if (maxAgeMs > 0) ctx.cache?.putProfile(key, learned);
          return learned;
        });
    profiles.set(key, profile);
    return profile;
  }

  return {
    /** Starts learning the host of a link early, so its answer does not wait for the probe. */
    warm(url: URL): void {
      // Already parsed: isDeepLink would parse its text again, for every link of the run.
      if (!isFrontPath(url)) void profileFor(url.origin);
    },

    /** `requested` is `answer.url` parsed, when the caller has it (nothing here changes it). */
    async inspect(answer: LinkAnswer, requested = URL.parse(answer.url)): Promise<Inspection> {
      const none: Inspection = { judgement: { kind: 'none' }, attempts: 0, ms: 0 };
      // Only a deep link (see isDeepLink) can be a soft 404.
      if (answer.status < 200 || answer.status > 299 || !requested || isFrontPath(requested)) return none;
      const profile = await profileFor(requested.origin);
      const judgement = judgeSoft404(answer, profile, requested);
      if (judgement.kind === 'soft-404' || profile.kind !== 'soft' || !profile.page) return { ...none, judgement };
      // A page in hand (a site check's crawled page, or none when it was not HTML) is not asked for again.
      if (answer.page !== undefined) return { ...none, judgement };
      if (NOT_A_PAGE.test(new URL(answer.finalUrl).pathname)) return { ...none, judgement };
      if (!budget.reserve(SOFT_404_BODY_CAP)) {
        const why = { code: 'suspect-not-compared' } as const;
        return { ...none, judgement: judgement.kind === 'none' ? { kind: 'suspect', why } : judgement };
      }
      const start = deps.now();
      const outcome = await get(answer.url, true, ctx.allowRedirect);
      const ms = deps.now() - start;
      if (outcome.kind !== 'response' || outcome.body === null || !isHtml(outcome.headers)) {
        return { judgement, attempts: 1, ms };
      }
      const page = fingerprintPage(outcome.body, [answer.url, outcome.finalUrl], outcome.bodyTruncated);
      return { judgement: judgeSoft404({ ...answer, page }, profile, requested), attempts: 1, ms };
    },
  };
}

export type Soft404Detector = ReturnType<typeof createSoft404Detector>;
