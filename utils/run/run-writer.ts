import type { RunScope } from '../check/check-links';
import type { ServerMessage } from '../protocol';
import { type IconState, iconState } from '../toolbar-icon';
import { type LinkEntry, PROBLEM_VERDICTS } from '../types';
import type { RunPlatform } from './platform';
import type { StoredRun } from './stored-run';

/** Changes go to the pages and to storage at most this often. */
export const FLUSH_MS = 150;
/** Written at least this often while a run is going, so a restarted worker finds fresh state. */
export const HEARTBEAT_MS = 5_000;
/** A write that failed is tried again after HEARTBEAT_MS, then twice as long after each failure, up to this. */
export const SAVE_RETRY_MAX_MS = 60_000;

/**
 * How long after its last failed write a run's next write waits. Each try builds every row not saved — for a run too
 * big for storage, all of them, up to the area's quota (StoredRun.flush) — so a run that does not fit is not tried at
 * the heartbeat's pace for as long as it lives.
 */
export function saveRetryMs(failures: number): number {
  return Math.min(HEARTBEAT_MS * 2 ** Math.max(0, failures - 1), SAVE_RETRY_MAX_MS);
}

/** The writes of one stored value that failed in a row (a run's, a menu check's): when the next one is due. */
export class SaveFailures {
  /** When the last one failed; undefined once a write succeeds. */
  at: number | undefined = undefined;
  count = 0;

  /** A write failed; true for the first in a row, which is the one said in the console. */
  add(now: number): boolean {
    const first = this.at === undefined;
    this.at = now;
    this.count += 1;
    return first;
  }

  /** A write succeeded. */
  clear(): void {
    this.at = undefined;
    this.count = 0;
  }

  /** How long after the last failure the next try waits. */
  get retryMs(): number {
    return saveRetryMs(this.count);
  }

  /** The next write may be tried: none failed, or the wait after the last failure is over. */
  due(now: number): boolean {
    return this.at === undefined || now - this.at > this.retryMs;
  }
}

/** A run held in memory by the worker: its stored form plus what only this worker's life needs. */
export interface LiveRun {
  stored: StoredRun;
  /** Aborts every check of the run; null once it has ended. */
  controller: AbortController | null;
  /** Engine jobs still going: the run's links, then any added while it lives. */
  jobs: number;
  /** What the run's jobs share (the guard by address, soft-404 profiles): a later job must not start afresh. */
  scope: RunScope;
  /** Rows changed since the pages last heard, by index. */
  pending: Map<number, LinkEntry>;
  /** When this run's changes were last sent to its pages. */
  lastBroadcast: number;
  /** A link turned broken (or stopped being broken) since the badge was last set. */
  badgeStale: boolean;
  /** Writes of this run that failed in a row: the next is tried only after saveRetryMs, not every batch. */
  saveFailures: SaveFailures;
  /** The `metaVersion` of the run the pages last heard. */
  sentMetaVersion: number;
}

export function liveRun(stored: StoredRun): LiveRun {
  return {
    stored,
    controller: null,
    jobs: 0,
    scope: {},
    pending: new Map(),
    lastBroadcast: 0,
    badgeStale: false,
    saveFailures: new SaveFailures(),
    sentMetaVersion: -1,
  };
}

type WriterPlatform = Pick<RunPlatform, 'area' | 'clock' | 'log' | 'setBadge' | 'setIcon' | 'keepAwake'>;

/**
 * Sends the runs' changes to their pages and writes them to storage in batches: every FLUSH_MS while something is to
 * be done, a heartbeat every HEARTBEAT_MS while a run is going, and after a failed write (a full storage area) only
 * after saveRetryMs, so a run too big to keep goes on in memory without a write attempt per batch or per heartbeat.
 */
export class RunWriter {
  private stopTicking: (() => void) | null = null;
  /** The icon each tab shows, and the run state it was set for. */
  private readonly icons = new Map<number, { icon: IconState; runState: string }>();
  private lastWrite = 0;
  /**
   * The resume alarm may be set: true until a tick finds no run going and releases it (also at a worker's start, where
   * an earlier life may have left it). A run waiting for room to be saved keeps the ticks, not the alarm.
   */
  private awake = true;
  /** Writes not yet known to have worked: the ticks go on for them, as one that fails is retried by the ticks. */
  private saving = 0;

  constructor(
    private readonly platform: WriterPlatform,
    private readonly runs: () => Iterable<LiveRun>,
    private readonly send: (tabId: number, message: ServerMessage) => void,
  ) {}

  /** Applies a change to one row of a run and queues it for the pages and storage. */
  record(run: LiveRun, url: string, change: Partial<LinkEntry>): boolean {
    const i = run.stored.update(url, change);
    const entry = i === undefined ? undefined : run.stored.entries[i];
    if (i === undefined || !entry) return false;
    run.pending.set(i, entry);
    // The badge counts broken links; the icon shows whether any problem was found.
    if (change.result && PROBLEM_VERDICTS.includes(change.result.verdict)) run.badgeStale = true;
    // Leading edge: after a quiet spell a verdict goes out at once (the first of a run above all); later changes wait
    // for the next batch. Only the pages hear of it here; storage is written with the batch.
    if (change.result && this.platform.clock.now() - run.lastBroadcast >= FLUSH_MS) this.sendChanges(run);
    return true;
  }

