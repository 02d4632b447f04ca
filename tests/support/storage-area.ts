import { memoryArea } from '../../utils/run/session-area';
import type { KeyValueArea } from '../../utils/run/stored-run';

/**
 * An in-memory storage area (copying values in and out as storage.session does) that records the keys of every `set`
 * and can be made to refuse writes as a full storage.session does.
 */
export function recordingArea() {
  const inner = memoryArea();
  const writes: string[][] = [];
  let full = false;
  const area: KeyValueArea = {
    get: (keys) => inner.get(keys),
    remove: (keys) => inner.remove(keys),
    async set(items) {
      writes.push(Object.keys(items));
      if (full) throw new Error('Session storage quota bytes exceeded. Values were not stored.');
      await inner.set(items);
    },
  };
  return {
    area,
    /** The keys of each `set` call, refused ones included. */
    writes,
    /** Makes the area refuse (true) or accept (false) writes. */
    setFull(value: boolean) {
      full = value;
    },
    /** Every key stored now. */
    keys: async () => Object.keys(await inner.get(null)),
  };
}
