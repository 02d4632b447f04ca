import type { ResultCache } from '../check/check-links';
import type { TargetDeps } from '../check/check-target';
import type { Limiter } from '../check/limiter';
import type { NetObserver } from '../check/request';
import { type Baseline, baselineOf } from '../history/diff';
import { type IgnoredLink, ignoredOn } from '../history/ignore';
import { siteOf } from '../history/keys';
import type { SiteHistory, SiteStart } from '../history/site-history';
import type { Note } from '../notes/note';
import type { Settings } from '../settings';
import { CHUNK_ROWS, type CrawlStore } from './crawl-store';
import type { Crawler } from './crawler';
import type { PlannedPage } from './frontier';
import type { CrawlClientMessage, CrawlServerMessage } from './protocol';
import { checkSite } from './site-check';
import {
  type CrawlLink,
  type CrawlMeta,
  type CrawlOptions,
  type CrawlPage,
  isNotSavedNote,
  rowsNotSaved,
} from './types';

/** What the site-check lifecycle needs from the browser, passed in so that it runs (and is tested) without one. */
export interface CrawlPlatform {
  store(): Promise<CrawlStore>;
  readSettings(): Promise<Settings>;
  /** The address of the tab's page, or null when the tab is gone. */
  tabUrl(tabId: number): Promise<string | null>;
  limiter: Limiter;
  cache?: ResultCache;
  deps: TargetDeps & { observer?: NetObserver };
  /** Keeps the worker alive (and wakes it if stopped) while a crawl is going. */
  keepAlive(on: boolean): void;
  newId(): string;
  /** The links the person ignored, of every site (absent: none); a site check skips its site's. */
  readIgnored?(): Promise<IgnoredLink[]>;
  /** Compares a site check with the previous one of its start page, and keeps it once finished (absent: neither). */
  history?: Pick<SiteHistory, 'prepare' | 'baselineOf' | 'ended' | 'endedBefore'>;
}

export interface CrawlWatcher {
  tabId: number;
  post(message: CrawlServerMessage): void;
}

/** Changes reach the crawl page at most this often, and storage at most every SAVE_MS. */
const FLUSH_MS = 200;
const SAVE_MS = 1_000;
/** A crawl's notes kept for the person (the newest). */
const MAX_NOTES = 20;

class ActiveCrawl {
  readonly pages: CrawlPage[] = [];
  readonly links: CrawlLink[] = [];
  readonly pageIndex = new Map<string, number>();
  readonly linkIndex = new Map<string, number>();
  readonly changedPages = new Set<number>();
  readonly changedLinks = new Set<number>();
  readonly dirtyPageChunks = new Set<number>();
  readonly dirtyLinkChunks = new Set<number>();
  controller = new AbortController();
  crawler: Crawler | null = null;
  metaDirty = true;
  /** The previous site check's verdicts each link is marked with (history), null when there is none to compare. */
  baseline: Baseline | null = null;
  /** The last save to storage, which the next one waits for. */
  saved: Promise<void> = Promise.resolve();
  /** Saves asked for and not yet through: the manager keeps flushing until none is left and nothing is unsaved. */
  savesUnderWay = 0;
  /**
   * The pages a picked-up crawl was to fetch, saved as its resume point until its crawler exists (robots.txt and the
   * sitemap come first): saving none meanwhile would leave a worker stopped again with nothing to go on from.
   */
  resumeFrom: PlannedPage[] = [];
  /** Who waits for the whole crawl to be in storage (allSaved). */
  private whenSaved: (() => void)[] = [];
  private release: (() => void) | null = null;
  private paused: Promise<void> | null = null;

  constructor(public meta: CrawlMeta) {}

  putPage(page: CrawlPage): void {
    let i = this.pageIndex.get(page.url);
    if (i === undefined) {
      i = this.pages.length;
      this.pageIndex.set(page.url, i);
    }
    this.pages[i] = { ...page };
    this.changedPages.add(i);
    this.dirtyPageChunks.add(Math.floor(i / CHUNK_ROWS));
  }

