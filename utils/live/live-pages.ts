import { withoutFragment } from '../check/fragments';
import type { Collection } from '../collect/collect-links';
import { type LiveCommand, type LiveReport, liveWhereOf, readLiveReport } from '../protocol';
import { MAX_LINKS } from '../run/collection';
import type { RunEvent, RunLifecycle, RunView } from '../run/lifecycle';
import { type KeyValueArea, readStoredList } from '../run/stored-run';
import type { Settings } from '../settings';

/** A run covers at most this many addresses of one document (a page that changes route in a loop stays bounded). */
export const MAX_ADDRESSES = 50;
/** How long the page has to say where it is after its address changed; a page gone says so at once. */
export const WHERE_TIMEOUT_MS = 2_000;
/** Tokens remembered per tab (see TabWatch.issued): one is given at each start of following. */
const MAX_ISSUED = 20;
const tokensKey = (tabId: number) => `live-tokens:${tabId}`;

/** What live pages need of the browser: talking to the live content script of a tab's top frame. */
export interface LivePlatform {
  /** Puts the live content script in the tab's top frame (once per document; it ignores a second injection). */
  inject(tabId: number): Promise<void>;
  /** Sends a command to it and resolves with its answer; rejects when no script listens (another document). */
  command(tabId: number, command: LiveCommand): Promise<unknown>;
  /** The tab's address as the browser reports it now; undefined when it cannot say. */
  tabUrl(tabId: number): Promise<string | undefined>;
  newToken(): string;
  /**
   * Where the tokens given to each tab's document are kept (storage.session), so a restarted worker still tells the
   * run's document from another restored from the back/forward cache. Neither the page nor its scripts can read it.
   */
  area: KeyValueArea;
  /** Resolves with `undefined` after `ms`: a page that never answers must not hold a decision up. */
  sleep(ms: number): Promise<undefined>;
  log: Pick<Console, 'warn' | 'error'>;
}

export type LiveRuns = Pick<RunLifecycle, 'restored' | 'get' | 'subscribe' | 'joinLinks' | 'updateMeta' | 'navigated'>;

interface TabWatch {
  /** Linkpulse pages (popup, report) open on the tab's run. */
  pages: number;
  /** The script was asked to follow, or connected (it connects when it starts following), and has not stopped since. */
  following: boolean;
  /**
   * The port of the script that follows now. A script injected again replaces the old one, whose port may close after
   * the new one connected: only the current port's end means the page is no longer followed.
   */
  port?: unknown;
  /** Reports count only with the token of the latest command. */
  token: string;
  /**
   * The tokens given to the run's document since its collection, newest last (at most MAX_ISSUED): a script that
   * answers "where are you?" with none of them is another document's (one restored from the back/forward cache). Kept
   * in the platform's area too: a restarted worker reads them back (see issuedTo).
   */
  issued: string[];
  /** `issued` holds what was kept in the area (read back once, after a restart; or given since this worker began). */
  issuedRead: boolean;
  /** Frames from other sites at the last collection, for the run that collection starts. */
  crossOriginFrames?: number;
  /**
   * Reports that came after the collection and before the run it starts (the rest of the collection still handed
   * over): the script will not send those links again, so they join that run once it starts. Unset when no
   * collection waits for its run.
   */
  early?: LiveReport[];
  /**
   * Where the tab went while its collection waited for its run: the run, once started, is asked about it as a change
   * of address after it would have been (the same document's route, or another document's, which ends it).
   */
  moved?: string;
}

/** Whether a tab's page is followed: while its run is going, or a Linkpulse page shows it; never a cancelled run's. */
export function shouldFollow(run: RunView | undefined, pages: number): boolean {
  if (!run || run.meta.state === 'cancelled') return false;
  return run.meta.state === 'running' || pages > 0;
}

/** Whether `url` is an address the run already covers (fragments aside). */
export function covers(run: RunView, url: string): boolean {
  const wanted = withoutFragment(url);
  return [run.meta.page.url, ...(run.meta.addresses ?? [])].some((address) => withoutFragment(address) === wanted);
}

/**
 * Live pages: links that join a checked page later (script, same-origin frames, route changes) join its run. The
 * content script follows the page while `shouldFollow` holds and is told to stop when it no longer does.
 */
export class LivePages {
  private readonly tabs = new Map<number, TabWatch>();

  constructor(
    private readonly runs: LiveRuns,
    private readonly platform: LivePlatform,
  ) {
    runs.subscribe((event) => this.onRunEvent(event));
  }

  private tab(tabId: number): TabWatch {
    let tab = this.tabs.get(tabId);
    if (!tab) {
      tab = { pages: 0, following: false, token: '', issued: [], issuedRead: false };
      this.tabs.set(tabId, tab);
    }
    return tab;
  }

