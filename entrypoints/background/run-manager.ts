import { type Browser, browser } from 'wxt/browser';
import { checkLinks, type ResultCache, realTimeDeps } from '@/utils/check/check-links';
import { createLimiter } from '@/utils/check/limiter';
import type { NetObserver } from '@/utils/check/request';
import { type Collection, collectLinks } from '@/utils/collect/collect-links';
import { type ClientMessage, isClientMessage, type ServerMessage } from '@/utils/protocol';
import { type KeyValueArea, loadRuns, removeRun, StoredRun } from '@/utils/run/run-store';
import type { Settings } from '@/utils/settings';
import { readSettings } from '@/utils/settings-store';
import { type LinkEntry, PROBLEM_VERDICTS } from '@/utils/types';

/** More links than this on one page are left out, with a message: a hostile page must not exhaust memory. */
export const MAX_LINKS = 20_000;
const FLUSH_MS = 150;
/** Written at least this often while a run is going, so a restarted worker finds fresh state. */
const HEARTBEAT_MS = 5_000;
export const RESUME_ALARM = 'linkpulse-resume';

interface ActiveRun {
  stored: StoredRun;
  controller: AbortController | null;
  pending: Map<number, LinkEntry>;
  /** When this run's changes were last sent to its pages. */
  lastBroadcast: number;
  /** A link turned broken since the badge was last set. */
  badgeStale: boolean;
  /** When a write of this run last failed: it is then tried again with the heartbeat only, not every batch. */
  saveFailedAt?: number;
}

const RESTRICTED_MESSAGE =
  'Linkpulse cannot read this page: browsers keep extensions out of their own pages (chrome://, about:, the web ' +
  'store, the PDF viewer). Open a regular web page and click the icon again.';

function activeRun(stored: StoredRun): ActiveRun {
  return { stored, controller: null, pending: new Map(), lastBroadcast: 0, badgeStale: false };
}

/** Keeps one run per tab: starts, resumes after a worker restart, streams progress, persists in batches. */
export class RunManager {
  private readonly runs = new Map<number, ActiveRun>();
  /** The latest start asked for each tab: a start overtaken by a later one (a double click on Re-check) gives way. */
  private readonly starts = new Map<number, number>();
  /** One limiter for all runs: two tabs checking one host share its limit. Each run sets it to its own settings. */
  private readonly limiter = createLimiter({ global: 1, perHost: 1 });
  private readonly ports = new Map<number, Set<Browser.runtime.Port>>();
  private readonly restored: Promise<void>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastWrite = 0;

  constructor(
    private readonly area: KeyValueArea,
    private readonly observer: NetObserver,
    private readonly cache: ResultCache & { load(): Promise<void> },
  ) {
    this.restored = this.restore();
  }

  /** A stopped worker starts afresh with empty globals: pick up every run left in session storage. */
  private async restore(): Promise<void> {
    await this.cache.load();
    for (const stored of await loadRuns(this.area)) {
      const run = activeRun(stored);
      this.runs.set(stored.meta.tabId, run);
      if (stored.meta.state === 'running') {
        this.check(
          run,
          stored.entries.filter((e) => e.phase !== 'done'),
          stored.meta.freshAnswers !== true,
        );
      }
      this.updateBadge(run);
    }
  }

  connect(port: Browser.runtime.Port): void {
    let tabId: number | null = null;
    port.onMessage.addListener(async (message: unknown) => {
      await this.restored;
      if (!isClientMessage(message)) return;
      const m = message;
      if (tabId === null) {
        tabId = m.tabId;
        const set = this.ports.get(tabId) ?? new Set();
        set.add(port);
        this.ports.set(tabId, set);
      }
      // One port watches one tab.
      if (m.tabId === tabId) await this.handle(port, m);
    });
    port.onDisconnect.addListener(() => {
      if (tabId !== null) this.ports.get(tabId)?.delete(port);
    });
  }