  putLink(found: CrawlLink): void {
    const link: CrawlLink = this.baseline ? { ...found, before: this.baseline.get(found.url) ?? 'absent' } : found;
    let i = this.linkIndex.get(link.url);
    if (i === undefined) {
      i = this.links.length;
      this.linkIndex.set(link.url, i);
    }
    this.links[i] = link;
    this.changedLinks.add(i);
    this.dirtyLinkChunks.add(Math.floor(i / CHUNK_ROWS));
  }

  setMeta(change: Partial<CrawlMeta>): void {
    this.meta = { ...this.meta, ...change };
    this.metaDirty = true;
  }

  /** Rows or metadata not in storage yet, or a save of them still under way. */
  unsaved(): boolean {
    return this.metaDirty || this.dirtyPageChunks.size > 0 || this.dirtyLinkChunks.size > 0 || this.savesUnderWay > 0;
  }

  /** Resolves once storage holds all of the crawl (at once if it does): a save refused is retried until then. */
  allSaved(): Promise<void> {
    if (!this.unsaved()) return Promise.resolve();
    return new Promise((resolve) => this.whenSaved.push(resolve));
  }

  /** A save ended: whoever waits for the whole crawl in storage hears of it once nothing is left unsaved. */
  saveEnded(): void {
    this.savesUnderWay -= 1;
    if (this.unsaved()) return;
    for (const resolve of this.whenSaved.splice(0)) resolve();
  }

  /** A note for the person, after the others; the last MAX_NOTES are kept. */
  addNote(note: Note): void {
    this.setMeta({ notes: [...this.meta.notes, note].slice(-MAX_NOTES) });
  }

  /** Resolves at once unless paused; then when resumed (or cancelled). */
  gate = (): Promise<void> => this.paused ?? Promise.resolve();

  pause(): void {
    if (this.paused) return;
    this.paused = new Promise((resolve) => {
      this.release = resolve;
    });
    this.setMeta({ paused: true });
  }

  resume(): void {
    this.release?.();
    this.release = null;
    this.paused = null;
    this.setMeta({ paused: false });
  }
}

/**
 * The lifecycle of site checks, one per tab (the latest one started from it): start, pause, resume, cancel, live
 * updates to the crawl pages, batched saving to IndexedDB, and picking a crawl up after the worker restarts.
 */
export class CrawlManager {
  private readonly crawls = new Map<number, ActiveCrawl>();
  /** Each tab's latest start, settled once it has set its crawl (see start). */
  private readonly starting = new Map<number, Promise<void>>();
  /** Finished checks whose end the history is still to write (their last rows first): a new check may compare with one. */
  private readonly ending = new Set<ActiveCrawl>();
  private readonly watchers = new Set<CrawlWatcher>();
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Whether the platform was asked to keep the worker alive (a crawl running). */
  private alive = false;
  private lastSave = 0;
  readonly restored: Promise<void>;

  constructor(private readonly platform: CrawlPlatform) {
    this.restored = this.restore().catch((error) => console.error('Linkpulse: could not restore site checks', error));
  }