  /** The run lifecycle's collection: the content script collects, and follows the page from then on. */
  async collect(tabId: number, settings: Settings, maxLinks: number): Promise<unknown> {
    await this.platform.inject(tabId);
    const tab = this.tab(tabId);
    tab.token = this.platform.newToken();
    this.issue(tabId, tab, [tab.token]);
    tab.following = true;
    tab.early = [];
    tab.moved = undefined;
    const collection = (await this.platform.command(tabId, {
      type: 'live-collect',
      token: tab.token,
      kinds: settings.collect,
      maxLinks,
    })) as Partial<Collection> | undefined;
    const frames = collection?.crossOriginFrames;
    tab.crossOriginFrames = typeof frames === 'number' && Number.isInteger(frames) && frames >= 0 ? frames : undefined;
    return collection;
  }

  private onRunEvent(event: RunEvent): void {
    if (event.type === 'forgotten') {
      void this.stop(event.tabId);
      // The Linkpulse pages open on the tab stay open (the report page shows the tab's next run): only they are kept.
      const pages = this.tabs.get(event.tabId)?.pages ?? 0;
      this.tabs.delete(event.tabId);
      if (pages > 0) this.tab(event.tabId).pages = pages;
      void this.platform.area.remove(tokensKey(event.tabId)).catch(() => {});
      return;
    }
    const tab = this.tabs.get(event.tabId);
    if (event.type === 'started' && tab?.crossOriginFrames !== undefined) {
      this.runs.updateMeta(event.tabId, { crossOriginFrames: tab.crossOriginFrames });
    }
    const early = event.type === 'started' ? tab?.early : undefined;
    if (tab && early) {
      tab.early = undefined;
      void this.joinEarly(event.tabId, early);
    }
    const moved = event.type === 'started' ? tab?.moved : undefined;
    if (tab && moved !== undefined) {
      tab.moved = undefined;
      // Before following: another document must not be given the run's token first, and then answer with it.
      void this.navigated(event.tabId, moved).then(() => this.sync(event.tabId));
      return;
    }
    void this.sync(event.tabId);
  }

  /** A Linkpulse page began showing the tab's run. */
  pageOpened(tabId: number): void {
    this.tab(tabId).pages += 1;
    void this.sync(tabId);
  }

  pageClosed(tabId: number): void {
    const tab = this.tab(tabId);
    tab.pages = Math.max(0, tab.pages - 1);
    void this.sync(tabId);
  }

  /** The content script of the tab's top frame connected: it follows the page from now on. */
  attached(tabId: number, port: unknown): void {
    const tab = this.tab(tabId);
    tab.port = port;
    tab.following = true;
  }

  /** A content script's port closed: when it is the current one, that script stopped following on its own. */
  detached(tabId: number, port: unknown): void {
    const tab = this.tabs.get(tabId);
    if (!tab || tab.port !== port) return;
    tab.port = undefined;
    tab.following = false;
  }

  /** The tokens given to the tab's document, kept so that a restarted worker has them (see TabWatch.issued). */
  private issue(tabId: number, tab: TabWatch, tokens: string[]): void {
    tab.issued = tokens;
    tab.issuedRead = true;
    // Lost only if storage fails: the address alone then tells, as it did before tokens were kept.
    void this.platform.area.set({ [tokensKey(tabId)]: tokens }).catch(() => {});
  }

  /** The tokens given to the tab's document, read back from the area once after a restart. */
  private async issuedTo(tabId: number): Promise<string[]> {
    const tab = this.tab(tabId);
    if (tab.issuedRead) return tab.issued;
    const kept = await this.platform.area.get(tokensKey(tabId)).catch(() => ({}) as Record<string, unknown>);
    // Given meanwhile (a command while the area answered): those are newer than what was kept.
    if (!tab.issuedRead) {
      tab.issued = readStoredList<unknown>(kept[tokensKey(tabId)])
        .filter((t): t is string => typeof t === 'string')
        .slice(-MAX_ISSUED);
      tab.issuedRead = true;
    }
    return tab.issued;
  }

  /** Starts or stops following so that it matches `shouldFollow`. */
  private async sync(tabId: number): Promise<void> {
    // Woken by a page's connection, the worker may not have its runs back yet.
    await this.runs.restored;
    const run = this.runs.get(tabId);
    const tab = this.tab(tabId);
    // A collection waiting for its run (the tab's last one cancelled, or none), shown by a Linkpulse page, is followed:
    // that run starts soon.
    if (tab.early && tab.pages > 0 && (!run || run.meta.state === 'cancelled')) return;
    if (!run || !shouldFollow(run, tab.pages)) return this.stop(tabId);
    if (tab.following) return;
    tab.following = true;
    tab.token = this.platform.newToken();
    this.issue(tabId, tab, [...(await this.issuedTo(tabId)), tab.token].slice(-MAX_ISSUED));
    const command: LiveCommand = {
      type: 'live-follow',
      token: tab.token,
      kinds: run.meta.settings.collect,
      maxLinks: MAX_LINKS,
    };
    try {
      await this.platform.command(tabId, command).catch(async () => {
        // A restarted browser or a script not there yet: put it in, then ask again.
        await this.platform.inject(tabId);
        return this.platform.command(tabId, command);
      });
    } catch {
      // The page cannot be scripted any more (closed, or another document): nothing follows it.
      tab.following = false;
    }
  }

