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
 * The cache is saved once it has not changed for this long. A save hands the whole cache (up to CACHE_BYTES of JSON) to
 * storage for a restarted worker's sake, and that holds the worker's thread: ~0.6 s in a profiled site check of 5 000
 * links (`npm run bench -- --only=crawl --profile`), every slot of every host waiting meanwhile. So it waits for a run to
 * go quiet; a worker stops after 30 s idle, after the save.
 */
export const CACHE_SAVE_MS = 10_000;
/** …but no longer than this after the first change not saved: a worker stopped in a long run loses at most this much. */
export const CACHE_SAVE_MAX_MS = 60_000;

/**
 * What, besides the URL, changes the answer a check gives: cookies (and then whose page asked: a result seen with the
 * user's cookies belongs to the page that asked for it), the private-network guard (a redirect into the user's network
 * followed from a local page must not answer a public page's run), the timeout and retries, and whether soft 404s are
 * looked for (a 2xx judged without it is no answer for a run that asks). A result is only reused under the same context.
 */
export function answerContext(pageUrl: string, settings: Settings): string {
  const cookies = settings.sendCookies ? `cookies for ${URL.parse(pageUrl)?.origin ?? pageUrl}` : 'no cookies';
  const guard = privateNetworkGuard(pageUrl, settings) ? 'guarded' : 'unguarded';
  return `${cookies}|${guard}|${settings.requestTimeoutSec}s|${settings.retries} retries|soft 404s ${settings.detectSoft404 ? 'on' : 'off'}`;
}

/**
 * A map that keeps at most `budget` bytes of JSON, dropping the oldest entries first. Each entry keeps the JSON it was
 * measured by, so the map's JSON (a list of `[key, value]` pairs) is put together from them, not serialised again.
 */
function boundedMap<T>(budget: number) {
  const entries = new Map<string, { value: T; json: string }>();
  let total = 0;
  const remove = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    total -= old.json.length;
    entries.delete(key);
  };
  return {
    get: (key: string) => entries.get(key)?.value,
    set(key: string, value: T): void {
      remove(key);
      const json = `[${JSON.stringify(key)},${JSON.stringify(value)}]`;
      if (json.length > Math.min(MAX_ENTRY_BYTES, budget)) return;
      entries.set(key, { value, json });
      total += json.length;
      for (const oldest of entries.keys()) {
        if (total <= budget) break;
        remove(oldest);
      }
    },
    bytes: () => total,
    json: () => `[${Array.from(entries.values(), (entry) => entry.json).join(',')}]`,
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
  /** A save is waiting for its time. */
  let saveAsked = false;
  /** When the cache last changed, and first changed since its last save. */
  let changedAt = 0;
  let unsavedSince: number | null = null;
  // One timer, looked at when it fires: a run puts thousands of results, and timers cost the worker too.
  function saveWhenDue() {
    const at = now();
    const due = Math.min(changedAt + CACHE_SAVE_MS, (unsavedSince ?? at) + CACHE_SAVE_MAX_MS);
    // A due time further off than the longest wait means the clock was set back: saved now, not hours later.
    if (at < due && due - at <= CACHE_SAVE_MAX_MS) {
      setTimeout(saveWhenDue, due - at);
      return;
    }
    saveAsked = false;
    unsavedSince = null;
    // One JSON string: storage.session counts objects at about three times their JSON size against its 10 MB.
    area.set({ [KEY]: results.json(), [PROFILES_KEY]: profiles.json() }).catch(() => {});
  }
  function scheduleSave() {
    changedAt = now();
    unsavedSince ??= changedAt;
    if (saveAsked) return;
    saveAsked = true;
    setTimeout(saveWhenDue, CACHE_SAVE_MS);
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
