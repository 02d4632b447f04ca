import { LIVE_REPORT_LIMITS } from '../../utils/protocol';

const ORIGIN = 'https://a.test/';

/** An absolute `href` of exactly the browser's limit on a URL: every path keeps it. Resolved, it is itself. */
export const AT_LIMIT_HREF = `${ORIGIN}${'x'.repeat(LIVE_REPORT_LIMITS.urlLength - ORIGIN.length)}`;

/** One character over the limit: the first collection, the live watcher's scans and its reports all leave it out. */
export const OVER_LONG_HREF = `${AT_LIMIT_HREF}y`;

/** A URL as a test names it: the two long ones by name, so that a failure does not print megabytes. */
export function nameOf(url: string): string {
  if (url === AT_LIMIT_HREF) return 'at-limit';
  if (url === OVER_LONG_HREF) return 'over-long';
  return url;
}
