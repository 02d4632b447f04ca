import { type KeyValueArea, readStoredList } from '../run/stored-run';
import type { LinkResult } from '../types';
import type { ResultCache } from './check-links';

const KEY = 'result-cache';
/** Older entries are dropped past this many, oldest first. */
const MAX_ENTRIES = 20_000;

/** Recent results across runs and tabs, kept in session storage so a restarted worker still has them. */
export function createResultCache(area: KeyValueArea): ResultCache & { load(): Promise<void> } {
  const results = new Map<string, LinkResult>();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  function scheduleSave() {
    if (saveTimer !== null) return;
    saveTimer = setTimeout(() => {
      saveTimer = null;
      // One JSON string: storage.session counts objects at about three times their JSON size against its 10 MB.
      area.set({ [KEY]: JSON.stringify([...results.values()]) }).catch(() => {});
    }, 2_000);
  }
  return {
    async load() {
      for (const r of readStoredList<LinkResult>((await area.get(KEY))[KEY])) results.set(r.url, r);
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
