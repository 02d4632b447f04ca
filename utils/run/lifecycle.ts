import { type ClientMessage, isClientMessage, type ServerMessage } from '../protocol';
import { type FoundLink, type LinkEntry, PROBLEM_VERDICTS } from '../types';
import { describeCollectFailure, isUnavailable, MAX_LINKS, readCollection } from './collection';
import { chunkMessage } from './message-chunks';
import type { RunClient, RunPlatform } from './platform';
import { type LiveRun, liveRun, RunWriter } from './run-writer';
import { loadRuns, type RunMeta, removeRun, StoredRun } from './stored-run';

/** A run as features read it: never change it in place, go through the lifecycle's methods. */
export interface RunView {
  readonly meta: Readonly<RunMeta>;
  readonly entries: readonly Readonly<LinkEntry>[];
}

/**
 * What happens to runs, for features that follow them (history on `finished` and `unkept`, live pages on `started` /
 * `resumed` and `cancelled` / `forgotten`). `unkept`: a worker starting found a run that ended in an earlier life
 * without reaching the history (not `kept`, not private). `amended`: a feature is done changing verdicts of the run
 * (the second opinion), whose end is then kept again. Listeners run synchronously in the worker: start async work,
 * do not block.
 */
export type RunEvent =
  | { type: 'started' | 'resumed' | 'finished' | 'cancelled' | 'unkept' | 'amended'; tabId: number; run: RunView }
  | { type: 'forgotten'; tabId: number };

/** A page's connection, as the background hands it messages and its end. */
export interface ClientConnection {
  receive(message: unknown): Promise<void>;
  disconnect(): void;
}

/**
 * Keeps one run per tab: starts it (a later start overtakes one still collecting), cancels it, forgets it when the tab
 * closes or leaves the page, resumes it after a worker restart, and streams and saves its progress (RunWriter).
 * Everything from the browser comes through `RunPlatform`, so all of this runs in unit tests.
 */
export class RunLifecycle {
  private readonly runs = new Map<number, LiveRun>();
  /** The latest start asked for each tab: a start overtaken by a later one (a double click on Re-check) gives way. */
  private readonly starts = new Map<number, number>();
  private readonly clients = new Map<number, Set<RunClient>>();
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly writer: RunWriter;
  /** Settles once the runs kept in storage are back in memory; every event waits for it. */
  readonly restored: Promise<void>;

  constructor(private readonly platform: RunPlatform) {
    this.writer = new RunWriter(
      platform,
      () => this.runs.values(),
      (tabId, message) => this.broadcast(tabId, message),
    );
    this.restored = this.restore();
  }

  /** A stopped worker starts afresh with empty globals: pick up every run left in session storage. */
  private async restore(): Promise<void> {
    await this.platform.prepare();
    for (const stored of await loadRuns(this.platform.area)) {
      const run = liveRun(stored);
      this.runs.set(stored.meta.tabId, run);
      if (stored.meta.state === 'running') {
        const todo = stored.entries.filter((e) => e.phase !== 'done');
        this.check(run, todo, stored.meta.freshAnswers !== true);
        this.emit({ type: 'resumed', tabId: stored.meta.tabId, run: stored });
      } else if (stored.meta.state === 'done' && !stored.meta.kept && !stored.meta.private) {
        this.emit({ type: 'unkept', tabId: stored.meta.tabId, run: stored });
      }
      this.writer.updateBadge(run);
    }
  }

  /** A page (popup, report) opened a connection; one connection watches the one tab its first message names. */
  connect(client: RunClient): ClientConnection {
    let tabId: number | null = null;
    return {
      receive: async (message) => {
        await this.restored;
        if (!isClientMessage(message)) return;
        if (tabId === null) {
          tabId = message.tabId;
          const set = this.clients.get(tabId) ?? new Set();
          set.add(client);
          this.clients.set(tabId, set);
        }
        if (message.tabId === tabId) await this.handle(client, message);
      },
      disconnect: () => {
        if (tabId !== null) this.clients.get(tabId)?.delete(client);
      },
    };
  }

