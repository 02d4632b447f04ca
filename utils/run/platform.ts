import type { CheckLinksOptions } from '../check/check-links';
import type { ServerMessage } from '../protocol';
import type { Settings } from '../settings';
import type { IconState } from '../toolbar-icon';
import type { LinkEntry } from '../types';
import type { KeyValueArea, RunMeta } from './stored-run';

/** Time as the run lifecycle sees it: the worker's clock, or a fake one in tests. */
export interface Clock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};

/** What one run asks of the engine: check these links, report each as it is sent and judged. */
export type CheckJob = Pick<
  CheckLinksOptions,
  'pageUrl' | 'links' | 'settings' | 'signal' | 'useCache' | 'scope' | 'onChecking' | 'onResult'
>;

/**
 * Everything the run lifecycle needs from the browser, injected so that it runs in a unit test. The background's
 * `index.ts` builds the real one from `browser.*`; tests build one from an in-memory area and fakes.
 */
export interface RunPlatform {
  /** Where runs are kept while they live, so a restarted worker finds them (`storage.session`). */
  area: KeyValueArea;
  /** Loads what must be in memory before runs resume (the recent-results cache). */
  prepare(): Promise<void>;
  readSettings(): Promise<Settings>;
  /**
   * Runs the link collection in the tab's page and resolves with what the page returned (checked by the lifecycle,
   * never trusted); rejects with the browser's error when the page cannot be scripted.
   */
  collect(tabId: number, settings: Settings, maxLinks: number): Promise<unknown>;
  /** The engine: checks the links, resolving once each has been reported or the signal aborted. */
  check(job: CheckJob): Promise<void>;
  /** The toolbar badge of a tab: its run's number of broken links (0 clears it). */
  setBadge(tabId: number, broken: number): void;
  /** The toolbar icon of a tab: plain when idle, marked while checking or when problems were found. */
  setIcon(tabId: number, state: IconState): void;
  /** While any run is going, a periodic wake-up (an alarm) starts a stopped worker again so that it resumes them. */
  keepAwake(on: boolean): void;
  clock: Clock;
  newRunId(): string;
  log: Pick<Console, 'warn' | 'error'>;
  /**
   * Called once a new run's links are known, before any is checked: a feature may judge some at once (ignored links)
   * and mark each with what it needs (history's previous verdict), and adds fields of its own to the run's metadata.
   */
  prepareRun?(run: { tabId: number; pageUrl: string; entries: LinkEntry[] }): Promise<PreparedRun>;
  /** The same for links that join a run later (live pages), given the run's metadata as `prepareRun` left it. */
  prepareJoined?(run: { tabId: number; meta: RunMeta; entries: LinkEntry[] }): Promise<LinkEntry[]>;
}

export interface PreparedRun {
  entries: LinkEntry[];
  meta?: Partial<RunMeta>;
}

/** One open page (popup, report page) that watches one tab's run; `post` may throw once the page has closed. */
export interface RunClient {
  post(message: ServerMessage): void;
}
