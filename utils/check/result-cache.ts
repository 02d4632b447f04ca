import { privateNetworkGuard } from '../rules/url-rules';
import type { KeyValueArea } from '../run/stored-run';
import { readStoredList } from '../run/stored-run';
import type { Settings } from '../settings';
import type { LinkResult } from '../types';
import type { ResultCache } from './check-links';
import type { HostProfile } from './soft-404/compare';
import type { ProfileCache } from './soft-404/detector';

const KEY = 'result-cache';
const PROFILES_KEY = 'host-profiles';
/**
 * storage.session holds about 10 MB for everything, the runs in progress first: the cache takes at most a fifth of it,
 * measured as the JSON it is stored as, so it can never crowd out a run.
 */
export const CACHE_BYTES = 2_000_000;
/** Soft-404 host profiles (a few kB of words each) have a budget of their own. */
export const PROFILE_BYTES = 500_000;
/** A result bigger than this (a chain of 8 kB redirect URLs) is not worth a cache's room: it is not kept. */
export const MAX_ENTRY_BYTES = 64_000;
/**
 * The cache is saved at most this often. Each save serialises the whole cache (up to CACHE_BYTES) for a restarted
 * worker's sake, and a run keeps it changing: at every 2 s that was ~3 % of the worker's CPU on a 2 000-link run. A
 * worker stops after 30 s idle, after the save; a crash loses at most this much of it, which is only asked again.
 */
export const CACHE_SAVE_MS = 10_000;

/**
 * What, besides the URL, changes the answer a check gives: cookies (and then whose page asked: a result seen with the
 * user's cookies belongs to the page that asked for it), the private-network guard (a redirect into the user's network
 * followed from a local page must not answer a public page's run), and the timeout and retries. A result is only reused
 * under the same context.
 */
export function answerContext(pageUrl: string, settings: Settings): string {
  const cookies = settings.sendCookies ? `cookies for ${URL.parse(pageUrl)?.origin ?? pageUrl}` : 'no cookies';
  const guard = privateNetworkGuard(pageUrl, settings) ? 'guarded' : 'unguarded';
  return `${cookies}|${guard}|${settings.requestTimeoutSec}s|${settings.retries} retries`;
}

/** A map that keeps at most `budget` bytes of JSON, dropping the oldest entries first. */
function boundedMap<T>(budget: number) {
  const entries = new Map<string, { value: T; bytes: number }>();
  let total = 0;
  const remove = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    total -= old.bytes;
    entries.delete(key);
  };
  return {
    get: (key: string) => entries.get(key)?.value,
    set(key: string, value: T): void {
      remove(key);
      const bytes = key.length + JSON.stringify(value).length + 8;
      if (bytes > Math.min(MAX_ENTRY_BYTES, budget)) return;
      entries.set(key, { value, bytes });
      total += bytes;
      for (const oldest of entries.keys()) {
        if (total <= budget) break;
        remove(oldest);
      }
    },
    bytes: () => total,
    pairs: () => [...entries].map(([key, { value }]) => [key, value] as [string, T]),
  };
}

/** Recent results across runs and tabs, kept in session storage so a restarted worker still has them. */
export function createResultCache(
  area: KeyValueArea,
  now: () => number = Date.now,
): ResultCache & ProfileCache & { load(): Promise<void>; bytes(): number } {
  const results = boundedMap<LinkResult>(CACHE_BYTES);
  // Soft-404 host profiles live as long as the results judged with them.
  const profiles = boundedMap<{ at: number; profile: HostProfile }>(PROFILE_BYTES);
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  function scheduleSave() {
    if (saveTimer !== null) return;
    saveTimer = setTimeout(() => {
      saveTimer = null;
      // One JSON string: storage.session counts objects at about three times their JSON size against its 10 MB.
      area
        .set({ [KEY]: JSON.stringify(results.pairs()), [PROFILES_KEY]: JSON.stringify(profiles.pairs()) })
        .catch(() => {});
    }, CACHE_SAVE_MS);
  }
  const pairsOf = <T>(raw: unknown) =>
    readStoredList<[string, T]>(raw).filter(
      (entry): entry is [string, T] => Array.isArray(entry) && typeof entry[0] === 'string',
    );
  return {
    async load() {
      const stored = await area.get([KEY, PROFILES_KEY]);
      // An older shape (a bare list of results, keyed by URL alone) is not taken: its context is unknown.
      for (const [key, result] of pairsOf<LinkResult>(stored[KEY])) results.set(key, result);
      for (const [key, entry] of pairsOf<{ at: number; profile: HostProfile }>(stored[PROFILES_KEY])) {
        profiles.set(key, entry);
      }
    },
    getProfile(key, maxAgeMs) {
      const entry = profiles.get(key);
      return entry && now() - entry.at <= maxAgeMs ? entry.profile : undefined;
    },
    putProfile(key, profile) {
      profiles.set(key, { at: now(), profile });
      scheduleSave();
    },
    get(url, context, maxAgeMs) {
      const result = results.get(`${context}\n${url}`);
      return result && now() - result.checkedAt <= maxAgeMs ? result : undefined;
    },
    put(result, context) {
      results.set(`${context}\n${result.url}`, result);
      scheduleSave();
    },
    bytes: () => results.bytes() + profiles.bytes(),
  };
}
