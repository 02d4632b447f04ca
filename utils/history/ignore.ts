import type { LinkEntry } from '../types';

/** A link the user judged and chose not to see again on one site. */
export interface IgnoredLink {
  /** The site (host) of the pages where it is ignored. */
  site: string;
  /** The link's absolute URL, as on a row. */
  url: string;
  note: string;
  /** When it was ignored (ms since the epoch). */
  at: number;
}

/** Bounds on what an ignore list holds: it lives in storage.local and rides in the settings file. */
export const IGNORE_LIMITS = { entries: 10_000, note: 500, url: 8192, site: 300 } as const;

export function ignoreKey(site: string, url: string): string {
  return `${site} ${url}`;
}

/** The ignored links of one site, by URL. */
export function ignoredOn(list: readonly IgnoredLink[], site: string): Map<string, IgnoredLink> {
  return new Map(list.filter((link) => link.site === site).map((link) => [link.url, link]));
}

/**
 * What is wrong with an ignore list or a change to it, as a value: the page words it (components/ignore-words.ts).
 * `entry`: the first bad item of a list read from a file, by its index, and which of its fields is wrong.
 */
export type IgnoreProblem =
  | { kind: 'full'; max: number }
  /** A link whose address is longer than a list may hold (one stored would make the whole list unreadable). */
  | { kind: 'url-too-long'; max: number }
  | { kind: 'merge-too-many'; current: number; total: number; max: number }
  | { kind: 'not-list' }
  | { kind: 'too-many'; count: number; max: number }
  | { kind: 'entry'; index: number; field: 'object' | 'site' | 'url' | 'note' }
  /** The browser refused to write the list (storage.local full, or gone): nothing changed. */
  | { kind: 'not-saved'; problem: string };

/** Adds (or updates the note of) one ignored link; the newest last. A full list refuses rather than drops an old one. */
export function addIgnored(list: readonly IgnoredLink[], link: IgnoredLink): IgnoredLink[] | IgnoreProblem {
  // The bound parseIgnoredLinks holds a stored list to: a longer URL written would lose every ignored link on reading.
  if (link.url.length > IGNORE_LIMITS.url) return { kind: 'url-too-long', max: IGNORE_LIMITS.url };
  const rest = list.filter((l) => ignoreKey(l.site, l.url) !== ignoreKey(link.site, link.url));
  if (rest.length >= IGNORE_LIMITS.entries) return { kind: 'full', max: IGNORE_LIMITS.entries };
  return [...rest, { ...link, note: link.note.trim().slice(0, IGNORE_LIMITS.note) }];
}

export function removeIgnored(list: readonly IgnoredLink[], site: string, url: string): IgnoredLink[] {
  return list.filter((l) => ignoreKey(l.site, l.url) !== ignoreKey(site, url));
}

/**
 * The entries of a new run with every ignored link already judged `skipped` / `ignored`: nothing is requested for it.
 * The rest are returned untouched.
 */
export function applyIgnores(entries: readonly LinkEntry[], ignored: ReadonlyMap<string, IgnoredLink>, now: number) {
  return entries.map((entry): LinkEntry => {
    const link = ignored.get(entry.url);
    if (!link) return entry;
    return {
      ...entry,
      phase: 'done',
      result: {
        url: entry.url,
        verdict: 'skipped',
        reason: 'ignored',
        status: null,
        finalUrl: null,
        ms: 0,
        attempts: 0,
        redirects: [],
        detail: { code: 'ignored', note: link.note },
        checkedAt: now,
      },
    };
  });
}

/** Reads an ignore list from a settings file or storage; every problem is named, nothing is guessed. */
export function parseIgnoredLinks(
  value: unknown,
): { ok: true; value: IgnoredLink[] } | { ok: false; problem: IgnoreProblem } {
  if (!Array.isArray(value)) return { ok: false, problem: { kind: 'not-list' } };
  if (value.length > IGNORE_LIMITS.entries) {
    return { ok: false, problem: { kind: 'too-many', count: value.length, max: IGNORE_LIMITS.entries } };
  }
  const links: IgnoredLink[] = [];
  for (const [i, item] of value.entries()) {
    const l = item as Partial<IgnoredLink> | null;
    const field =
      typeof l !== 'object' || l === null
        ? 'object'
        : typeof l.site !== 'string' || l.site === '' || l.site.length > IGNORE_LIMITS.site
          ? 'site'
          : typeof l.url !== 'string' || l.url === '' || l.url.length > IGNORE_LIMITS.url
            ? 'url'
            : l.note !== undefined && typeof l.note !== 'string'
              ? 'note'
              : null;
    if (field || !l) return { ok: false, problem: { kind: 'entry', index: i, field: field ?? 'object' } };
    links.push({
      site: l.site as string,
      url: l.url as string,
      note: (l.note ?? '').slice(0, IGNORE_LIMITS.note),
      at: typeof l.at === 'number' && Number.isFinite(l.at) ? l.at : 0,
    });
  }
  return { ok: true, value: links };
}

/**
 * Merges an imported list into the current one: an imported entry replaces the same site and URL. A merge beyond the
 * limit is refused rather than dropping anyone's links.
 */
export function mergeIgnored(
  current: readonly IgnoredLink[],
  imported: readonly IgnoredLink[],
): IgnoredLink[] | IgnoreProblem {
  const byKey = new Map(current.map((l) => [ignoreKey(l.site, l.url), l]));
  for (const l of imported) byKey.set(ignoreKey(l.site, l.url), l);
  if (byKey.size > IGNORE_LIMITS.entries) {
    return { kind: 'merge-too-many', current: current.length, total: byKey.size, max: IGNORE_LIMITS.entries };
  }
  return [...byKey.values()];
}
