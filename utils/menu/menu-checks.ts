import type { Timers } from '../collect/scan-schedule';
import type { IgnoredLink } from '../history/ignore';
import { describeCollectFailure, isUnavailable, readCollection } from '../run/collection';
import type { CheckJob } from '../run/platform';
import type { KeyValueArea } from '../run/stored-run';
import type { Settings } from '../settings';
import type { FoundLink } from '../types';
import { CheckSaves, checkKey } from './check-saves';
import {
  applyProgress,
  finish,
  linkCheck,
  MAX_KEPT_CHECKS,
  type MenuCheck,
  type MenuProblem,
  readMenuCheck,
  selectionCheck,
  selectionEntries,
} from './menu-check';
import type { MenuRequest } from './menu-items';
import type { AnswerServerMessage } from './protocol';

/** Everything the menu checks need from the browser, injected so that they run in a unit test. */
export interface MenuCheckDeps {
  /** Where answers are kept for the answer window and a restarted worker (`storage.session`). */
  area: KeyValueArea;
  readSettings(): Promise<Settings>;
  readIgnored(): Promise<IgnoredLink[]>;
  /** The engine, with the background's shared limiter and result cache. */
  check(job: CheckJob): Promise<void>;
  /** Collects the links the selection touches in one frame of a tab (collectLinks, onlySelection); what the page said. */
  collectSelection(tabId: number, frameId: number): Promise<unknown>;
  /** Opens the answer window of a check (a selection's is larger: it lists many links). */
  show(id: string, kind: MenuCheck['kind']): Promise<void>;
  /** While a check is going, a periodic wake-up starts a stopped worker again so that it finishes it (see wake). */
  keepAwake(on: boolean): void;
  timers: Timers;
  newId(): string;
  log: Pick<Console, 'warn' | 'error'>;
}

/** Answers are saved and sent at most this often while they arrive (a selection's links come in quick succession). */
const FLUSH_MS = 150;
/**
 * A check nobody follows any more (its window closed) stops after this long: its answers could not be seen. Long enough
 * for a reloaded window, or one whose port a restarted worker closed, to follow it again.
 */
export const UNWATCHED_STOP_MS = 3_000;
const INDEX_KEY = 'menu-checks';

interface LiveCheck {
  check: MenuCheck;
  controller: AbortController;
  /** Entries changed since the last flush. */
  dirty: Set<number>;
  timer: unknown;
}

type Post = (message: AnswerServerMessage) => void;

/**
 * The checks the context menu starts: each one link ("Check this link") or the links a selection touches, checked by
 * the page-check engine with the settings of the moment, and shown in an answer window that follows it live. Kept in
 * the session area, so a reloaded window or a restarted worker finds the answer (a check cut short goes on).
 */
export class MenuChecks {
  private readonly live = new Map<string, LiveCheck>();
  private readonly watchers = new Map<string, Set<Post>>();
  private readonly saves: CheckSaves;
  /** Writes of the list of kept checks, one after the other. */
  private kept: Promise<void> = Promise.resolve();
  /** Settles once the checks a stopped worker left are going again. */
  readonly restored: Promise<void>;

  constructor(private readonly deps: MenuCheckDeps) {
    this.saves = new CheckSaves(deps);
    this.restored = this.resume();
  }

  /** Starts the check a menu click asked for and opens its answer window; resolves with the check's id. */
  async start(request: MenuRequest): Promise<string> {
    await this.restored;
    const id = this.deps.newId();
    const settings = await this.deps.readSettings();
    const now = this.deps.timers.now();
    const check =
      request.kind === 'link'
        ? linkCheck(id, request.url, request.pageUrl, settings, now)
        : selectionCheck(id, request.pageUrl, settings, now);
    const live = this.track(check);
    await this.saves.save(check);
    this.keep(id);
    // The window opens at once and follows the check as it goes ("Checking…", "Reading the selection…").
    this.deps
      .show(id, check.kind)
      .catch((error) => this.deps.log.error('Linkpulse: could not open the answer window', error));
    if (request.kind === 'selection') {
      const found = await this.collect(request.tabId, request.frameId);
      if (live.controller.signal.aborted) return id;
      if (isUnavailable(found)) {
        this.end(live, 'done', { code: 'unreadable', why: found });
        return id;
      }
      check.entries = selectionEntries(found.links, check.pageUrl, await this.readIgnored(), this.deps.timers.now());
      check.truncated = found.truncated;
      void this.saves.save(check);
      this.broadcast(id, { type: 'answer', check });
      if (check.entries.length === 0) {
        this.end(live, 'done', { code: 'no-links' });
        return id;
      }
    }
    void this.run(live);
    return id;
  }

  /** A page follows a check: the whole of it now, then its changes. Returns the function that stops following. */
  watch(id: string, post: Post): () => void {
    const set = this.watchers.get(id) ?? new Set();
    set.add(post);
    this.watchers.set(id, set);
    void (async () => {
      await this.restored;
      if (!set.has(post)) return;
      const check = this.live.get(id)?.check ?? this.saves.unsaved(id) ?? (await this.load(id));
      if (!set.has(post)) return;
      send(post, check ? { type: 'answer', check } : { type: 'answer-unavailable', id });
    })();
    return () => {
      set.delete(post);
      if (set.size > 0) return;
      this.watchers.delete(id);
      if (!this.live.has(id)) return;
      this.deps.timers.setTimeout(() => {
        if (!this.watchers.has(id)) this.stop(id);
      }, UNWATCHED_STOP_MS);
    };
  }

