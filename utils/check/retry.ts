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

/**
 * Parses `Retry-After` into milliseconds from `now`: delay-seconds, or an HTTP date (RFC 9110); null when absent or
 * anything else, so that the backoff applies. Lenient date parsing read "-1", "1.5" or "12 30" as dates long past, and
 * so as "retry at once".
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  // A header sent twice reaches fetch's Headers joined with a comma ("5, 5"): the first counts.
  const seconds = /^(\d+)(?:[ \t]*,[ \t]*\d+)*$/.exec(trimmed);
  if (seconds) return Number(seconds[1]) * 1000;
  const date = parseHttpDate(trimmed, now);
  return date === null ? null : Math.max(0, date - now);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(?<month>${MONTHS.join('|')})`;
const DAY_NAME = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';
/** The three forms of HTTP-date (RFC 9110, 5.6.7): IMF-fixdate, the obsolete RFC 850 date and asctime's. */
const HTTP_DATES = [
  new RegExp(`^${DAY_NAME}, (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`),
  new RegExp(
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (?<day>\\d{2})-${MONTH}-(?<year>\\d{2}) ${TIME} GMT$`,
  ),
  new RegExp(`^${DAY_NAME} ${MONTH} (?<day>\\d{2}| \\d) ${TIME} (?<year>\\d{4})$`),
];

/** An HTTP date as ms since epoch, or null when the value is not one (a day the month does not have included). */
function parseHttpDate(value: string, now: number): number | null {
  const parts = HTTP_DATES.map((form) => form.exec(value)).find((match) => match !== null)?.groups;
  if (!parts) return null;
  let year = Number(parts.year);
  if (parts.year?.length === 2) {
    // RFC 9110: a two-digit year more than 50 years ahead is the most recent such year in the past.
    const current = new Date(now).getUTCFullYear();
    year += current - (current % 100);
    if (year > current + 50) year -= 100;
  }
  const month = MONTHS.indexOf(parts.month ?? '');
  const day = Number(parts.day);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  // A second of 60 is a leap second.
  if (hour > 23 || minute > 59 || second > 60) return null;
  // A day the month does not have (31 Apr, or 00) is no date.
  if (new Date(Date.UTC(year, month, day)).getUTCMonth() !== month) return null;
  return Date.UTC(year, month, day, hour, minute, second);
}

/** Exponential backoff with full jitter around the base: 0.5–1.5 × 500 ms × 2^retry. */
export function backoffMs(retry: number, random: () => number): number {
  return Math.round(500 * 2 ** retry * (0.5 + random()));
}

/** What one attempt came to, as far as asking again is concerned. */
export type Attempt =
  | { kind: 'response'; status: number; retryAfter: string | null }
  /** `final`: a stop a second try cannot change (see NetworkFailure.final). */
  | { kind: 'failure'; reason: NetworkReason; final?: boolean }
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
    (attempt.kind === 'response'
      ? isTransientStatus(attempt.status)
      : !attempt.final && isTransientFailure(attempt.reason));
  // A server asking to wait longer than the setting is not waited for: its answer stands (never ask again sooner than
  // it said). Its host still rests as long as the setting allows.
  const beyondCap = retryAfter !== null && retryAfter > policy.retryAfterCapMs;
  // A server that says "wait" means it for every link on it, not just this one.
  const pauseMs = transient && retryAfter !== null ? Math.min(retryAfter, policy.retryAfterCapMs) : 0;
  const pause = pauseMs > 0 ? { pauseHostMs: pauseMs } : {};
  if (transient && !beyondCap && state.retries < policy.maxRetries && remaining > 0) {
    const delay = retryAfter ?? backoffMs(state.retries, () => jitter);
    if (now + delay < state.deadline) return { kind: 'wait', ms: delay, ...pause };
  }
  return { kind: 'done', keep: 'this', ...pause };
}
