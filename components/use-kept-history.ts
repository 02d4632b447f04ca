import { useEffect, useState } from 'preact/hooks';

/** Listens for word that the kept history changed (utils/history/history-changes.ts); returns how to stop. */
export type WatchHistory = (onChange: () => void) => () => void;

/**
 * What a history panel lists, read only while it is open: when it opens, again when `key` changes (another check took
 * the screen: the one it replaced is kept by then, or will be), and whenever the history says it changed — a check is
 * kept only after its end has reached the page, so its state changing is too early a moment to read. Null until the
 * first read answers; `fallback` when a read fails.
 */
export function useKeptHistory<T>(
  open: boolean,
  read: () => Promise<T>,
  fallback: T,
  watch: WatchHistory,
  key: string,
): T | null {
  const [changes, setChanges] = useState(0);
  // Listening before the first read starts: a check kept while it is under way is read again after it.
  useEffect(() => (open ? watch(() => setChanges((n) => n + 1)) : undefined), [open, watch]);
  const [kept, setKept] = useState<T | null>(null);
  // `read` and `fallback` are new each render: `key` and `changes` say when to read again.
  useEffect(() => {
    if (!open) return;
    let current = true;
    read().then(
      (value) => current && setKept(value),
      () => current && setKept(fallback),
    );
    // An earlier read answering late must not overwrite a later one.
    return () => {
      current = false;
    };
  }, [open, key, changes]);
  return kept;
}
