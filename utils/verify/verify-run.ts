import { privateNetworkGuard } from '../rules/url-rules';
import type { Settings } from '../settings';
import type { LinkEntry } from '../types';
import { linksToVerify } from './eligible';
import type { TabSlots } from './tab-slots';
import { applyOutcome } from './tab-verdict';
import { type TabOpener, type VerifyClock, verifyLinks } from './verify-links';

/** The part of a run the second opinion reads and changes (the run lifecycle hands it in). */
export interface VerifiableRun {
  pageUrl: string;
  settings: Settings;
  entries: readonly LinkEntry[];
  /** Changes one row; the run persists and broadcasts it as any other change. */
  change(url: string, change: Partial<LinkEntry>): void;
}

/**
 * Marks the links a tab can settle as waiting for one; returns their URLs (none: nothing to do). `unseen`: only those
 * no tab has been on yet in this run.
 */
export function queueVerification(run: VerifiableRun, { unseen = false } = {}): string[] {
  const urls = linksToVerify(run.entries, run.pageUrl, run.settings)
    .filter((e) => !unseen || e.result?.tab === undefined)
    .map((e) => e.url);
  for (const url of urls) run.change(url, { verifying: true });
  return urls;
}

/** The rows still waiting for a tab: a restarted worker picks the verification up from them. */
export function pendingVerification(run: Pick<VerifiableRun, 'entries'>): string[] {
  return run.entries.filter((e) => e.verifying).map((e) => e.url);
}

/**
 * Loads the given rows in background tabs and writes what each tab decided into its row. Once it ends (all done or
 * cancelled) no row is left waiting, and every tab it opened is closed.
 */
export async function runVerification(
  run: VerifiableRun,
  urls: readonly string[],
  deps: { tabs: TabOpener; clock: VerifyClock; signal: AbortSignal; slots?: TabSlots },
): Promise<void> {
  const { settings } = run;
  try {
    await verifyLinks({
      urls,
      tabs: deps.tabs,
      clock: deps.clock,
      tabsAtOnce: settings.verifyTabs,
      slots: deps.slots,
      msPerTab: settings.verifyTimeoutSec * 1000,
      allowed: privateNetworkGuard(run.pageUrl, settings),
      signal: deps.signal,
      onStart: () => {},
      onOutcome(url, outcome) {
        const entry = run.entries.find((e) => e.url === url);
        if (!entry?.result) return;
        run.change(url, { result: applyOutcome(entry.result, outcome, deps.clock.now()), verifying: undefined });
      },
    });
  } finally {
    for (const url of urls) {
      if (run.entries.find((e) => e.url === url)?.verifying) run.change(url, { verifying: undefined });
    }
  }
}
