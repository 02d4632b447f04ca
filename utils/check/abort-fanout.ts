/** What each signal's one listener calls when it aborts. */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` once when `signal` aborts; returns what stops watching. A run's signal is watched by every link
 * waiting in the limiter (thousands) and every request in flight: the browser keeps an event target's listeners in a
 * list it scans on each add and remove, so one listener per signal fans out to a set here instead — a run of 2 000
 * links spent ~0.1 s of the worker's CPU adding and removing its listeners.
 */
export function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let set = watchers.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    set = fresh;
    watchers.set(signal, fresh);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const watcher of fresh) watcher();
      },
      { once: true },
    );
  }
  set.add(onAbort);
  const watching = set;
  return () => {
    watching.delete(onAbort);
  };
}
