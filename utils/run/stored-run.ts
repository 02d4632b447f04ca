import type { Settings } from '../settings';
import type { LinkEntry, PageInfo, RunStateName } from '../types';

export interface RunMeta {
  runId: string;
  tabId: number;
  page: PageInfo;
  startedAt: number;
  finishedAt: number | null;
  state: RunStateName;
  /** The settings this run used: later changes apply to the next run. */
  settings: Settings;
  total: number;
  /** The page had more links than the cap; the rest were not collected. */
  truncated: boolean;
  /** Time the link collection took in the page, ms (absent for a re-check of failed links). */
  collectMs?: number;
  /** A re-check: every link is asked of its server, none taken from recent results, also when resumed. */
  freshAnswers?: boolean;
  /** History: the previous finished run of the same page URL that this one is compared with (absent: none). */
  baseline?: { runId: string; finishedAt: number };
  /** History: nothing of this run is kept (a private window). */
  private?: boolean;
  /**
   * History: this run's end is kept in the history (`false`: storage refused it, said on the run's pages). A worker can
   * stop between the end and keeping it: a done run restored without `true` is kept then (RunEvent `unkept`). Cleared
   * when the run goes on (links joined it).
   */
  kept?: boolean;
  /** Frames from other sites on the page, whose links were not read (live pages). */
  crossOriginFrames?: number;
  /** Later addresses of the same document (client-side route changes) the run covers too, oldest first. */
  addresses?: string[];
  /**
   * The last write of this run did not fit in session storage: it goes on in memory, and what is not saved would be
   * checked again if the background stopped. Cleared once a write succeeds.
   */
  unsaved?: boolean;
}

/** The part of a storage area the store needs (`storage.session` in the worker; a Map in tests). */
export interface KeyValueArea {
  get(keys: string | string[] | null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
  /** The most the area holds, in bytes, where the browser says (storage.session: 10 MB in Chromium). */
  readonly QUOTA_BYTES?: number;
}

/**
 * Rows per stored chunk: a result changes one chunk, so a write stays small whatever the run's size. Results arrive
 * roughly in page order (hosts take turns through their links), so a batch touches one or two chunks: at 100 rows a
 * batch writes a few hundred rows, where 500 made every batch of a 2 000-link run serialise and send ~750 rows.
 */
export const CHUNK_SIZE = 100;

const metaKey = (tabId: number) => `run:${tabId}`;
const chunkKey = (tabId: number, chunk: number) => `run:${tabId}:${chunk}`;

/** A run as kept in storage: metadata plus its rows in chunks, written in batches. */
export class StoredRun {
  readonly meta: RunMeta;
  readonly entries: LinkEntry[];
  private readonly index = new Map<string, number>();
  private readonly dirtyChunks = new Set<number>();
  private metaDirty = true;
  /** Counts changes of `meta`, so the pages hear of each one once, whether or not it was saved. */
  metaVersion = 0;
  /**
   * Chunks the area may still hold from the runs this one replaced in its tab: the keys from this run's own count up to
   * this one are removed once this run's meta (with its count) is written, as nothing reads them any more.
   */
  private replacedChunks = 0;

  constructor(meta: RunMeta, entries: LinkEntry[]) {
    this.meta = meta;
    this.entries = entries;
    entries.forEach((entry, i) => {
      this.index.set(entry.url, i);
    });
    for (let chunk = 0; chunk * CHUNK_SIZE < entries.length; chunk++) this.dirtyChunks.add(chunk);
  }

  indexOf(url: string): number | undefined {
    return this.index.get(url);
  }

  /** Applies a change to one row; returns its index, or undefined for a URL that is not part of the run. */
  update(url: string, change: Partial<LinkEntry>): number | undefined {
    const i = this.index.get(url);
    const entry = i === undefined ? undefined : this.entries[i];
    if (i === undefined || !entry) return undefined;
    Object.assign(entry, change);
    this.dirtyChunks.add(Math.floor(i / CHUNK_SIZE));
    return i;
  }

  /**
   * Adds rows at the end (links that joined the page later), leaving out URLs the run has already; `total` follows.
   * Returns the rows added.
   */
  append(entries: readonly LinkEntry[]): LinkEntry[] {
    const added: LinkEntry[] = [];
    for (const entry of entries) {
      if (this.index.has(entry.url)) continue;
      const i = this.entries.push(entry) - 1;
      this.index.set(entry.url, i);
      this.dirtyChunks.add(Math.floor(i / CHUNK_SIZE));
      added.push(entry);
    }
    if (added.length > 0) this.setMeta({ total: this.entries.length });
    return added;
  }

