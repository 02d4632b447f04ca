import { storage } from 'wxt/utils/storage';
import { addIgnored, type IgnoredLink, type IgnoreProblem, parseIgnoredLinks, removeIgnored } from './ignore';

/** The links a person chose to ignore, per site: storage.local (not sync: it may hold thousands), versioned. */
export const ignoredLinksItem = storage.defineItem<IgnoredLink[]>('local:ignoredLinks', { fallback: [], version: 1 });

/** The stored list; a value that does not read as a list is kept on disk but ignored here rather than breaking runs. */
export async function readIgnored(): Promise<IgnoredLink[]> {
  const parsed = parseIgnoredLinks(await ignoredLinksItem.getValue());
  return parsed.ok ? parsed.value : [];
}

/** Ignores a link on a site; returns a message when the list is full. */
export async function ignoreLink(link: IgnoredLink): Promise<IgnoreProblem | null> {
  const next = addIgnored(await readIgnored(), link);
  if (!Array.isArray(next)) return next;
  await ignoredLinksItem.setValue(next);
  return null;
}

export async function unignoreLink(site: string, url: string): Promise<void> {
  await ignoredLinksItem.setValue(removeIgnored(await readIgnored(), site, url));
}
