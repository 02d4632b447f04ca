import type { AddressGuard } from '../rules/address-guard';
import { LINK_DEADLINE_MS, type Settings } from '../settings';
import type { AnswerOrigin, Hop } from '../types';
import { isBotChallenge } from '../verdict';
import type { BytePool } from './body-pool';
import { isBrowserThrottle, type NetworkFailure } from './errors';
import { followHops } from './follow-hops';
import type { FragmentTarget } from './fragments';
import type { Limiter } from './limiter';
import { canMultiplex, sharesConnection } from './protocols';
import { DRAIN_BYTES, type HopOutcome, type RequestDeps, type RequestOutcome } from './request';
import { type Attempt, decideRetry, type RetryState, type RetryStep } from './retry';
import { createDocumentReader, type DocumentRead, FRAGMENT_BODY_CAP } from './target-document';

/**
 * Whether a request to `url` goes with the person's cookies: when the settings send them, and only to `cookieOrigin`
 * when there is one (a site check "as me" sends them to the site's own requests, never where they redirect).
 */
export function sendsCookiesTo(url: string, settings: Pick<Settings, 'sendCookies'>, cookieOrigin?: string): boolean {
  return settings.sendCookies && (cookieOrigin === undefined || URL.parse(url)?.origin === cookieOrigin);
}

export interface TargetDeps extends RequestDeps {
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /**
   * The protocol (ALPN id: `h2`, `h3`, `http/1.1`) the browser answered a request to `requestUrl` over, once it says;
   * null when it does not. Absent where nobody can tell (Node): every host then keeps the HTTP/1.1 limit.
   */
  protocolOf?: (requestUrl: string) => Promise<string | null>;
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
  /** Cookies go only to requests of this origin, redirect hops included (see CheckLinksOptions.cookieOrigin). */
  cookieOrigin?: string;
  /** The run's shared budget of body bytes: a fragment read waits for its cap to be free (see body-pool.ts). */
  bodyPool?: BytePool;
}

/** What one request URL (fragment removed) answered, after retries. */
export type TargetOutcome = (
  | ({
      kind: 'response';
      botChallenge: boolean;
      /** What was read of the document for its links' fragments; null when none was asked for, or not a 2xx. */
      document: DocumentRead | null;
      /** A redirect named a fragment of its own, where a browser lands instead of the link's (see HopStep). */
      redirectFragment?: string;
    } & AnswerOrigin)
  | { kind: 'failure'; failure: NetworkFailure; hops: Hop[] }
  | { kind: 'refused-redirect'; target: string; hops: Hop[]; byAddress?: { reached: string | null } }
  | { kind: 'cancelled' }
) & { attempts: number; ms: number };

/** What an attempt came to, for the retry decision. */
function attemptOf(outcome: Extract<HopOutcome, { kind: 'response' | 'failure' }>): Attempt {
  if (outcome.kind === 'response') {
    return { kind: 'response', status: outcome.status, retryAfter: outcome.headers.get('retry-after') };
  }
  // Chromium refuses to send anything to a URL that answered an extension 5xx a few times, for a growing while.
  if (isBrowserThrottle(outcome.failure)) return { kind: 'refused' };
  return { kind: 'failure', reason: outcome.failure.reason, final: outcome.failure.final === true };
}

type Answer = Extract<RequestOutcome, { kind: 'response' | 'failure' }>;

/** One turn of the loop: an attempt and the step decided on it (no outcome when nothing was sent), or a stop. */
type Sent =
  | { outcome: Answer | null; attempt: Attempt; step: RetryStep }
  | { stop: Extract<RequestOutcome, { kind: 'refused-redirect' | 'cancelled' }> };

/**
 * Checks one request URL: a short loop around the retry decision (decideRetry). Always GET, the body cancelled after
 * the headers unless fragments are read: a person's browser gets what GET gets, and some servers answer HEAD 200
 * where GET is 404 or 500 (see README, "HEAD is never the truth"). Transient failures are retried with backoff within
 * the link's deadline.
 */
