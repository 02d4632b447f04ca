import type { RunEvent, RunView } from '../run/lifecycle';
import type { KeyValueArea } from '../run/stored-run';
import type { LinkEntry } from '../types';
import { createTabSlots } from './tab-slots';
import type { TabOpener, VerifyClock } from './verify-links';
import { pendingVerification, queueVerification, runVerification, type VerifiableRun } from './verify-run';

/** The run lifecycle's plug-in surface the second opinion uses (utils/run/lifecycle.ts). */
export interface VerifyHost {
  readonly restored: Promise<void>;
  get(tabId: number): RunView | undefined;
  subscribe(listener: (event: RunEvent) => void): () => void;
  amend(tabId: number, url: string, change: Partial<LinkEntry>): boolean;
  /** Puts the run's changes on record (storage, pages) now rather than with the next batch. */
  save(tabId: number): Promise<void>;
  /** The verification of the tab's run is over: what keeps the run (the history) takes its new verdicts. */
  amended(tabId: number): void;
}

export interface VerifyPlatform {
  tabs: TabOpener;
  /** Closes the tabs a stopped worker left open. */
  closeLeftovers(): Promise<void>;
  clock: VerifyClock;
  /** Where the runs are kept (`storage.session`): a restarted worker finds there the rows still waiting for a tab. */
  area: KeyValueArea;
  log: Pick<Console, 'error'>;
}

/**
 * Runs the second opinion for each checked tab: on request, or after each check when the run's settings ask for it.
 * A run's verification stops when the run is replaced, cancelled or forgotten; after a worker restart the tabs it left
 * are closed and the rows still waiting are verified in new ones.
 */
export class VerifyService {
  private readonly jobs = new Map<number, AbortController>();
  /** Tabs at once across every run verified together, not per run. */
  private readonly slots = createTabSlots();

  constructor(
    private readonly host: VerifyHost,
    private readonly platform: VerifyPlatform,
  ) {
    host.subscribe((event) => this.follow(event));
  }

  /** After a worker restart: close what the stopped worker left open, then go on with the rows still waiting. */
  async resume(): Promise<void> {
    await this.host.restored;
    await this.platform.closeLeftovers().catch((error) => this.platform.log.error('Linkpulse: tabs left open', error));
    for (const tabId of runTabs(await this.platform.area.get(null))) {
      const run = this.verifiable(tabId);
      const urls = run ? pendingVerification(run) : [];
      if (run && urls.length > 0) this.run(tabId, run, urls);
    }
  }

  /**
   * The person asked for the second opinion on a tab's run (a finished one: the control is off while it runs), or the
   * run finished with the option on (`unseen`: a run that finishes again after links joined its watched page verifies
   * those, not again the ones a tab has been on).
   */
  start(tabId: number, { unseen = false } = {}): void {
    const run = this.verifiable(tabId);
    if (!run || this.jobs.has(tabId) || this.host.get(tabId)?.meta.state === 'running') return;
    this.run(tabId, run, queueVerification(run, { unseen }));
  }

  stop(tabId: number): void {
    this.jobs.get(tabId)?.abort();
  }

  private follow(event: RunEvent): void {
    switch (event.type) {
      case 'finished':
        if (event.run.meta.settings.autoVerify) this.start(event.tabId, { unseen: true });
        return;
      // A new run of the tab (a Re-check), or the tab gone: the old run's tabs have nothing left to say.
      case 'started':
      case 'cancelled':
      case 'forgotten':
        this.stop(event.tabId);
        return;
    }
  }

  private verifiable(tabId: number): (VerifiableRun & { view: RunView }) | null {
    const view = this.host.get(tabId);
    if (!view) return null;
    return {
      view,
      pageUrl: view.meta.page.url,
      settings: view.meta.settings,
      entries: view.entries,
      change: (url, change) => {
        // Only while this very run is the tab's: a Re-check's new run is not this one's to change.
        if (this.host.get(tabId) === view) this.host.amend(tabId, url, change);
      },
    };
  }

  private run(tabId: number, run: VerifiableRun & { view: RunView }, urls: string[]): void {
    if (urls.length === 0) return;
    const controller = new AbortController();
    this.jobs.set(tabId, controller);
    const deps = { tabs: this.platform.tabs, clock: this.platform.clock, signal: controller.signal, slots: this.slots };
    // The rows waiting for a tab are on record before the first tab opens: a worker stopped once its tabs are open
    // finds them in storage (see resume), and the pages show them waiting (and offer Stop) by then.
    this.host
      .save(tabId)
      .then(() => runVerification(run, urls, deps))
      .catch((error) => this.platform.log.error('Linkpulse: verification failed', error))
      .finally(() => {
        if (this.jobs.get(tabId) === controller) this.jobs.delete(tabId);
        // Stopped or done, its rows changed; a Re-check's new run is not this one.
        if (this.host.get(tabId) === run.view) this.host.amended(tabId);
      });
  }
}

/** The tabs whose runs are kept in the area (`run:<tabId>`, see utils/run/stored-run.ts). */
function runTabs(items: Record<string, unknown>): number[] {
  return Object.keys(items).flatMap((key) => {
    const match = /^run:(\d+)$/.exec(key);
    return match ? [Number(match[1])] : [];
  });
}
