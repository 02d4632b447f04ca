import type { Note } from '../notes/note';
import type { Hop } from '../types';
import type { NetworkFailure } from './errors';
import type { RequestWatch } from './request';

/** As browsers do: more hops than this is a loop, or as good as one. */
export const MAX_REDIRECTS = 20;
/** The longest redirect target followed. */
export const MAX_LOCATION_CHARS = 65_536;

/**
 * The statuses a browser follows (the Fetch standard's redirect statuses). Any other 3xx — 300, 304 — is a final
 * answer even when it carries a `Location`, and so is a redirect status without one.
 */
export function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** A redirect a response stopped at: its status, and its target (null when `Location` is not a valid address). */
export interface Redirect {
  status: number;
  target: URL | null;
}

/**
 * Where a response stopped at a redirect points, or null when it is not one. A browser hides a manual redirect from the
 * page (an "opaque redirect" with no status or headers), so the target and status come from the network observer; Node
 * hands over the 3xx itself.
 */
export async function redirectOf(
  response: Response,
  url: string,
  watch: RequestWatch | undefined,
): Promise<Redirect | null> {
  if (response.type === 'opaqueredirect') {
    if (watch && watch.redirect() === null) await watch.settled(500);
    const redirect = watch?.redirect() ?? null;
    return { status: redirect?.status ?? 0, target: redirect ? URL.parse(redirect.target) : null };
  }
  // The status first: most answers are no redirect, and their headers need not be searched.
  if (!isRedirectStatus(response.status)) return null;
  const location = response.headers.get('location');
  if (location === null) return null;
  return { status: response.status, target: URL.parse(location, url) };
}

/** What to do with one redirect, given the hops followed so far (this one included). */
export type HopStep =
  /**
   * `fragment`: the target named a fragment of its own (without `#`; '' for a bare `#`), which replaces the link's: a
   * browser lands there (the Fetch standard). Absent when it named none, and the fragment before it still holds.
   */
  | { kind: 'follow'; url: string; fragment?: string }
  | { kind: 'stop'; failure: NetworkFailure }
  /** The private-network guard refused the target: it is not requested. */
  | { kind: 'refused'; target: string };

/**
 * Decides whether one hop of a redirect chain is followed: not past MAX_REDIRECTS, not to an address a browser would
 * not follow, and only where `allow` (the private-network guard) permits.
 */
export function nextHop(redirect: Redirect, followed: readonly Hop[], allow: (target: URL) => boolean): HopStep {
  // The same redirect comes back on a second try: these stops are final.
  const stop = (reason: 'too-many-redirects' | 'network', detail: Note): HopStep => ({
    kind: 'stop',
    failure: { reason, text: '', detail, final: true },
  });
  if (followed.length > MAX_REDIRECTS)
    return stop('too-many-redirects', { code: 'too-many-redirects', max: MAX_REDIRECTS });
  if (!redirect.target) return stop('network', { code: 'redirect-no-target' });
  // A server may name any length; an address a page's link did not write is not worth a hostile server's megabytes in
  // the results (each hop and the final address are kept). Refused whole, never cut: a cut URL is another URL.
  if (redirect.target.href.length > MAX_LOCATION_CHARS) {
    return stop('network', { code: 'redirect-too-long', max: MAX_LOCATION_CHARS });
  }
  const target = new URL(redirect.target.href);
  // What a browser would not follow either: another scheme (data:, javascript:…), or a name and password.
  const { protocol, username, password } = target;
  if ((protocol !== 'http:' && protocol !== 'https:') || username !== '' || password !== '') {
    return stop(
      'network',
      username || password ? { code: 'redirect-credentials' } : { code: 'redirect-scheme', scheme: protocol },
    );
  }
  // A fragment never reaches the server; fetch drops it in follow mode too. `hash` is '' for a bare `#` too: the href says.
  const fragment = target.href.includes('#') ? target.hash.slice(1) : undefined;
  target.hash = '';
  if (!allow(target)) return { kind: 'refused', target: target.href };
  return fragment === undefined ? { kind: 'follow', url: target.href } : { kind: 'follow', url: target.href, fragment };
}
