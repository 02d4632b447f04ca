import type { AddressGuard } from '../rules/address-guard';
import { LINK_DEADLINE_MS, type Settings } from '../settings';
import type { Hop } from '../types';
import { isBotChallenge } from '../verdict';
import { isBrowserThrottle, type NetworkFailure } from './errors';
import { extractAnchors } from './fragments';
import type { Limiter } from './limiter';
import { type RequestDeps, type RequestOutcome, sendRequest } from './request';
import { type Attempt, decideRetry, type RetryState, type RetryStep } from './retry';

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
  /** The guard by address (see RequestOptions.addressGuard). */
  addressGuard?: AddressGuard;
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
  | { kind: 'refused-redirect'; target: string; hops: Hop[]; byAddress?: { reached: string | null } }
  | { kind: 'cancelled' }
) & { attempts: number; ms: number };

function isHtml(headers: Headers): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)/i.test(headers.get('content-type') ?? '');
}

/** What an attempt came to, for the retry decision. */
function attemptOf(outcome: Extract<RequestOutcome, { kind: 'response' | 'failure' }>): Attempt {
  if (outcome.kind === 'response') {
    return { kind: 'response', status: outcome.status, retryAfter: outcome.headers.get('retry-after') };
  }
  // Chromium refuses to send anything to a URL that answered an extension 5xx a few times, for a growing while.
  return isBrowserThrottle(outcome.failure) ? { kind: 'refused' } : { kind: 'failure', reason: outcome.failure.reason };
}

type Answer = Extract<RequestOutcome, { kind: 'response' | 'failure' }>;

/** One turn of the loop: an attempt and the step decided on it (no outcome when nothing was sent), or a stop. */
type Sent =
  | { outcome: Answer | null; attempt: Attempt; step: RetryStep }
  | { stop: Extract<RequestOutcome, { kind: 'refused-redirect' | 'cancelled' }> };

/**
 * Checks one request URL: a short loop around the retry decision (decideRetry). HEAD first (cheap), GET to confirm
 * what HEAD cannot be trusted with; transient failures are retried with backoff within the link's deadline.
 */
export async function checkTarget(url: URL, readBody: boolean, ctx: TargetContext): Promise<TargetOutcome> {
  const { settings, limiter, deps, signal } = ctx;
  const host = url.host;
  const policy = { maxRetries: settings.retries, retryAfterCapMs: settings.retryAfterCapSec * 1000 };
  const state: RetryState = {
    method: readBody ? 'GET' : 'HEAD',
    retries: 0,
    deadline: Number.POSITIVE_INFINITY,
    answered: false,
  };
  // The link's clock starts with its first request: time spent waiting for a slot, or while its host is paused by
  // another link's Retry-After, is not the link's own and must not eat its deadline.
  let start: number | null = null;
  let attempts = 0;
  const ms = () => (start === null ? 0 : deps.now() - start);
  /** The last real answer, the last answer or failure, and the last refusal by the browser's back-off. */
  let lastResponse: Extract<RequestOutcome, { kind: 'response' }> | null = null;
  let lastOutcome: Answer | null = null;
  let lastRefusal: Extract<RequestOutcome, { kind: 'failure' }> | null = null;
  const send = async (): Promise<Sent> => {
    if (start === null) {
      start = deps.now();
      state.deadline = start + LINK_DEADLINE_MS;
      ctx.onSend?.();
    } else if (deps.now() >= state.deadline) {
      // The deadline passed while a retry waited for its turn: nothing more is sent.
      const attempt: Attempt = { kind: 'expired' };
      return { outcome: null, attempt, step: decideRetry(state, attempt, deps.now(), policy, deps.random()) };
    }
    attempts += 1;
    const outcome = await sendRequest(
      url.href,
      {
        method: state.method,
        timeoutMs: Math.max(1, Math.min(settings.requestTimeoutSec * 1000, state.deadline - deps.now())),
        signal,
        sendCookies: settings.sendCookies,
        readBodyBytes: readBody ? FRAGMENT_BODY_CAP : undefined,
        allowRedirect: ctx.allowRedirect,
        addressGuard: ctx.addressGuard,
      },
      deps,
    );
    if (outcome.kind === 'cancelled' || outcome.kind === 'refused-redirect') return { stop: outcome };
    const attempt = attemptOf(outcome);
    if (attempt.kind === 'refused') attempts -= 1;
    const step = decideRetry(state, attempt, deps.now(), policy, deps.random());
    // Paused before this slot is given back: no other request to the host leaves between the answer and the pause.
    if (step.pauseHostMs) limiter.pauseHost(host, deps.now() + step.pauseHostMs);
    return { outcome, attempt, step };
  };
  for (;;) {
    const sent: Sent = await limiter
      .run(host, send, { signal, urgent: start !== null })
      .catch((error: unknown): Sent => {
        // Leaving the queue on cancel is the one expected rejection; anything else is a fault for the caller to report.
        if (signal.aborted) return { stop: { kind: 'cancelled' } };
        throw error;
      });
    if ('stop' in sent) {
      // Asking again (or with GET) after a refused redirect would only be sent to the same place.
      return sent.stop.kind === 'cancelled'
        ? { kind: 'cancelled', attempts, ms: ms() }
        : { ...sent.stop, attempts, ms: ms() };
    }
    const { outcome, attempt, step } = sent;
    if (outcome?.kind === 'failure' && attempt.kind === 'refused') lastRefusal = outcome;
    else if (outcome) {
      lastOutcome = outcome;
      if (outcome.kind === 'response') {
        lastResponse = outcome;
        state.answered = true;
      }
    }
    if (step.kind === 'send') {
      state.method = step.method;
      continue;
    }
    if (step.kind === 'wait') {
      state.retries += 1;
      state.method = step.method;
      await deps.sleep(step.ms, signal);
      if (signal.aborted) return { kind: 'cancelled', attempts, ms: ms() };
      continue;
    }
    const final =
      step.keep === 'this' ? outcome : attempt.kind === 'refused' ? lastResponse : (lastOutcome ?? lastRefusal);
    // Nothing at all in hand: the clock starts with the first request, so this cannot happen, but says so if it does.
    if (!final) return { kind: 'cancelled', attempts, ms: ms() };
    return targetOutcome(final, attempts, ms());
  }
}

function targetOutcome(outcome: Answer, attempts: number, ms: number): TargetOutcome {
  if (outcome.kind === 'failure') return { ...outcome, attempts, ms };
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
    ms,
  };
}
