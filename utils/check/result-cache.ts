import { type KeyValueArea, readStoredList } from '../run/stored-run';
import type { LinkResult } from '../types';
import type { ResultCache } from './check-links';
import type { HostProfile } from './soft-404/compare';
import type { ProfileCache } from './soft-404/detector';

const KEY = 'result-cache';
const PROFILES_KEY = 'host-profiles';
/** Hosts whose not-found page is remembered (each at most a few kB of words). */
const MAX_PROFILES = 500;
/** Older entries are dropped past this many, oldest first. */
const MAX_ENTRIES = 20_000;

/** Recent results across runs and tabs, kept in session storage so a restarted worker still has them. */
export function createResultCache(area: KeyValueArea): ResultCache & ProfileCache & { load(): Promise<void> } {
  const results = new Map<string, LinkResult>();
  // Soft-404 host profiles live as long as the results judged with them.
  const profiles = new Map<string, { at: number; profile: HostProfile }>();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  function scheduleSave() {
    if (saveTimer !== null) return;
    saveTimer = setTimeout(() => {
      saveTimer = null;
      // One JSON string: storage.session counts objects at about three times their JSON size against its 10 MB.
      area
        .set({ [KEY]: JSON.stringify([...results.values()]), [PROFILES_KEY]: JSON.stringify([...profiles]) })
        .catch(() => {});
    }, 2_000);
  }
  return {
    async load() {
      const stored = await area.get([KEY, PROFILES_KEY]);
      for (const r of readStoredList<LinkResult>(stored[KEY])) results.set(r.url, r);
      for (const entry of readStoredList<[string, { at: number; profile: HostProfile }]>(stored[PROFILES_KEY])) {
        if (Array.isArray(entry) && typeof entry[0] === 'string') profiles.set(entry[0], entry[1]);
      }
    },
    getProfile(key, maxAgeMs) {
      const entry = profiles.get(key);
      return entry && Date.now() - entry.at <= maxAgeMs ? entry.profile : undefined;
    },
    putProfile(key, profile) {
      profiles.delete(key);
      profiles.set(key, { at: Date.now(), profile });
      if (profiles.size > MAX_PROFILES) {
        const oldest = profiles.keys().next().value;
        if (oldest !== undefined) profiles.delete(oldest);
      }
      scheduleSave();
    },
    get(url, maxAgeMs) {
      const result = results.get(url);
      return result && Date.now() - result.checkedAt <= maxAgeMs ? result : undefined;
    },
    put(result) {
      results.delete(result.url);
      results.set(result.url, result);
      if (results.size > MAX_ENTRIES) {
        const oldest = results.keys().next().value;
        if (oldest !== undefined) results.delete(oldest);
      }
      scheduleSave();
    },
  };
}
