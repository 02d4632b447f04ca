import { storage } from 'wxt/utils/storage';
import { addIgnored, type IgnoredLink, type IgnoreProblem, parseIgnoredLinks, removeIgnored } from './ignore';

/** The links a person chose to ignore, per site: storage.local (not sync: it may hold thousands), versioned. */
export const ignoredLinksItem = storage.defineItem<IgnoredLink[]>('local:ignoredLinks', { fallback: [], version: 1 });

/** The stored list; a value that does not read as a list is kept on disk but ignored here rather than breaking runs. */
export async function readIgnored(): Promise<IgnoredLink[]> {
  const parsed = parseIgnoredLinks(await ignoredLinksItem.getValue());
  return parsed.ok ? parsed.value : [];
}

/** Writes the whole list; a write the browser refuses is said, and the stored list stays as it was. */
export async function saveIgnored(list: IgnoredLink[]): Promise<IgnoreProblem | null> {
  try {
    await ignoredLinksItem.setValue(list);
    return null;
  } catch (error) {
    return { kind: 'not-saved', problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Ignores a link on a site; returns what went wrong when the list is full or could not be saved. */
export async function ignoreLink(link: IgnoredLink): Promise<IgnoreProblem | null> {
  const next = addIgnored(await readIgnored(), link);
  return Array.isArray(next) ? saveIgnored(next) : next;
}

export async function unignoreLink(site: string, url: string): Promise<IgnoreProblem | null> {
  return saveIgnored(removeIgnored(await readIgnored(), site, url));
}