  private async handle(client: RunClient, message: ClientMessage): Promise<void> {
    const run = this.runs.get(message.tabId);
    switch (message.type) {
      case 'watch':
        if (run) this.post(client, snapshot(run));
        else if (message.startIfNone) await this.start(message.tabId, null, true);
        else
          this.post(client, {
            type: 'unavailable',
            tabId: message.tabId,
            problem: { kind: 'no-run' },
          });
        return;
      case 'recheck':
        // A re-check is a request for fresh answers: it bypasses the recent-results cache.
        await this.start(message.tabId, message.onlyFailed && run ? run.stored : null, false);
        return;
      case 'cancel':
        if (run) this.cancel(run);
        return;
    }
  }

  private post(client: RunClient, message: ServerMessage): void {
    try {
      // Each message well below the browser's size limit: a run of huge URLs comes in several.
      for (const part of chunkMessage(message)) client.post(part);
    } catch {
      // The page closed between two batches: nothing to do, the run goes on.
    }
  }

  private broadcast(tabId: number, message: ServerMessage): void {
    for (const client of this.clients.get(tabId) ?? []) this.post(client, message);
  }

  /** Starts a new run on a tab (or re-checks only the failed links of `previous`). */
  async start(tabId: number, previous: StoredRun | null, useCache: boolean): Promise<void> {
    const ticket = (this.starts.get(tabId) ?? 0) + 1;
    this.starts.set(tabId, ticket);
    const overtaken = () => this.starts.get(tabId) !== ticket;
    const old = this.runs.get(tabId);
    if (old) this.cancel(old, false);
    const settings = await this.platform.readSettings();
    let entries: LinkEntry[];
    let page = previous?.meta.page;
    let truncated = previous?.meta.truncated ?? false;
    let collectMs: number | undefined;
    if (previous) {
      entries = previous.entries.map((e) => {
        // An ignored link goes through prepareRun again: one un-ignored since is checked, not left `ignored`.
        const again = !e.result || PROBLEM_VERDICTS.includes(e.result.verdict) || e.result.reason === 'ignored';
        return again ? { ...foundLink(e), phase: 'queued' } : { ...e };
      });
    } else {
      const collection = await this.platform
        .collect(tabId, settings, MAX_LINKS)
        .then(readCollection, describeCollectFailure);
      if (overtaken()) return;
      if (isUnavailable(collection)) {
        this.broadcast(tabId, { type: 'unavailable', tabId, problem: collection });
        return;
      }
      page = collection.page;
      truncated = collection.truncated;
      collectMs = typeof collection.ms === 'number' ? collection.ms : undefined;
      entries = collection.links.map((link) => ({ ...link, phase: 'queued' }));
    }
    if (overtaken()) return;
    let extra: Partial<RunMeta> | undefined;
    if (this.platform.prepareRun) {
      ({ entries, meta: extra } = await this.platform.prepareRun({ tabId, pageUrl: page?.url ?? '', entries }));
      if (overtaken()) return;
    }
    // Whatever run the tab has now ends here, including one another start put in place while this one collected.
    const current = this.runs.get(tabId);
    if (current) this.cancel(current, false);
    const stored = new StoredRun(
      {
        runId: this.platform.newRunId(),
        tabId,
        page: page ?? { url: '', title: '' },
        startedAt: this.platform.clock.now(),
        finishedAt: null,
        state: 'running',
        settings,
        total: entries.length,
        truncated,
        collectMs,
        freshAnswers: !useCache,
        ...extra,
      },
      entries,
    );
    // The tab's keys are the old run's too: whatever chunks of it lie past this run's are removed with its first write.
    if (current) stored.replaces(current.stored);
    const run = liveRun(stored);
    this.runs.set(tabId, run);
    // The pages first, then the requests, then storage: neither the rows nor the checks wait for the write. A write
    // that fails must not stop the run: it is tried again with the next batches.
    this.broadcast(tabId, snapshot(run));
    this.writer.updateBadge(run);
    this.emit({ type: 'started', tabId, run: stored });
    this.check(
      run,
      entries.filter((e) => e.phase !== 'done'),
      useCache,
    );
    await this.writer.save(run);
  }

