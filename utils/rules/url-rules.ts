import type { Note } from '../notes/note';
import type { Settings } from '../settings';
import type { Reason } from '../types';
import { compileExclusions } from './exclusions';
import { isPrivateHost } from './private-network';
import { isStateChanging } from './state-changing';

export type SkipReason = Extract<
  Reason,
  'scheme' | 'excluded' | 'external' | 'private-network' | 'state-changing' | 'nofollow' | 'robots' | 'ignored'
>;
export type Rule =
  | { action: 'check'; url: URL }
  | { action: 'skip'; reason: SkipReason; detail?: Note }
  | { action: 'invalid' };

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * Whether the page is on the user's own machine or network, so that its private links are what the user wants checked
 * (a dev server, an intranet page, a local file). Anything not known to be local counts as public: `about:blank`,
 * `about:srcdoc` and `data:` pages hold whatever their opener wrote into them.
 */
export function isLocalPage(page: URL): boolean {
  if (page.protocol === 'file:') return true;
  if (page.protocol === 'http:' || page.protocol === 'https:') return isPrivateHost(page.hostname);
  if (page.protocol === 'blob:') {
    // A blob is as local as the page that made it, whose URL follows `blob:`.
    const maker = parseUrl(page.pathname);
    return maker !== null && maker.protocol !== 'blob:' && isLocalPage(maker);
  }
  return false;
}

/**
 * The private-network guard of a page, for its links and for where their redirects lead: an address in the user's own
 * network is refused when the page is public and the guard is on. Undefined when nothing needs refusing (the browser
 * may then follow redirects itself).
 */
export function privateNetworkGuard(pageUrl: string, settings: Settings): ((target: URL) => boolean) | undefined {
  const page = parseUrl(pageUrl);
  if (!settings.privateNetworkGuard || (page !== null && isLocalPage(page))) return undefined;
  return (target) => !isPrivateHost(target.hostname);
}

/** Decides, before any request, whether a link is checked, skipped (and why) or malformed. */
export function createUrlRules(pageUrl: string, settings: Settings): (url: string) => Rule {
  // Compiled once per run. A pattern that does not compile cannot be honoured: what it might exclude (a logout link)
  // must not be requested, so the run sends nothing and every link says why.
  const exclusions = compileExclusions(settings.excludePatterns);
  const page = parseUrl(pageUrl);
  const allowed = privateNetworkGuard(pageUrl, settings);
  return (raw) => {
    const url = parseUrl(raw);
    if (!url) return { action: 'invalid' };
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { action: 'skip', reason: 'scheme' };
    // Chromium's parser lets a space through into a host as %20; no DNS name can hold one.
    if (url.hostname.includes('%')) return { action: 'invalid' };
    if (!exclusions.ok) {
      const { index, pattern, error } = exclusions;
      return { action: 'skip', reason: 'excluded', detail: { code: 'exclusion-broken', index, pattern, error } };
    }
    if (exclusions.matches(raw)) return { action: 'skip', reason: 'excluded' };
    if (settings.sameHostOnly && page && url.host !== page.host) return { action: 'skip', reason: 'external' };
    if (allowed && !allowed(url)) return { action: 'skip', reason: 'private-network' };
    // Signing out, deleting, unsubscribing: a request could do it (a GET with the person's cookies would), so such a
    // link is never requested, by a page check or a site check.
    if (isStateChanging(url, ''))
      return { action: 'skip', reason: 'state-changing', detail: { code: 'state-changing' } };
    return { action: 'check', url };
  };
}