  /** Stops a check that is going (the answer window's Stop); what was answered stays. */
  stop(id: string): void {
    const live = this.live.get(id);
    if (live) this.end(live, 'cancelled');
  }

  /** The worker was woken (an alarm): checks a stopped worker left go on. */
  wake(): void {
    void this.restored.then(() => this.resume());
  }

  private async resume(): Promise<void> {
    for (const id of await this.keptIds()) {
      // One not saved yet ended in this worker: the area may hold it as still going.
      if (this.live.has(id) || this.saves.unsaved(id)) continue;
      const check = await this.load(id);
      if (check?.state !== 'running') continue;
      const live = this.track(check);
      if (check.kind === 'selection' && check.entries.length === 0) {
        // The selection may have changed since: it is not read again behind the person's back.
        this.end(live, 'cancelled', { code: 'selection-lost' });
      } else {
        void this.run(live);
      }
    }
  }

  private track(check: MenuCheck): LiveCheck {
    const live: LiveCheck = { check, controller: new AbortController(), dirty: new Set(), timer: undefined };
    this.live.set(check.id, live);
    this.deps.keepAwake(true);
    return live;
  }

  private async collect(tabId: number, frameId: number) {
    try {
      return readCollection(await this.deps.collectSelection(tabId, frameId));
    } catch (error) {
      return describeCollectFailure(error);
    }
  }

  private async readIgnored(): Promise<IgnoredLink[]> {
    try {
      return await this.deps.readIgnored();
    } catch (error) {
      this.deps.log.error('Linkpulse: could not read the ignored links', error);
      return [];
    }
  }

  private async run(live: LiveCheck): Promise<void> {
    const { check, controller } = live;
    const links: FoundLink[] = check.entries
      .filter((entry) => entry.phase !== 'done')
      .map(({ url, occurrences, texts, samePageFragment, frames }) => ({
        url,
        occurrences,
        texts,
        ...(samePageFragment ? { samePageFragment } : {}),
        ...(frames ? { frames } : {}),
      }));
    const progress = (url: string, change: Parameters<typeof applyProgress>[2]) => {
      if (controller.signal.aborted) return;
      const index = applyProgress(check, url, change);
      if (index < 0) return;
      live.dirty.add(index);
      live.timer ??= this.deps.timers.setTimeout(() => this.flush(live), FLUSH_MS);
    };
    try {
      await this.deps.check({
        pageUrl: check.pageUrl,
        links,
        settings: check.settings,
        signal: controller.signal,
        // One link asked about by name gets a fresh answer; a selection is checked as a page check is.
        useCache: check.kind === 'selection',
        onChecking: (url) => progress(url, 'checking'),
        onResult: (result) => progress(result.url, { result }),
      });
    } catch (error) {
      this.deps.log.error('Linkpulse: a menu check failed', error);
    }
    if (!controller.signal.aborted) this.end(live, 'done');
  }

  private end(live: LiveCheck, state: 'done' | 'cancelled', problem?: MenuProblem): void {
    live.controller.abort();
    finish(live.check, state, this.deps.timers.now(), problem);
    this.live.delete(live.check.id);
    if (this.live.size === 0) this.deps.keepAwake(false);
    this.flush(live);
  }

  /** Saves the check and sends the changed entries to the pages that follow it. */
  private flush(live: LiveCheck): void {
    if (live.timer !== undefined) this.deps.timers.clearTimeout(live.timer);
    live.timer = undefined;
    const { check } = live;
    const changes = [...live.dirty]
      .sort((a, b) => a - b)
      .map((i) => [i, check.entries[i]] as [number, MenuCheck['entries'][number]]);
    live.dirty.clear();
    void this.saves.save(check);
    this.broadcast(check.id, {
      type: 'answer-update',
      id: check.id,
      state: check.state,
      finishedAt: check.finishedAt,
      ...(check.problem === undefined ? {} : { problem: check.problem }),
      changes,
    });
  }

  private broadcast(id: string, message: AnswerServerMessage): void {
    for (const post of this.watchers.get(id) ?? []) send(post, message);
  }

  private async load(id: string): Promise<MenuCheck | null> {
    const stored = await this.deps.area.get(checkKey(id)).catch(() => ({}) as Record<string, unknown>);
    return readMenuCheck(stored[checkKey(id)]);
  }

  private async keptIds(): Promise<string[]> {
    const stored = await this.deps.area.get(INDEX_KEY).catch(() => ({}) as Record<string, unknown>);
    const ids = stored[INDEX_KEY];
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }

  /** Adds a check to the kept ones, the newest last; the oldest beyond the bound go (never one still going). */
  private keep(id: string): void {
    this.kept = this.kept.then(async () => {
      const ids = [...(await this.keptIds()).filter((kept) => kept !== id), id];
      const dropped: string[] = [];
      while (ids.length > MAX_KEPT_CHECKS) {
        const oldest = ids.findIndex((kept) => !this.live.has(kept));
        if (oldest < 0) break;
        dropped.push(...ids.splice(oldest, 1));
      }
      for (const gone of dropped) this.saves.drop(gone);
      try {
        await this.deps.area.set({ [INDEX_KEY]: ids });
        if (dropped.length > 0) await this.deps.area.remove(dropped.map(checkKey));
      } catch (error) {
        this.deps.log.warn('Linkpulse: could not keep the list of menu checks', error);
      }
    });
  }
}

/** A page that closed between two messages: nothing to do. */
function send(post: Post, message: AnswerServerMessage): void {
  try {
    post(message);
  } catch {
    /* the page is gone */
  }
}
