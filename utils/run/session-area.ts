import type { KeyValueArea } from './stored-run';

/**
 * `storage.session` where the browser has it (Chromium 102+, Firefox 115+); otherwise a memory area, said once in the
 * console: everything still works, but a run then ends with the background instead of resuming after a restart.
 */
export function sessionArea(session: KeyValueArea | undefined, warn: (text: string) => void = console.warn) {
  if (session) return session;
  warn('Linkpulse: this browser has no storage.session; runs are kept in memory and end if the background stops.');
  return memoryArea();
}

/** A storage area in memory, copying values in and out as a real one does. */
export function memoryArea(): KeyValueArea {
  const items = new Map<string, unknown>();
  return {
    async get(keys) {
      const wanted = keys === null ? [...items.keys()] : typeof keys === 'string' ? [keys] : keys;
      const out: Record<string, unknown> = {};
      for (const key of wanted) if (items.has(key)) out[key] = structuredClone(items.get(key));
      return out;
    },
    async set(values) {
      for (const [key, value] of Object.entries(values)) items.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of typeof keys === 'string' ? [keys] : keys) items.delete(key);
    },
  };
}
