import type { Settings } from '../settings';
import type { Reason } from '../types';
import { isPrivateHost } from './private-network';

export type SkipReason = Extract<Reason, 'scheme' | 'excluded' | 'external' | 'private-network'>;
export type Rule = { action: 'check'; url: URL } | { action: 'skip'; reason: SkipReason } | { action: 'invalid' };

function compilePattern(pattern: string): RegExp {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (regex) return new RegExp(regex[1] ?? '', regex[2]);
  // A glob matches the whole URL; `*` is any run of characters.
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Decides, before any request, whether a link is checked, skipped (and why) or malformed. */
export function createUrlRules(pageUrl: string, settings: Settings): (url: string) => Rule {
  const excludes = settings.excludePatterns.map(compilePattern);
  let page: URL | null = null;
  try {
    page = new URL(pageUrl);
  } catch {
    page = null;
  }
  // When the page itself is local (a dev server, an intranet page), its private links are what the user wants checked.
  const pageIsPrivate = page === null || isPrivateHost(page.hostname) || !/^https?:$/.test(page.protocol);
  return (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { action: 'invalid' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { action: 'skip', reason: 'scheme' };
    // Chromium's parser lets a space through into a host as %20; no DNS name can hold one.
    if (url.hostname.includes('%')) return { action: 'invalid' };
    if (excludes.some((re) => re.test(raw))) return { action: 'skip', reason: 'excluded' };
    if (settings.sameHostOnly && page && url.host !== page.host) return { action: 'skip', reason: 'external' };
    if (settings.privateNetworkGuard && !pageIsPrivate && isPrivateHost(url.hostname)) {
      return { action: 'skip', reason: 'private-network' };
    }
    return { action: 'check', url };
  };
}