  private async stop(tabId: number): Promise<void> {
    const tab = this.tabs.get(tabId);
    if (!tab?.following) return;
    tab.following = false;
    tab.token = '';
    await this.platform.command(tabId, { type: 'live-stop' }).catch(() => {});
  }

  /** A report from the content script of the tab's top frame (the background checked who sent it), on `port`. */
  async receive(tabId: number, port: unknown, message: unknown): Promise<void> {
    await this.runs.restored;
    const report = readLiveReport(message);
    const tab = this.tabs.get(tabId);
    // Only the current script, with the token of the latest command, counts; a report from before a stop or a new run
    // does not.
    if (!report || !tab?.following || tab.port !== port || report.token !== tab.token) return;
    if (tab.early) {
      // At most a run's worth of links waits; the run's own cap holds the rest out anyway.
      const held = tab.early.reduce((n, r) => n + r.links.length, 0);
      if (held < MAX_LINKS) tab.early.push(report);
      else tab.early.push({ ...report, links: [], truncated: true });
      return;
    }
    return this.join(tabId, report);
  }

  private async joinEarly(tabId: number, reports: LiveReport[]): Promise<void> {
    for (const report of reports) await this.join(tabId, report);
  }

  /** The links of a report join the tab's run; the run learns whether the page was cut short and its frames. */
  private async join(tabId: number, report: LiveReport): Promise<void> {
    const run = this.runs.get(tabId);
    if (!run || run.meta.state === 'cancelled') return;
    const added = report.links.length > 0 ? await this.runs.joinLinks(tabId, report.links) : 0;
    const full = added < report.links.length && run.entries.length >= MAX_LINKS;
    const change: { truncated?: boolean; crossOriginFrames?: number } = {};
    if ((report.truncated || full) && !run.meta.truncated) change.truncated = true;
    if (report.crossOriginFrames !== (run.meta.crossOriginFrames ?? 0)) {
      change.crossOriginFrames = report.crossOriginFrames;
    }
    if (Object.keys(change).length > 0) this.runs.updateMeta(tabId, change);
  }

  /**
   * The tab finished loading a document. One at an address the run covers (the page reloaded) keeps the run, as
   * `navigated` says, but its script went with the old document: the new one is followed, as the old one was, and
   * what it has that the run has not joins.
   */
  async loaded(tabId: number, url: string): Promise<void> {
    await this.runs.restored;
    const run = this.runs.get(tabId);
    if (run && covers(run, url)) await this.sync(tabId);
  }

  /**
   * The tab's address changed. A same-document route change (pushState, replaceState) keeps the run, which covers the
   * new address too; another document ends it as before. Only the document itself can answer with the new address.
   */
  async navigated(tabId: number, url: string): Promise<void> {
    await this.runs.restored;
    const run = this.runs.get(tabId);
    const tab = this.tabs.get(tabId);
    if (!run && tab?.early) tab.moved = url;
    if (!run) return this.runs.navigated(tabId, url);
    if (covers(run, url)) return;
    const answer = liveWhereOf(
      await Promise.race([
        this.platform.command(tabId, { type: 'live-where' }).catch(() => undefined),
        this.platform.sleep(WHERE_TIMEOUT_MS),
      ]),
    );
    // A script that took none of the commands given to the run's document is another document's.
    const issued = await this.issuedTo(tabId);
    const where = answer && (issued.length === 0 || issued.includes(answer.token)) ? answer.href : undefined;
    const same = (a: string, b: string | undefined) => b !== undefined && withoutFragment(a) === withoutFragment(b);
    // The page may have moved on before it answered (a router's pushState then an immediate replaceState): it is still
    // this document when the tab is where it says it is now. Another document's late answer names an address the tab
    // has left.
    const movedOn =
      typeof where === 'string' &&
      !same(where, url) &&
      same(where, await this.platform.tabUrl(tabId).catch(() => undefined));
    const now = this.runs.get(tabId);
    if (now === run && typeof where === 'string' && (same(where, url) || movedOn)) {
      const fresh = (movedOn ? [url, where] : [url]).filter((address) => !covers(run, address));
      const addresses = [...(run.meta.addresses ?? []), ...fresh].slice(-MAX_ADDRESSES);
      this.runs.updateMeta(tabId, { addresses });
      return;
    }
    return this.runs.navigated(tabId, url);
  }
}