  watch(watcher: CrawlWatcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  async handle(watcher: CrawlWatcher, message: CrawlClientMessage): Promise<void> {
    await this.restored;
    const crawl = this.crawls.get(message.tabId);
    switch (message.type) {
      case 'crawl-watch':
        if (crawl) watcher.post(this.snapshot(crawl));
        else await this.sendStored(watcher, message.tabId);
        return;
      case 'crawl-start':
        await this.start(message.tabId, message.options);
        return;
      // Saved at once: a worker stopped just after must come back paused (or not) as the person left it.
      case 'crawl-pause':
        if (crawl?.meta.state === 'running') crawl.pause();
        this.flush(true);
        return;
      case 'crawl-resume':
        if (crawl?.meta.state === 'running') crawl.resume();
        this.flush(true);
        return;
      case 'crawl-cancel': {
        // A start of this tab still under way replaces the crawl in hand (cancelling that one itself): Cancel is meant
        // for the crawl the person sees starting, so it waits for the start and cancels what it set.
        await this.starting.get(message.tabId);
        const current = this.crawls.get(message.tabId);
        if (current) this.cancel(current);
        return;
      }
    }
  }

  private snapshot(crawl: ActiveCrawl): CrawlServerMessage {
    return { type: 'crawl-snapshot', meta: crawl.meta, pages: crawl.pages, links: crawl.links };
  }

  private broadcast(tabId: number, message: CrawlServerMessage): void {
    for (const w of this.watchers) if (w.tabId === tabId) w.post(message);
  }

  /** A finished crawl of a tab from an earlier worker life: shown from storage. */
  private async sendStored(watcher: CrawlWatcher, tabId: number): Promise<void> {
    const store = await this.platform.store();
    const latest = (await store.list()).find((m) => m.tabId === tabId);
    const stored = latest ? await store.load(latest.crawlId) : undefined;
    if (stored) watcher.post({ type: 'crawl-snapshot', meta: stored.meta, pages: stored.pages, links: stored.links });
    else watcher.post({ type: 'crawl-unavailable', tabId, problem: 'no-crawl' });
  }

  /**
   * Starts a site check of a tab, in turn after any start of the same tab still going: two at once (a double click on
   * "Check again") would both cancel the crawl before them, then both set theirs, and the first, replaced without being
   * cancelled, would go on fetching where Cancel no longer reaches it.
   */
  start(tabId: number, options: CrawlOptions): Promise<void> {
    const started = (this.starting.get(tabId) ?? Promise.resolve()).then(() => this.startNow(tabId, options));
    const settled = started.catch(() => {});
    this.starting.set(tabId, settled);
    void settled.then(() => {
      if (this.starting.get(tabId) === settled) this.starting.delete(tabId);
    });
    return started;
  }

  private async startNow(tabId: number, options: CrawlOptions): Promise<void> {
    const old = this.crawls.get(tabId);
    if (old) this.cancel(old);
    const url = await this.platform.tabUrl(tabId);
    const start = url ? URL.parse(url) : null;
    if (!start || (start.protocol !== 'http:' && start.protocol !== 'https:')) {
      this.broadcast(tabId, {
        type: 'crawl-unavailable',
        tabId,
        problem: 'not-web-page',
      });
      return;
    }
    start.hash = '';
    const settings = await this.platform.readSettings();
    const previous = this.withJustEnded(
      start.href,
      (await this.platform.history?.prepare(tabId, start.href)) ?? { meta: {}, baseline: null },
    );
    const meta: CrawlMeta = {
      crawlId: this.platform.newId(),
      tabId,
      startUrl: start.href,
      origin: start.origin,
      options,
      settings,
      state: 'running',
      paused: false,
      startedAt: this.platform.deps.now(),
      finishedAt: null,
      queued: 1,
      notes: [],
      ...previous.meta,
    };
    const crawl = new ActiveCrawl(meta);
    crawl.baseline = previous.baseline;
    this.crawls.set(tabId, crawl);
    this.broadcast(tabId, this.snapshot(crawl));
    const store = await this.platform.store();
    await store.prune(9).catch(() => {});
    this.run(crawl, undefined);
  }

  private run(crawl: ActiveCrawl, progress: Parameters<typeof checkSite>[0]['progress']): void {
    this.ensureTicking();
    this.alive = true;
    this.platform.keepAlive(true);
    void this.ignoredOn(crawl.meta.startUrl)
      .then((ignored) =>
        checkSite({
          ignored,
          startUrl: crawl.meta.startUrl,
          options: crawl.meta.options,
          settings: crawl.meta.settings,
          limiter: this.platform.limiter,
          deps: this.platform.deps,
          cache: this.platform.cache,
          signal: crawl.controller.signal,
          gate: crawl.gate,
          progress,
          onCrawler: (crawler) => {
            crawl.crawler = crawler;
          },
          events: {
            page: (page) => crawl.putPage(page),
            link: (link) => crawl.putLink(link),
            queued: (queued) => crawl.setMeta({ queued }),
            note: (note) => crawl.addNote(note),
          },
        }),
      )
      .then(
        () => {
          if (crawl.controller.signal.aborted || this.crawls.get(crawl.meta.tabId) !== crawl) return;
          crawl.setMeta({ state: 'done', finishedAt: this.platform.deps.now(), queued: 0 });
          this.end(crawl);
        },
        (error) => {
          console.error('Linkpulse: site check failed', error);
          crawl.addNote({ code: 'crawl-stopped', error: String(error) });
          crawl.setMeta({ state: 'cancelled', finishedAt: this.platform.deps.now() });
          this.end(crawl);
        },
      );
  }

  /**
   * What a new check of a start page compares with: the history's latest, or a check of it that finished since and
   * whose end the history is still writing — a big check's last rows take a while, and "Check again" can come first.
   */
  private withJustEnded(startUrl: string, previous: SiteStart): SiteStart {
    if (previous.meta.private || !this.platform.history) return previous;
    let latest: ActiveCrawl | undefined;
    for (const crawl of this.ending) {
      const after = latest?.meta.finishedAt ?? previous.meta.baseline?.finishedAt ?? Number.NEGATIVE_INFINITY;
      if (crawl.meta.startUrl === startUrl && (crawl.meta.finishedAt ?? 0) > after) latest = crawl;
    }
    if (!latest) return previous;
    return {
      meta: { baseline: { crawlId: latest.meta.crawlId, finishedAt: latest.meta.finishedAt ?? latest.meta.startedAt } },
      baseline: baselineOf(latest.links.map((l) => ({ url: l.url, verdict: l.result?.verdict }))),
    };
  }

  /** The ignored links of a start page's site, read as each crawl runs (also one picked up after a restart). */
  private async ignoredOn(startUrl: string): Promise<ReadonlyMap<string, IgnoredLink>> {
    try {
      return ignoredOn((await this.platform.readIgnored?.()) ?? [], siteOf(startUrl));
    } catch (error) {
      console.error('Linkpulse: could not read the ignored links', error);
      return new Map();
    }
  }

  cancel(crawl: ActiveCrawl): void {
    crawl.controller.abort();
    crawl.resume();
    if (crawl.meta.state !== 'running') return void this.flush(true);
    crawl.setMeta({ state: 'cancelled', finishedAt: this.platform.deps.now() });
    this.end(crawl);
  }

  /**
   * A crawl that stopped: its last rows written, then handed to the history (kept, or forgotten if private). Only once
   * storage has all of it: the history's record of a check whose rows it refused would show links missing, and the
   * next check would call them new. Meanwhile the crawl page says it is not saved.
   */
  private end(crawl: ActiveCrawl): void {
    this.flush(true);
    if (crawl.meta.state === 'done' && !crawl.meta.private) this.ending.add(crawl);
    void crawl.allSaved().then(async () => {
      const handed = await this.platform.history?.ended(crawl.meta, crawl.pages, crawl.links);
      this.ending.delete(crawl);
      if (handed !== false || crawl.meta.private) return;
      // Storage refused it (full, most likely): its crawl page says so; every row is still there to export.
      crawl.addNote({ code: 'crawl-not-kept' });
      this.flush(true);
    });
  }

  /**
   * Picks up crawls that were running when the worker stopped: they go on from their saved rows. One that had ended
   * but not reached the history yet (the worker stopped in between) reaches it now, before any new check compares.
   */
  private async restore(): Promise<void> {
    const store = await this.platform.store();
    for (const meta of await store.list()) {
      if (meta.state !== 'running') await this.platform.history?.endedBefore(meta);
      if (meta.state !== 'running' || this.crawls.has(meta.tabId)) continue;
      const stored = await store.load(meta.crawlId);
      if (!stored) continue;
      const crawl = new ActiveCrawl(stored.meta);
      crawl.baseline = (await this.platform.history?.baselineOf(stored.meta)) ?? null;
      for (const page of stored.pages) crawl.putPage(page);
      for (const link of stored.links) crawl.putLink(link.phase === 'checking' ? { ...link, phase: 'queued' } : link);
      crawl.resumeFrom = stored.pending;
      this.crawls.set(meta.tabId, crawl);
      if (stored.meta.paused) crawl.pause();
      // Stopped before its start page was read (robots.txt or the sitemap under way): it starts again, sitemap too.
      const started = stored.pages.length > 0 || stored.pending.length > 0;
      this.run(crawl, started ? { pages: stored.pages, links: crawl.links, pending: stored.pending } : undefined);
    }
  }

  private ensureTicking(): void {
    this.timer ??= setInterval(() => this.flush(false), FLUSH_MS);
  }

  /** Sends changed rows to the crawl pages, and saves changed chunks (at most every SAVE_MS unless `now`). */
  flush(now: boolean): void {
    const save = now || this.platform.deps.now() - this.lastSave >= SAVE_MS;
    let running = false;
    let unsaved = false;
    for (const crawl of this.crawls.values()) {
      if (crawl.meta.state === 'running') running = true;
      if (crawl.unsaved()) unsaved = true;
      if (crawl.changedPages.size > 0 || crawl.changedLinks.size > 0 || crawl.metaDirty) {
        const pages = [...crawl.changedPages].map((i) => crawl.pages[i] as CrawlPage);
        const links = [...crawl.changedLinks].map((i) => crawl.links[i] as CrawlLink);
        crawl.changedPages.clear();
        crawl.changedLinks.clear();
        this.broadcast(crawl.meta.tabId, { type: 'crawl-update', meta: crawl.meta, pages, links });
      }
      // One save at a time per crawl, in order: the history keeps a finished crawl after its last one.
      if (save) {
        crawl.savesUnderWay += 1;
        crawl.saved = crawl.saved.then(() => this.save(crawl)).finally(() => crawl.saveEnded());
      }
    }
    if (save) this.lastSave = this.platform.deps.now();
    if (!running && this.alive) {
      this.alive = false;
      this.platform.keepAlive(false);
    }
    // A crawl that ended keeps being saved until storage has it all (a full disk may take a while): one that storage
    // still held as running would be picked up and run again at the worker's next start.
    if (running || unsaved) this.ensureTicking();
    else if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private async save(crawl: ActiveCrawl): Promise<void> {
    if (!crawl.metaDirty && crawl.dirtyPageChunks.size === 0 && crawl.dirtyLinkChunks.size === 0) return;
    const pageChunks = [...crawl.dirtyPageChunks];
    const linkChunks = [...crawl.dirtyLinkChunks];
    // Written without the note that an earlier save failed (it is true only until this one is through); the crawl page
    // keeps showing it meanwhile.
    const failedBefore = rowsNotSaved(crawl.meta);
    const withoutNote = (meta: CrawlMeta) => ({ ...meta, notes: meta.notes.filter((n) => !isNotSavedNote(n)) });
    crawl.dirtyPageChunks.clear();
    crawl.dirtyLinkChunks.clear();
    crawl.metaDirty = false;
    try {
      const store = await this.platform.store();
      await store.save(failedBefore ? withoutNote(crawl.meta) : crawl.meta, [
        { kind: 'pages', rows: crawl.pages, dirty: pageChunks },
        { kind: 'links', rows: crawl.links, dirty: linkChunks },
        { kind: 'pending', rows: crawl.crawler?.pending() ?? crawl.resumeFrom },
      ]);
    } catch (error) {
      // Written again with the next save: nothing is lost but the resume point. The person is told on the crawl page
      // (storage full, most likely), not only in the worker's console, until a save goes through.
      for (const c of pageChunks) crawl.dirtyPageChunks.add(c);
      for (const c of linkChunks) crawl.dirtyLinkChunks.add(c);
      crawl.metaDirty = true;
      const notSaved: Note = { code: 'crawl-not-saved', error: error instanceof Error ? error.name : String(error) };
      // An ended crawl's state at least, which is small: storage must not hold it as running if the worker stops. With
      // the note, which says its stored rows are not the whole check (never kept in the history as it is).
      if (crawl.meta.state !== 'running') {
        const meta = failedBefore ? crawl.meta : { ...crawl.meta, notes: [...crawl.meta.notes, notSaved] };
        await this.platform
          .store()
          .then((store) => store.saveMeta(meta))
          .catch(() => {});
      }
      if (failedBefore) return;
      console.error('Linkpulse: could not save the site check', error);
      crawl.addNote(notSaved);
    }
    if (!failedBefore && !rowsNotSaved(crawl.meta)) return;
    // A save went through after some did not: the note goes (the meta now saved is without it).
    if (failedBefore) crawl.meta = withoutNote(crawl.meta);
    // Shown at once: an ended crawl has no more updates of its own.
    this.broadcast(crawl.meta.tabId, { type: 'crawl-update', meta: crawl.meta, pages: [], links: [] });
  }
}