  /** This run takes the place of `old` in its tab's keys: the chunks `old` left past this run's are its to remove. */
  replaces(old: StoredRun): void {
    this.replacedChunks = Math.max(old.chunks, old.replacedChunks);
    // A write of `old` still on its way removes nothing once it is done: this run may have written its own rows there.
    old.replacedChunks = 0;
  }

  private get chunks(): number {
    return Math.ceil(this.entries.length / CHUNK_SIZE);
  }

  setMeta(change: Partial<RunMeta>): void {
    Object.assign(this.meta, change);
    this.metaDirty = true;
    this.metaVersion += 1;
  }

  markClean(): void {
    this.metaDirty = false;
    this.dirtyChunks.clear();
  }

  get dirty(): boolean {
    return this.metaDirty || this.dirtyChunks.size > 0;
  }

  /**
   * Writes what changed since the last flush in one `set` call. A write that alone is larger than the area's quota is
   * not made: the browser would refuse it anyway, after taking seconds to serialise it (a run of 20 000 links of 4 kB:
   * ~160 MB, ~15 s of the worker), and building it stops as soon as it is known to be too large.
   */
  async flush(area: KeyValueArea): Promise<void> {
    if (!this.dirty) return;
    const items: Record<string, unknown> = {};
    const tabId = this.meta.tabId;
    const quota = area.QUOTA_BYTES ?? Number.POSITIVE_INFINITY;
    // What the write holds at least: its strings' lengths (the area counts keys and values, in UTF-8).
    let size = 0;
    if (this.metaDirty) items[metaKey(tabId)] = { ...this.meta, chunks: this.chunks };
    for (const chunk of this.dirtyChunks) {
      // As one JSON string: storage.session counts an object's every key and value, about three times its JSON
      // length, and holds 10 MB in all; a string costs its length, so a run of 10 000 checked links fits.
      const json = JSON.stringify(this.entries.slice(chunk * CHUNK_SIZE, (chunk + 1) * CHUNK_SIZE));
      size += json.length;
      if (size > quota) {
        // Kept dirty, as for a refused write: written with a later flush if the run ever fits.
        throw new Error(`Quota exceeded: this run's rows take more than the area's ${quota} bytes; not written.`);
      }
      items[chunkKey(tabId, chunk)] = json;
    }
    const chunks = [...this.dirtyChunks];
    this.metaDirty = false;
    this.dirtyChunks.clear();
    try {
      await area.set(items);
    } catch (error) {
      // Not written (e.g. the area is full): keep it to write with the next flush, so nothing is silently lost.
      if (items[metaKey(tabId)]) this.metaDirty = true;
      for (const chunk of chunks) this.dirtyChunks.add(chunk);
      throw error;
    }
    if (items[metaKey(tabId)]) await this.removeReplacedChunks(area);
  }

  /**
   * Removes the chunks of replaced runs past this run's count (a re-check of a page that now has fewer links): the
   * area holds 10 MB for every run, and a run of 1 000 long links left there would take room the next runs need.
   */
  private async removeReplacedChunks(area: KeyValueArea): Promise<void> {
    // Counted after the write: a chunk of rows that joined meanwhile is this run's and is not removed.
    const stale: string[] = [];
    for (let chunk = this.chunks; chunk < this.replacedChunks; chunk++) stale.push(chunkKey(this.meta.tabId, chunk));
    // A failed removal throws before this: it is tried again with the next write of the meta (a running run's
    // heartbeat writes it).
    if (stale.length > 0) await area.remove(stale);
    this.replacedChunks = 0;
  }
}

/**
 * A list kept in session storage: a JSON string as written now (storage.session counts an object at about three
 * times its JSON length), or an array as earlier versions wrote it; anything else reads as empty.
 */
export function readStoredList<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  } catch {
    return [];
  }
}

/** Loads every stored run (a restarted worker picks them up here). */
export async function loadRuns(area: KeyValueArea): Promise<StoredRun[]> {
  const all = await area.get(null);
  const runs: StoredRun[] = [];
  for (const [key, value] of Object.entries(all)) {
    if (!/^run:\d+$/.test(key)) continue;
    const { chunks, ...meta } = value as RunMeta & { chunks: number };
    const entries: LinkEntry[] = [];
    for (let chunk = 0; chunk < chunks; chunk++) {
      entries.push(...readStoredList<LinkEntry>(all[chunkKey(meta.tabId, chunk)]));
    }
    const run = new StoredRun(meta, entries);
    // Loaded as stored: nothing to write back yet.
    run.markClean();
    runs.push(run);
  }
  return runs;
}

/** Removes a tab's run from storage. */
export async function removeRun(area: KeyValueArea, tabId: number): Promise<void> {
  const all = await area.get(null);
  const keys = Object.keys(all).filter((key) => key === metaKey(tabId) || key.startsWith(`${metaKey(tabId)}:`));
  if (keys.length > 0) await area.remove(keys);
}
