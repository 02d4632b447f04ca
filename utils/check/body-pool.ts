/**
 * Bytes of response bodies a run may hold at once (fragment reads). A read takes its cap from the pool before it is
 * sent and gives it back when done; when the pool is empty, the next read waits its turn (first come, first served),
 * so a page of many fragment links never has more than the pool's size of documents in memory.
 */
export interface BytePool {
  /** Resolves with a release function once `bytes` are free; rejects if `signal` aborts first. */
  acquire(bytes: number, signal: AbortSignal): Promise<() => void>;
}

/** Fragment reads of one run share this much (eight 2 MB documents at once). */
export const RUN_BODY_BYTES = 16 * 1024 * 1024;

export function createBytePool(total: number): BytePool {
  let free = total;
  const waiting: { bytes: number; grant: () => void }[] = [];
  const next = () => {
    while (waiting.length > 0 && (waiting[0]?.bytes ?? 0) <= free) {
      const head = waiting.shift();
      if (!head) break;
      free -= head.bytes;
      head.grant();
    }
  };
  return {
    acquire(wanted, signal) {
      const bytes = Math.min(wanted, total);
      return new Promise((resolve, reject) => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          free += bytes;
          next();
        };
        const entry = {
          bytes,
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            resolve(release);
          },
        };
        const onAbort = () => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          reject(signal.reason);
        };
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        waiting.push(entry);
        next();
      });
    },
  };
}
