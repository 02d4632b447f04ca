import { createUrlRules } from '../rules/url-rules';
import type { Settings } from '../settings';
import type { LinkEntry, LinkResult } from '../types';

/**
 * Whether a real tab can settle this verdict: a bot wall or login (`blocked`) may let a person's browser through, and
 * an anchor built by script exists only in the rendered document. Everything else a tab would only repeat.
 */
export function canSettleInTab(result: LinkResult | undefined): boolean {
  if (!result) return false;
  return result.verdict === 'blocked' || (result.verdict === 'broken' && result.reason === 'fragment-missing');
}

/**
 * The links of a run to load in tabs: those a tab can settle that the run's own rules still let through (exclusions,
 * same-host mode, the private-network guard), so a tab never goes where a check would not.
 */
export function linksToVerify(entries: readonly LinkEntry[], pageUrl: string, settings: Settings): LinkEntry[] {
  const rules = createUrlRules(pageUrl, settings);
  return entries.filter((entry) => canSettleInTab(entry.result) && rules(entry.url).action === 'check');
}