export async function checkTarget(
  url: URL,
  fragments: readonly FragmentTarget[],
  ctx: TargetContext,
): Promise<TargetOutcome> {
  const readBody = fragments.length > 0;
  const { settings, limiter, deps, signal } = ctx;
  const policy = { maxRetries: settings.retries, retryAfterCapMs: settings.retryAfterCapSec * 1000 };
  const state: RetryState = {
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
  /** What each answer's body held for the fragments (answers are kept, so their documents are too). */
  const documents = new WeakMap<Answer, DocumentRead | null>();
  /** One attempt: the request and its redirects, hop by hop, each in its own host's slot (see followHops). */
  const send = async (): Promise<Sent> => {
    const document = readBody ? createDocumentReader(fragments, [url.hostname]) : null;
    const decided: { attempt?: Attempt; step?: RetryStep } = {};
    let counted = false;
    const outcome = await followHops(
      url,
      {
        limiter,
        signal,
        urgent: start !== null,
        allowRedirect: ctx.allowRedirect,
        optionsFor: (hopUrl, _first, hopHost) => {
          if (start === null) {
            start = deps.now();
            state.deadline = start + LINK_DEADLINE_MS;
            ctx.onSend?.();
          } else if (deps.now() >= state.deadline) {
            // The deadline passed while this request waited for its turn: nothing more is sent.
            return null;
          }
          if (!counted) attempts += 1;
          counted = true;
          return {
            method: 'GET',
            // Each hop is a request of its own, with its own timeout, all within the link's deadline.
            timeoutMs: Math.max(1, Math.min(settings.requestTimeoutSec * 1000, state.deadline - deps.now())),
            signal,
            sendCookies: sendsCookiesTo(hopUrl, settings, ctx.cookieOrigin),
            streamBody: document ? { maxBytes: FRAGMENT_BODY_CAP, open: document.open } : undefined,
            addressGuard: ctx.addressGuard,
            // A cancelled HTTP/1.1 body costs its connection; one on a shared connection costs nothing.
            drainBytes: sharesConnection(canMultiplex(hopUrl), limiter.protocolOf(hopHost)) ? 0 : DRAIN_BYTES,
          };
        },
        onAnswer: (hopUrl, hopHost, answer) => {
          // Learned in the background: the report trails the answer, and this link's verdict does not wait for it.
          if (answer.kind !== 'failure' && answer.kind !== 'refused-redirect' && deps.protocolOf) {
            if (canMultiplex(hopUrl)) {
              void deps.protocolOf(hopUrl).then((protocol) => {
                if (protocol) limiter.learnProtocol(hopHost, protocol);
              });
            }
          }
          if (answer.kind !== 'response' && answer.kind !== 'failure') return;
          const attempt = attemptOf(answer);
          const step = decideRetry(state, attempt, deps.now(), policy, deps.random());
          // Paused before this host's slot is given back: no other request to it leaves between the answer and the pause.
          if (step.pauseHostMs) limiter.pauseHost(hopHost, deps.now() + step.pauseHostMs);
          decided.attempt = attempt;
          decided.step = step;
        },
      },
      deps,
    );
    if (outcome.kind === 'cancelled' || outcome.kind === 'refused-redirect') return { stop: outcome };
    if (outcome.kind === 'not-sent') {
      const attempt: Attempt = { kind: 'expired' };
      const step = decideRetry(state, attempt, deps.now(), policy, deps.random());
      // As for a retry not sent in time, the server's last answer stands when there is one.
      if (outcome.hops.length === 0 || lastOutcome) return { outcome: null, attempt, step };
      // Redirected, then out of time before the next hop could be sent: with nothing else in hand, that is the answer.
      const detail = { code: 'deadline-in-redirect', seconds: LINK_DEADLINE_MS / 1000 } as const;
      const timedOut: Answer = {
        kind: 'failure',
        failure: { reason: 'timeout', text: '', detail },
        hops: outcome.hops,
      };
      return { outcome: timedOut, attempt, step };
    }
    // Decided in the slot of the hop that answered; a chain that ended on a redirect it could not follow, here.
    const attempt = decided.attempt ?? attemptOf(outcome);
    const step = decided.step ?? decideRetry(state, attempt, deps.now(), policy, deps.random());
    if (attempt.kind === 'refused') attempts -= 1;
    if (outcome.kind === 'response') documents.set(outcome, document?.result(outcome.bodyEnd) ?? null);
    return { outcome, attempt, step };
  };
  for (;;) {
    // Taken before the host's slot, so a read waiting for bytes holds no slot (and no clock: it starts with the send).
    const release =
      readBody && ctx.bodyPool ? await ctx.bodyPool.acquire(FRAGMENT_BODY_CAP, signal).catch(() => null) : null;
    if (readBody && ctx.bodyPool && !release) return { kind: 'cancelled', attempts, ms: ms() };
    const sent: Sent = await send().finally(() => release?.());
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
    if (step.kind === 'wait') {
      state.retries += 1;
      await deps.sleep(step.ms, signal);
      if (signal.aborted) return { kind: 'cancelled', attempts, ms: ms() };
      continue;
    }
    const final =
      step.keep === 'this' ? outcome : attempt.kind === 'refused' ? lastResponse : (lastOutcome ?? lastRefusal);
    // Nothing at all in hand: the clock starts with the first request, so this cannot happen, but says so if it does.
    if (!final) return { kind: 'cancelled', attempts, ms: ms() };
    return targetOutcome(final, documents.get(final) ?? null, attempts, ms());
  }
}

function targetOutcome(outcome: Answer, document: DocumentRead | null, attempts: number, ms: number): TargetOutcome {
  if (outcome.kind === 'failure') return { ...outcome, attempts, ms };
  return {
    kind: 'response',
    status: outcome.status,
    finalUrl: outcome.finalUrl,
    redirected: outcome.redirected,
    hops: outcome.hops,
    botChallenge: isBotChallenge(outcome.headers),
    document,
    ...(outcome.redirectFragment !== undefined ? { redirectFragment: outcome.redirectFragment } : {}),
    attempts,
    ms,
  };
}
