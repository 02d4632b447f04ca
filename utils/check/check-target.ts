import { LINK_DEADLINE_MS, type Settings } from '../settings';
import type { Hop } from '../types';
import { isBotChallenge } from '../verdict';
import { isBrowserThrottle, type NetworkFailure } from './errors';
import { extractAnchors } from './fragments';
import type { Limiter } from './limiter';
import { type RequestDeps, type RequestOutcome, sendRequest } from './request';
import { backoffMs, isTransientFailure, isTransientStatus, parseRetryAfter } from './retry';

/** Fragment checks read at most this much of a document. */
export const FRAGMENT_BODY_CAP = 2 * 1024 * 1024;

export interface TargetDeps extends RequestDeps {
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
}

export interface TargetContext {
  settings: Settings;
  limiter: Limiter;
  deps: TargetDeps;
  signal: AbortSignal;
  /** Called when the first request for this target is sent. */
  onSend?: () => void;
  /** The private-network guard for redirect targets (see RequestOptions.allowRedirect). */
  allowRedirect?: (target: URL) => boolean;
}

/** What one request URL (fragment removed) answered, after HEAD→GET fallback and retries. */
export type TargetOutcome = (
  | {
      kind: 'response';
      status: number;
      finalUrl: string;
      redirected: boolean;
      hops: Hop[];
      botChallenge: boolean;
      /** ids and names of the document, when it was read for fragments (HTML only). */
      anchors: Set<string> | null;
      /** False when the document was longer than the cap, so a missing anchor may lie beyond what was read. */
      anchorsComplete: boolean;
    }
  | { kind: 'failure'; failure: NetworkFailure; hops: Hop[] }
  | { kind: 'refused-redirect'; target: string; hops: Hop[] }
  | { kind: 'cancelled' }
) & { attempts: number; ms: number };

function isHtml(headers: Headers): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)/i.test(headers.get('content-type') ?? '');
}

/**
 * Checks one request URL. HEAD first (cheap); any HEAD answer but 2xx/3xx, or a HEAD failure, is confirmed by GET,
 * since many servers mishandle HEAD. Transient failures are retried with backoff within the link's deadline.
 */
export async function checkTarget(url: URL, readBody: boolean, ctx: TargetContext): Promise<TargetOutcome> {
  const { settings, limiter, deps, signal } = ctx;
  // The link's clock starts with its first request: time spent waiting for a slot, or while its host is paused by
  // another link's Retry-After, is not the link's own and must not eat its deadline.
  let start: number | null = null;
  let deadline = Number.POSITIVE_INFINITY;
  const host = url.host;
  let method: 'HEAD' | 'GET' = readBody ? 'GET' : 'HEAD';
  let attempts = 0;
  let retries = 0;
  let lastResponse: Extract<RequestOutcome, { kind: 'response' }> | null = null;
  /** The last real answer or failure, and the last outcome of any kind (a refusal by the browser's back-off too). */
  let lastOutcome: RequestOutcome | null = null;
  let lastRefusal: RequestOutcome | null = null;
  for (;;) {
    let outcome: RequestOutcome | { kind: 'expired' } = await limiter
      .run(
        host,
        async (): Promise<RequestOutcome | { kind: 'expired' }> => {
          if (start === null) {
            start = deps.now();
            deadline = start + LINK_DEADLINE_MS;
            ctx.onSend?.();
          } else if (deps.now() >= deadline) {
            // The deadline passed while a retry waited for its turn: nothing more is sent.
            return { kind: 'expired' };
          }
          attempts += 1;
          const remaining = deadline - deps.now();
          return sendRequest(
            url.href,
            {
              method,
              timeoutMs: Math.max(1, Math.min(settings.requestTimeoutSec * 1000, remaining)),
              signal,
              sendCookies: settings.sendCookies,
              readBodyBytes: readBody ? FRAGMENT_BODY_CAP : undefined,
              allowRedirect: ctx.allowRedirect,
            },
            deps,
          );
        },
        { signal, urgent: start !== null },
      )
      .catch((error: unknown) => {
        // Leaving the queue on cancel is the one expected rejection; anything else is a fault for the caller to report.
        if (signal.aborted) return { kind: 'cancelled' as const };
        throw error;
      });
    const ms = () => (start === null ? 0 : deps.now() - start);
    if (outcome.kind === 'cancelled') return { kind: 'cancelled', attempts, ms: ms() };
    // Asking again (or with GET) would only be sent to the same place.
    if (outcome.kind === 'refused-redirect') return { ...outcome, attempts, ms: ms() };
    let answered = false;
    let heldBack = false;
    if (outcome.kind === 'expired') {
      // The last real answer stands; when the browser refused every attempt, that refusal is the link's failure. (There
      // is one or the other: the clock starts with the first request.)
      const last = lastOutcome ?? lastRefusal;
      if (!last) return { kind: 'cancelled', attempts, ms: ms() };
      outcome = last;
      answered = true;
    } else if (outcome.kind === 'failure' && isBrowserThrottle(outcome.failure)) {
      // Chromium refuses to send anything to a URL that answered an extension 5xx a few times, for a growing while.
      lastRefusal = outcome;
      attempts -= 1;
      // Within this check, the answer the server last gave stands: asking again now would only be refused again.
      if (lastResponse) {
        outcome = lastResponse;
        answered = true;
      } else {
        // Held back before any answer (the URL failed in an earlier run): wait out the browser's back-off and retry.
        heldBack = true;
      }
    } else {
      lastOutcome = outcome;
    }
    if (outcome.kind === 'response') lastResponse = outcome;
    const remaining = answered ? 0 : deadline - deps.now();
    // A 429 waits for the retry below: a GET at once would only hit the rate limit once more.
    if (
      method === 'HEAD' &&
      !heldBack &&
      (outcome.kind === 'failure' || (outcome.status >= 400 && outcome.status !== 429))
    ) {
      method = 'GET';
      if (remaining > 0) continue;
    }
    const transient =
      heldBack ||
      (outcome.kind === 'response' ? isTransientStatus(outcome.status) : isTransientFailure(outcome.failure.reason));
    if (transient && retries < settings.retries && remaining > 0) {
      const headers = outcome.kind === 'response' ? outcome.headers : null;
      const retryAfter = parseRetryAfter(headers?.get('retry-after') ?? null, deps.now());
      const delay =
        retryAfter === null ? backoffMs(retries, deps.random) : Math.min(retryAfter, settings.retryAfterCapSec * 1000);
      // A server that says "wait" means it for every link on it, not just this one.
      if (retryAfter !== null) limiter.pauseHost(host, deps.now() + delay);
      if (deps.now() + delay < deadline) {
        retries += 1;
        // A 429 to HEAD is confirmed by GET too, but only once the wait is over.
        method = 'GET';
        await deps.sleep(delay, signal);
        if (signal.aborted) return { kind: 'cancelled', attempts, ms: ms() };
        continue;
      }
    }
    if (outcome.kind === 'failure') return { ...outcome, attempts, ms: ms() };
    const anchors =
      outcome.body !== null && outcome.status < 300 && isHtml(outcome.headers) ? extractAnchors(outcome.body) : null;
    return {
      kind: 'response',
      status: outcome.status,
      finalUrl: outcome.finalUrl,
      redirected: outcome.redirected,
      hops: outcome.hops,
      botChallenge: isBotChallenge(outcome.headers),
      anchors,
      anchorsComplete: !outcome.bodyTruncated,
      attempts,
      ms: ms(),
    };
  }
}