  /** Sends `todo` to the engine as one job of the run; the run is done when its last job ends. */
  private check(run: LiveRun, todo: LinkEntry[], useCache: boolean): void {
    run.controller ??= new AbortController();
    const { signal } = run.controller;
    const { stored } = run;
    // Only links caught mid-check by a worker restart change phase here; a new run's are queued already, and the
    // pages have them from their snapshot, so they would only weigh down the first update.
    for (const entry of todo) if (entry.phase !== 'queued') this.change(run, entry.url, { phase: 'queued' });
    this.writer.start(true);
    run.jobs++;
    this.platform
      .check({
        pageUrl: stored.meta.page.url,
        links: todo,
        settings: stored.meta.settings,
        signal,
        useCache,
        scope: run.scope,
        onChecking: (url) => this.change(run, url, { phase: 'checking' }),
        onResult: (result) => this.change(run, result.url, { phase: 'done', result }),
      })
      .finally(() => {
        run.jobs--;
      })
      .then(() => {
        if (signal.aborted || this.runs.get(stored.meta.tabId) !== run || run.jobs > 0) return;
        stored.setMeta({ state: 'done', finishedAt: this.platform.clock.now() });
        run.controller = null;
        this.writer.flushAll();
        this.emit({ type: 'finished', tabId: stored.meta.tabId, run: stored });
      })
      .catch((error) => this.platform.log.error('Linkpulse: run failed', error));
  }

  private change(run: LiveRun, url: string, change: Partial<LinkEntry>): void {
    // A run cancelled, replaced or forgotten may still hear from a request that was ending: that is not its answer.
    if (this.runs.get(run.stored.meta.tabId) !== run || run.stored.meta.state !== 'running') return;
    this.writer.record(run, url, change);
  }

  private cancel(run: LiveRun, keep = true): void {
    run.controller?.abort();
    run.controller = null;
    if (run.stored.meta.state === 'running') {
      run.stored.setMeta({ state: 'cancelled', finishedAt: this.platform.clock.now() });
      this.emit({ type: 'cancelled', tabId: run.stored.meta.tabId, run: run.stored });
    }
    if (keep) this.writer.flushAll();
  }

  /** The tab closed or left the page: its run is cancelled and its state freed. */
  async forget(tabId: number): Promise<void> {
    // Woken by this very event, the worker may not have loaded its runs yet: forgetting before would bring it back.
    await this.restored;
    // A start still collecting the old page gives way too.
    this.starts.set(tabId, (this.starts.get(tabId) ?? 0) + 1);
    const run = this.runs.get(tabId);
    if (run) this.cancel(run, false);
    this.runs.delete(tabId);
    this.broadcast(tabId, { type: 'unavailable', tabId, problem: { kind: 'page-changed' } });
    this.emit({ type: 'forgotten', tabId });
    await removeRun(this.platform.area, tabId);
    this.platform.setBadge(tabId, 0);
    this.writer.clearIcon(tabId);
  }

  /** The page of a tab changed address; a change of fragment only keeps the run. */
  async navigated(tabId: number, url: string): Promise<void> {
    await this.restored;
    const run = this.runs.get(tabId);
    if (run && url.split('#')[0] !== run.stored.meta.page.url.split('#')[0]) await this.forget(tabId);
  }

  /**
   * The tab shows a page whose address the browser keeps from Linkpulse (chrome://, the web store, a file without file
   * access): no URL comes with its navigation, but the tab left the run's page all the same.
   */
  async leftForHiddenPage(tabId: number): Promise<void> {
    await this.restored;
    if (this.runs.has(tabId)) await this.forget(tabId);
  }

  /** The periodic wake-up: batches go out and the heartbeat is written (restoring happened on construction). */
  wake(): void {
    this.writer.flushAll();
  }

  // ---- For features that plug into runs. Each returns false (or does nothing) when the tab has no such run. ----

  /** The tab's current run, to read. */
  get(tabId: number): RunView | undefined {
    return this.runs.get(tabId)?.stored;
  }

  /** Follows what happens to runs; returns the function that stops following. */
  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Adds links to a tab's run that is going or done (links that joined the page later); URLs it has are left out and
   * at most MAX_LINKS are kept. A done run goes back to running until they are judged. Returns how many joined.
   */
  addLinks(tabId: number, links: readonly FoundLink[]): number {
    const run = this.runs.get(tabId);
    if (!run || run.stored.meta.state === 'cancelled') return 0;
    return this.append(
      run,
      links.map((link) => ({ ...link, phase: 'queued' as const })),
    );
  }

