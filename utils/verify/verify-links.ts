import { fragmentTargetOf, targetNames } from '../check/fragments';
import type { Note } from '../notes/note';
import type { TabSight } from '../types';
import { CHALLENGE_SELECTORS } from './challenge-markers';
import type { DocumentProbe } from './probe';
import type { TabSlots } from './tab-slots';
import { judgeTab, type MainFrame, type TabJudgement, type TabOutcome } from './tab-verdict';

/** One background tab, opened on a link by the wiring (entrypoints/background/verify-tabs.ts). */
export interface VerifyTab {
  frame(): MainFrame;
  /** Reads the settled document (probe.ts; `targets` as probeDocument's); null when the tab could not be scripted. */
  probe(targets: readonly string[] | null, selectors: readonly string[]): Promise<DocumentProbe | null>;
  /** Closes the tab; never rejects. */
  close(): Promise<void>;
}

export interface TabOpener {
  /** Opens the link in a tab that never takes focus; `allowed` judges each redirect hop. Else says why it could not. */
  open(url: string, allowed: ((target: URL) => boolean) | undefined): Promise<VerifyTab | TabTrouble>;
}

/** Why a tab could not be opened on a link, or could not start loading it. */
export type TabTrouble = Extract<Note, { code: 'tab-not-opened' | 'tab-not-loaded' }>;

export interface VerifyClock {
  now(): number;
  /** Resolves after `ms`, or at once when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface VerifyLinksOptions {
  urls: readonly string[];
  tabs: TabOpener;
  clock: VerifyClock;
  tabsAtOnce: number;
  /** The tabs other verifications have open count too (verify-service.ts); alone when absent. */
  slots?: TabSlots;
  msPerTab: number;
  /** The private-network guard of the run's page, for redirect hops; undefined when nothing is refused. */
  allowed?: (target: URL) => boolean;
  signal: AbortSignal;
  onStart(url: string): void;
  /** Not called for a link whose tab was cancelled. */
  onOutcome(url: string, outcome: TabOutcome): void;
}

const POLL_MS = 250;
/** A document counts as settled once its main frame has been quiet this long (a script's reload comes sooner). */
export const QUIET_MS = 750;
/** How long after the load a script may take to build the anchor a fragment points to. */
export const FRAGMENT_GRACE_MS = 3_000;

function blankDocument(targets: readonly string[] | null): DocumentProbe {
  return { readyState: 'complete', title: '', marker: null, fragment: targets === null ? null : 'missing' };
}

/** Loads each link in a background tab, `tabsAtOnce` at a time; resolves once every tab is closed. */
export async function verifyLinks(options: VerifyLinksOptions): Promise<void> {
  const queue = [...options.urls];
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined && !options.signal.aborted; url = queue.shift()) {
      if (options.slots && !(await options.slots.take(options.tabsAtOnce, options.signal))) return;
      try {
        options.onStart(url);
        const outcome = await verifyOne(url, options);
        if (outcome && !options.signal.aborted) options.onOutcome(url, outcome);
      } finally {
        options.slots?.give();
      }
    }
  };
  const workers = Math.max(1, Math.min(options.tabsAtOnce, queue.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

async function verifyOne(url: string, options: VerifyLinksOptions): Promise<TabOutcome | null> {
  const { clock } = options;
  const started = clock.now();
  const unsettled = (note: Note, frame?: MainFrame, title = ''): TabOutcome => ({
    kind: 'unsettled',
    sight: { status: frame?.status ?? null, finalUrl: frame?.url ?? null, title, ms: clock.now() - started, note },
  });
  const tab = await options.tabs.open(url, options.allowed);
  if ('code' in tab) return unsettled(tab);
  try {
    return await settle(url, tab, options, started, unsettled);
  } finally {
    await tab.close();
  }
}

async function settle(
  url: string,
  tab: VerifyTab,
  { clock, signal, msPerTab }: VerifyLinksOptions,
  started: number,
  unsettled: (note: Note, frame?: MainFrame, title?: string) => TabOutcome,
): Promise<TabOutcome | null> {
  const deadline = started + msPerTab;
  const target = fragmentTargetOf(url);
  let latest: { judgement: TabJudgement; frame: MainFrame; title: string } | null = null;
  const settled = (judgement: TabJudgement, frame: MainFrame, title: string): TabOutcome => {
    const sight: TabSight = { status: frame.status, finalUrl: frame.url, title, ms: clock.now() - started };
    if (judgement.challenge) sight.challenge = judgement.challenge;
    return { kind: 'settled', judgement, sight, hops: frame.hops };
  };
  while (!signal.aborted) {
    const frame = tab.frame();
    if (frame.refused) {
      return unsettled({ code: 'tab-refused', target: frame.refused }, frame);
    }
    // Nothing more can be read, and a failed read must not pass for the browser's own error page.
    if (frame.closed) return unsettled({ code: 'tab-closed' }, frame);
    const quiet = !frame.loading && clock.now() - frame.changedAt >= QUIET_MS;
    if (quiet && frame.error !== null) return unsettled({ code: 'tab-not-loaded', error: frame.error }, frame);
    if (quiet && frame.status !== null) {
      // The names the check looked for, the site's id rules going by the link's host and the document's.
      const hosts = [URL.parse(url)?.hostname ?? '', URL.parse(frame.url ?? '')?.hostname ?? ''];
      const targets = target && targetNames(target, hosts);
      // A page busy in a script loop would hold executeScript: never wait for it past the tab's deadline.
      const read = await Promise.race([
        tab.probe(targets, CHALLENGE_SELECTORS),
        clock.sleep(Math.max(0, deadline - clock.now()), signal).then(() => 'timed-out' as const),
      ]);
      // A document no script may read (the browser's own page for an empty error answer) is judged by its status.
      const probe = read === null ? blankDocument(targets) : read === 'timed-out' ? null : read;
      const now = tab.frame();
      // Judged only if the frame did not move on while the document was read. A parsed document whose load has not
      // ended (an image, a frame that never answers) is what the tab shows once its time is up; a loaded one at once.
      if (probe && probe.readyState !== 'loading' && now.changedAt === frame.changedAt) {
        const judgement = judgeTab(url, frame, probe);
        if (judgement) {
          latest = { judgement, frame, title: probe.title };
          const graceOver = clock.now() - frame.changedAt >= FRAGMENT_GRACE_MS;
          const final = judgement.wait === null || (judgement.wait === 'fragment' && graceOver);
          if (probe.readyState === 'complete' && final) return settled(judgement, frame, probe.title);
        }
      }
    }
    if (clock.now() >= deadline) break;
    await clock.sleep(Math.min(POLL_MS, Math.max(0, deadline - clock.now())), signal);
  }
  if (signal.aborted) return null;
  if (latest) return settled(latest.judgement, latest.frame, latest.title);
  return unsettled({ code: 'tab-timeout', seconds: Math.round(msPerTab / 1000) }, tab.frame());
}