  /** Sends a run's changes since the last message to its pages, in one message. */
  sendChanges(run: LiveRun): void {
    const { stored } = run;
    this.send(stored.meta.tabId, { type: 'update', meta: stored.meta, changes: [...run.pending] });
    run.pending.clear();
    run.sentMetaVersion = stored.metaVersion;
    run.lastBroadcast = this.platform.clock.now();
    if (run.badgeStale || this.icons.get(stored.meta.tabId)?.runState !== stored.meta.state) this.updateBadge(run);
  }

  /** Sets the tab's badge (broken links) and, when it changed, its icon (idle, running, problems). */
  updateBadge(run: LiveRun): void {
    run.badgeStale = false;
    let broken = 0;
    let problems = 0;
    for (const e of run.stored.entries) {
      if (!e.result) continue;
      if (e.result.verdict === 'broken') broken += 1;
      if (PROBLEM_VERDICTS.includes(e.result.verdict)) problems += 1;
    }
    const { tabId, state: runState } = run.stored.meta;
    this.platform.setBadge(tabId, broken);
    const icon = iconState({ running: runState === 'running', problems });
    if (this.icons.get(tabId)?.icon !== icon) this.platform.setIcon(tabId, icon);
    this.icons.set(tabId, { icon, runState });
  }

  /** A tab without a run any more shows the plain icon. */
  clearIcon(tabId: number): void {
    this.icons.delete(tabId);
    this.platform.setIcon(tabId, 'idle');
  }

  /** Starts the batches (if not going); `awake` also keeps the worker coming back while a run is going. */
  start(awake: boolean): void {
    this.stopTicking ??= this.platform.clock.every(FLUSH_MS, () => this.flushAll());
    if (awake) {
      this.awake = true;
      this.platform.keepAwake(true);
    }
  }

  /** Writes what changed of one run; a failed write keeps it dirty for a later try and is said once per run. */
  async save(run: LiveRun): Promise<void> {
    // Also for a run that ended: if this write fails, only the ticks try it again.
    this.saving += 1;
    this.start(false);
    try {
      await run.stored.flush(this.platform.area);
      run.saveFailures.clear();
      // Written in full again: the pages stop saying otherwise (the cleared flag is saved with the next batch).
      if (run.stored.meta.unsaved) run.stored.setMeta({ unsaved: false });
    } catch (error) {
      this.saveFailed(run, error);
    } finally {
      this.saving -= 1;
    }
  }

  /**
   * Sends batched updates to every open page and writes changed chunks; stops ticking once no run is going, no write
   * is under way and every run is saved (a run that ended while storage was full is still written once there is room).
   * A write marks its rows clean as it starts, so a tick cannot tell one under way from one done by the rows alone.
   */
  flushAll(): void {
    const now = this.platform.clock.now();
    const heartbeat = now - this.lastWrite > HEARTBEAT_MS;
    let running = false;
    let unsaved = false;
    for (const run of this.runs()) {
      const { stored } = run;
      if (stored.meta.state === 'running') running = true;
      if (heartbeat && stored.meta.state === 'running') stored.setMeta({});
      if (run.pending.size > 0 || stored.metaVersion !== run.sentMetaVersion) this.sendChanges(run);
      if (stored.dirty && run.saveFailures.due(now)) {
        this.lastWrite = now;
        void this.save(run);
      }
      if (stored.dirty && run.saveFailures.at !== undefined) unsaved = true;
    }
    if (!running) {
      if (this.awake) {
        this.awake = false;
        this.platform.keepAwake(false);
      }
      if (!unsaved && this.saving === 0) {
        this.stopTicking?.();
        this.stopTicking = null;
      }
    }
  }

  /**
   * storage.session holds 10 MB for everything: a very large run (with the result cache) may not fit. The run goes on
   * in memory and its rows stay dirty, written once there is room; said once per run, as it costs only the resume.
   */
  private saveFailed(run: LiveRun, error: unknown): void {
    if (!run.saveFailures.add(this.platform.clock.now())) return;
    if (/quota/i.test(String((error as Error)?.message ?? error))) {
      // The person is told too, on the run's pages (PageNotices), not only in the worker's console.
      if (!run.stored.meta.unsaved) run.stored.setMeta({ unsaved: true });
      this.platform.log.warn(
        `Linkpulse: the run of tab ${run.stored.meta.tabId} (${run.stored.entries.length} links) does not fit in ` +
          'session storage; it goes on, but what is not saved would be checked again if the background stopped.',
      );
    } else {
      this.platform.log.error('Linkpulse: could not save the run', error);
    }
  }
}
