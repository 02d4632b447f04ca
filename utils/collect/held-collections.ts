// What a collection leaves waiting in the page for its later slices, and the injected reader of those slices.
import type { FoundLink } from '../types';

/**
 * Who keeps a collection's later slices in the page: the live script's first collection, or a selection check. A
 * holder's newer collection replaces its older one; the watcher's scans, which hold nothing, and other holders' never
 * touch it.
 */
export type Holder = 'live' | 'selection';

/**
 * The collections whose later slices wait in a frame's isolated world (its global `__linkpulseHeld`, which page
 * scripts cannot see): at most one per holder, released once its last slice is read.
 */
export interface HeldCollections {
  /** Collections held so far: each gets a key of its own, so a reader of a replaced one gets nothing, not another's links. */
  count: number;
  by: Partial<Record<Holder, { key: string; links: FoundLink[] }>>;
}
export type HeldStore = { __linkpulseHeld?: HeldCollections };

/**
 * The next slice of the collection `held` names (a Collection's `held`), from index `from`, of at most about
 * `sliceChars` characters; none once that collection was read to its end or replaced by a newer one of its holder.
 * Runs in the page like collectLinks (self-contained); the last slice frees what the page held.
 */
export function moreCollectedLinks(from: number, sliceChars: number, held?: string): FoundLink[] {
  const kept = (globalThis as unknown as HeldStore).__linkpulseHeld;
  const holder = (Object.keys(kept?.by ?? {}) as Holder[]).find((name) => kept?.by[name]?.key === held);
  const links = (holder && kept?.by[holder]?.links) || [];
  let end = from;
  for (let size = 0; end < links.length; end++) {
    const link = links[end] as FoundLink;
    size += link.url.length + link.texts.reduce((n, t) => n + t.length, 64);
    if (size > sliceChars && end > from) break;
  }
  if (holder && end >= links.length) delete kept?.by[holder];
  return links.slice(from, end);
}
