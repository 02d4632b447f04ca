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