  private async handle(port: Browser.runtime.Port, message: ClientMessage): Promise<void> {
    const run = this.runs.get(message.tabId);
    switch (message.type) {
      case 'watch':
        if (run) this.sendSnapshot(port, run);
        else if (message.startIfNone) await this.start(message.tabId, null, true);
        else
          this.post(port, { type: 'unavailable', tabId: message.tabId, message: 'No check has run on this tab yet.' });
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

  private post(port: Browser.runtime.Port, message: ServerMessage): void {
    try {
      port.postMessage(message);
    } catch {
      // The popup closed between two batches: nothing to do, the run goes on.
    }
  }

  private broadcast(tabId: number, message: ServerMessage): void {
    for (const port of this.ports.get(tabId) ?? []) this.post(port, message);
  }

  private sendSnapshot(port: Browser.runtime.Port, run: ActiveRun): void {
    this.post(port, { type: 'snapshot', meta: run.stored.meta, entries: run.stored.entries });
  }

  private async collect(tabId: number, settings: Settings): Promise<Collection | string> {
    try {
      const [injection] = await browser.scripting.executeScript({
        target: { tabId },
        func: collectLinks,
        args: [settings.collect, MAX_LINKS],
      });
      const collection = injection?.result as Collection | undefined;
      if (!collection || !Array.isArray(collection.links)) return 'The page did not answer. Reload it and try again.';
      return collection;
    } catch (error) {
      const text = String((error as Error)?.message ?? error);
      if (
        /cannot (access|be scripted)|chrome:\/\/|extensions gallery|cannot script|Missing host permission/i.test(text)
      ) {
        return RESTRICTED_MESSAGE;
      }
      if (/No tab with id/i.test(text)) return 'That tab is gone.';
      return `Linkpulse could not read this page: ${text}`;
    }
  }

  /** Starts a new run on a tab (or re-checks only the failed links of `previous`). */
  async start(tabId: number, previous: StoredRun | null, useCache: boolean): Promise<void> {
    const ticket = (this.starts.get(tabId) ?? 0) + 1;
    this.starts.set(tabId, ticket);
    const overtaken = () => this.starts.get(tabId) !== ticket;
    const old = this.runs.get(tabId);
    if (old) this.cancel(old, false);
    const settings = await readSettings();
    let entries: LinkEntry[];
    let page = previous?.meta.page;
    let truncated = previous?.meta.truncated ?? false;
    let collectMs: number | undefined;
    if (previous) {
      entries = previous.entries.map((e) => {
        const failed = !e.result || PROBLEM_VERDICTS.includes(e.result.verdict);
        return failed ? { url: e.url, occurrences: e.occurrences, texts: e.texts, phase: 'queued' } : { ...e };
      });
    } else {
      const collection = await this.collect(tabId, settings);
      if (overtaken()) return;
      if (typeof collection === 'string') {
        this.broadcast(tabId, { type: 'unavailable', tabId, message: collection });
        return;
      }
      page = collection.page;
      truncated = collection.truncated;
      collectMs = typeof collection.ms === 'number' ? collection.ms : undefined;
      entries = collection.links.map((link) => ({ ...link, phase: 'queued' }));
    }
    if (overtaken()) return;
    // Whatever run the tab has now ends here, including one another start put in place while this one collected.
    const current = this.runs.get(tabId);
    if (current) this.cancel(current, false);
    const stored = new StoredRun(
      {
        runId: crypto.randomUUID(),
        tabId,
        page: page ?? { url: '', title: '' },
        startedAt: Date.now(),
        finishedAt: null,
        state: 'running',
        settings,
        total: entries.length,
        truncated,
        collectMs,
        freshAnswers: !useCache,
      },
      entries,
    );
    const run = activeRun(stored);
    this.runs.set(tabId, run);
    // The popup first, then the requests, then storage: neither the rows nor the checks wait for the write. A write
    // that fails must not stop the run: it is tried again with the next batches.
    for (const port of this.ports.get(tabId) ?? []) this.sendSnapshot(port, run);
    this.updateBadge(run);
    this.check(
      run,
      entries.filter((e) => e.phase !== 'done'),
      useCache,
    );
    await stored.flush(this.area).catch((error) => this.saveFailed(run, error));
  }

  private check(run: ActiveRun, todo: LinkEntry[], useCache: boolean): void {
    const controller = new AbortController();
    run.controller = controller;
    const { stored } = run;
    // Only links caught mid-check by a worker restart change phase here; a new run's are queued already, and the
    // popup has them from its snapshot, so they would only weigh down the first update.
    for (const entry of todo) if (entry.phase !== 'queued') this.change(run, entry.url, { phase: 'queued' });
    this.ensureTicking();
    browser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
    const deps = { ...realTimeDeps(fetch), observer: this.observer };
    checkLinks({
      pageUrl: stored.meta.page.url,
      links: todo,
      settings: stored.meta.settings,
      deps,
      limiter: this.limiter,
      signal: controller.signal,
      cache: this.cache,
      useCache,
      onChecking: (url) => this.change(run, url, { phase: 'checking' }),
      onResult: (result) => this.change(run, result.url, { phase: 'done', result }),
    })
      .then(() => {
        if (controller.signal.aborted || this.runs.get(stored.meta.tabId) !== run) return;
        stored.setMeta({ state: 'done', finishedAt: Date.now() });
        run.controller = null;
        this.flushAll();
      })
      .catch((error) => console.error('Linkpulse: run failed', error));
  }

  private change(run: ActiveRun, url: string, change: Partial<LinkEntry>): void {
    // A run cancelled, replaced or forgotten may still hear from a request that was ending: that is not its answer.
    if (this.runs.get(run.stored.meta.tabId) !== run || run.stored.meta.state !== 'running') return;
    const i = run.stored.update(url, change);
    const entry = i === undefined ? undefined : run.stored.entries[i];
    if (i !== undefined && entry) run.pending.set(i, entry);
    if (change.result?.verdict === 'broken') run.badgeStale = true;
    // Leading edge: after a quiet spell a verdict goes out at once (the first of a run above all); later changes wait
    // for the next batch. Only the pages hear of it here; storage is written with the batch.
    if (change.result && Date.now() - run.lastBroadcast >= FLUSH_MS) this.sendChanges(run);
  }

  /** Sends a run's changes since the last message to its pages, in one message. */
  private sendChanges(run: ActiveRun): void {
    const { stored } = run;
    this.broadcast(stored.meta.tabId, { type: 'update', meta: stored.meta, changes: [...run.pending] });
    run.pending.clear();
    run.lastBroadcast = Date.now();
    if (run.badgeStale) this.updateBadge(run);
  }

  cancel(run: ActiveRun, keep = true): void {
    run.controller?.abort();
    run.controller = null;
    if (run.stored.meta.state === 'running') run.stored.setMeta({ state: 'cancelled', finishedAt: Date.now() });
    if (keep) this.flushAll();
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
    this.broadcast(tabId, { type: 'unavailable', tabId, message: 'The page changed: click Re-check to check it.' });
    await removeRun(this.area, tabId);
    browser.action.setBadgeText({ tabId, text: '' }).catch(() => {});
  }

  /** The page of a tab changed address (not just its fragment). */
  async onNavigated(tabId: number, url: string): Promise<void> {
    await this.restored;
    const run = this.runs.get(tabId);
    if (run && url.split('#')[0] !== run.stored.meta.page.url.split('#')[0]) void this.forget(tabId);
  }

  /**
   * storage.session holds 10 MB for everything: a very large run (with the result cache) may not fit. The run goes on
   * in memory and its rows stay dirty, written once there is room; said once per run, as it costs only the resume.
   */
  private saveFailed(run: ActiveRun, error: unknown): void {
    const first = run.saveFailedAt === undefined;
    run.saveFailedAt = Date.now();
    if (!first) return;
    if (/quota/i.test(String((error as Error)?.message ?? error))) {
      console.warn(
        `Linkpulse: the run of tab ${run.stored.meta.tabId} (${run.stored.entries.length} links) does not fit in ` +
          'session storage; it goes on, but what is not saved would be checked again if the background stopped.',
      );
    } else {
      console.error('Linkpulse: could not save the run', error);
    }
  }

  private updateBadge(run: ActiveRun): void {
    run.badgeStale = false;
    const broken = run.stored.entries.reduce((n, e) => n + (e.result?.verdict === 'broken' ? 1 : 0), 0);
    const tabId = run.stored.meta.tabId;
    browser.action.setBadgeText({ tabId, text: broken > 0 ? String(broken) : '' }).catch(() => {});
    browser.action.setBadgeBackgroundColor({ tabId, color: '#c62828' }).catch(() => {});
  }

  private ensureTicking(): void {
    this.timer ??= setInterval(() => this.flushAll(), FLUSH_MS);
  }

  /** Sends batched updates to every open popup and writes changed chunks; stops ticking once no run is going. */
  flushAll(): void {
    const now = Date.now();
    const heartbeat = now - this.lastWrite > HEARTBEAT_MS;
    let running = false;
    for (const run of this.runs.values()) {
      const { stored } = run;
      if (stored.meta.state === 'running') running = true;
      if (run.pending.size > 0 || stored.dirty) this.sendChanges(run);
      if (heartbeat && stored.meta.state === 'running') stored.setMeta({});
      if (stored.dirty && (run.saveFailedAt === undefined || now - run.saveFailedAt > HEARTBEAT_MS)) {
        this.lastWrite = now;
        stored.flush(this.area).then(
          () => {
            run.saveFailedAt = undefined;
          },
          (error) => this.saveFailed(run, error),
        );
      }
    }
    if (!running) {
      if (this.timer) clearInterval(this.timer);
      this.timer = null;
      browser.alarms.clear(RESUME_ALARM).catch(() => {});
    }
  }
}
