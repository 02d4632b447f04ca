import type { NetworkReason } from './errors';

/**
 * Network failures worth another try: timeouts and dropped or refused connections may pass. A name that does not
 * resolve, a certificate the browser rejects or a redirect loop will answer the same way in a moment.
 */
export function isTransientFailure(reason: NetworkReason): boolean {
  return reason !== 'dns' && reason !== 'tls' && reason !== 'too-many-redirects';
}

/** Statuses worth another try: the server may answer differently in a moment. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/** Parses `Retry-After` (delay-seconds or an HTTP-date) into milliseconds from `now`; null when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Exponential backoff with full jitter around the base: 0.5–1.5 × 500 ms × 2^retry. */
export function backoffMs(retry: number, random: () => number): number {
  return Math.round(500 * 2 ** retry * (0.5 + random()));
}

/** What one attempt came to, as far as asking again is concerned. */
export type Attempt =
  | { kind: 'response'; status: number; retryAfter: string | null }
  | { kind: 'failure'; reason: NetworkReason }
  /** The browser refused to send it (its own back-off from a URL that keeps failing): nothing reached the server. */
  | { kind: 'refused' }
  /** The link's deadline passed while the attempt waited for its turn: nothing was sent. */
  | { kind: 'expired' };

export interface RetryState {
  /** Retries taken so far. */
  retries: number;
  /** When the link's time is up, ms since epoch. */
  deadline: number;
  /** A real answer or failure from the server is in hand (not only refusals by the browser). */
  answered: boolean;
}

export interface RetryPolicy {
  maxRetries: number;
  /** The longest `Retry-After` honoured, ms. */
  retryAfterCapMs: number;
}

/** What the check does next. `pauseHostMs`: the server asked every request to its host to wait this long. */
export type RetryStep = (
  | { kind: 'wait'; ms: number }
  /** `keep: 'last'`: the last real answer stands (this attempt sent nothing new). */
  | { kind: 'done'; keep: 'this' | 'last' }
) & { pauseHostMs?: number };

/**
 * The one retry decision: from where a check stands, what its latest attempt came to and the time, whether to send
 * again after a wait, or stop. Pure: `jitter` (0–1) is the backoff's randomness.
 */
export function decideRetry(
  state: RetryState,
  attempt: Attempt,
  now: number,
  policy: RetryPolicy,
  jitter: number,
): RetryStep {
  if (attempt.kind === 'expired') return { kind: 'done', keep: 'last' };
  // Asking again now would only be refused again: the answer the server last gave stands.
  if (attempt.kind === 'refused' && state.answered) return { kind: 'done', keep: 'last' };
  const remaining = state.deadline - now;
  const retryAfter = attempt.kind === 'response' ? parseRetryAfter(attempt.retryAfter, now) : null;
  const transient =
    attempt.kind === 'refused' ||
    (attempt.kind === 'response' ? isTransientStatus(attempt.status) : isTransientFailure(attempt.reason));
  // A server that says "wait" means it for every link on it, not just this one.
  const pause =
    transient && retryAfter !== null && retryAfter > 0
      ? { pauseHostMs: Math.min(retryAfter, policy.retryAfterCapMs) }
      : {};
  if (transient && state.retries < policy.maxRetries && remaining > 0) {
    const delay = pause.pauseHostMs ?? (retryAfter === null ? backoffMs(state.retries, () => jitter) : 0);
    if (now + delay < state.deadline) return { kind: 'wait', ms: delay, ...pause };
  }
  return { kind: 'done', keep: 'this', ...pause };
}