  /**
   * `addLinks` for links that joined the page later, each first prepared as a new run's are (platform.prepareJoined:
   * an ignored link judged at once, each marked with the previous run's verdict). Resolves with how many joined.
   */
  async joinLinks(tabId: number, links: readonly FoundLink[]): Promise<number> {
    const run = this.runs.get(tabId);
    if (!run || run.stored.meta.state === 'cancelled') return 0;
    const fresh = links.filter((link) => run.stored.indexOf(link.url) === undefined);
    if (fresh.length === 0 || !this.platform.prepareJoined) return this.addLinks(tabId, fresh);
    const entries = await this.platform.prepareJoined({
      tabId,
      meta: run.stored.meta,
      entries: fresh.map((link) => ({ ...link, phase: 'queued' as const })),
    });
    // The run may have been replaced or cancelled meanwhile: these links were not its.
    const cancelled = (): boolean => run.stored.meta.state === 'cancelled';
    if (this.runs.get(tabId) !== run || cancelled()) return 0;
    return this.append(run, entries);
  }

  private append(run: LiveRun, entries: readonly LinkEntry[]): number {
    const room = Math.max(0, MAX_LINKS - run.stored.entries.length);
    const added = run.stored.append(entries.slice(0, room));
    if (added.length === 0) return 0;
    for (const entry of added) run.pending.set(run.stored.indexOf(entry.url) ?? -1, entry);
    // Its end, once it comes again, is kept again (with the links that joined).
    if (run.stored.meta.state === 'done') run.stored.setMeta({ state: 'running', finishedAt: null, kept: undefined });
    // A link judged already (ignored) needs no request; the run still ends through `check`, as an empty job does.
    this.check(
      run,
      added.filter((entry) => entry.phase !== 'done'),
      run.stored.meta.freshAnswers !== true,
    );
    return added.length;
  }

  /**
   * Changes one row of a tab's run whatever its state, e.g. a later second opinion on a finished link's result.
   * The pages, the badge and storage follow with the next batch.
   */
  amend(tabId: number, url: string, change: Partial<LinkEntry>): boolean {
    const run = this.runs.get(tabId);
    if (!run || !this.writer.record(run, url, change)) return false;
    if (change.result) {
      run.badgeStale = true;
      // What the history kept of its end is no longer what it says: kept again on `amended` (or by the next worker).
      if (run.stored.meta.kept !== undefined) run.stored.setMeta({ kept: undefined });
    }
    this.writer.start(false);
    return true;
  }

  /** A feature is done amending a tab's run (see `amend`): its end, if it has one, is kept again with the new rows. */
  amended(tabId: number): void {
    const run = this.runs.get(tabId);
    if (run) this.emit({ type: 'amended', tabId, run: run.stored });
  }

  /**
   * Sends a run's changes to its pages and writes them to storage now, not with the next batch: for a feature about to
   * act on them outside the worker (the second opinion opening a tab), so that a worker stopped meanwhile finds them.
   */
  async save(tabId: number): Promise<void> {
    const run = this.runs.get(tabId);
    if (!run) return;
    if (run.pending.size > 0) this.writer.sendChanges(run);
    await this.writer.save(run);
  }

  /** Changes a run's metadata (a feature's per-run state lives in optional fields of RunMeta); saved and sent. */
  updateMeta(tabId: number, change: Partial<RunMeta>): boolean {
    const run = this.runs.get(tabId);
    if (!run) return false;
    run.stored.setMeta(change);
    this.writer.start(false);
    return true;
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.platform.log.error('Linkpulse: a run listener failed', error);
      }
    }
  }
}

function snapshot(run: LiveRun): ServerMessage {
  return { type: 'snapshot', meta: run.stored.meta, entries: run.stored.entries };
}

/** What the page said of a link, without what a run made of it: every field a collection gives, and only those. */
function foundLink({ url, occurrences, texts, samePageFragment, frames }: LinkEntry): FoundLink {
  return {
    url,
    occurrences,
    texts,
    ...(samePageFragment ? { samePageFragment } : {}),
    ...(frames ? { frames } : {}),
  };
}
