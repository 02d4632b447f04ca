import { withoutFragment } from '../check/fragments';
import { isSignInPage } from '../check/sign-in';
import type { Hop, LinkResult, Reason, TabSight, Verdict } from '../types';
import { challengeTitle } from './challenge-markers';
import type { DocumentProbe } from './probe';

/** What the browser reported about a tab's main frame so far (from webRequest, for that tab only). */
export interface MainFrame {
  /** Status of the latest document response, null before any. */
  status: number | null;
  /** URL of the latest document response. */
  url: string | null;
  /** HTTP redirects on the way to the latest document. */
  hops: Hop[];
  /** The challenge header of the latest document response (`name: value`), or null. */
  challengeHeader: string | null;
  /** The browser's error for the latest main-frame request, when it failed. */
  error: string | null;
  /** A main-frame request is on its way. */
  loading: boolean;
  /** When the latest main-frame event happened (start, redirect, response, error), on the verifier's clock. */
  changedAt: number;
  /** A redirect target the private-network guard refuses: the tab was stopped before it. */
  refused: string | null;
  /** The tab was closed by someone else (the person, its window closing): its last document can no longer be read. */
  closed: boolean;
}

export interface TabJudgement {
  verdict: Verdict;
  reason: Reason | '';
  /** What could still change if the tab is given time: a challenge solving itself, a script adding the anchor. */
  wait: 'challenge' | 'fragment' | null;
  /** The challenge marker seen, for the row's details. */
  challenge?: string;
}

// Statuses that say "not for you" rather than "not here": with a person's cookies and a real navigation, a tab still
// refused needs the person (a login, a captcha), which is what `blocked` / `challenge` says.
const REFUSALS = new Set([401, 403, 407, 429, 999]);

/**
 * The tab's facts → the verdict it supports; null when it saw no document to judge. The single place a tab's verdict
 * is decided, as utils/verdict.ts is for requests.
 */
export function judgeTab(requested: string, frame: MainFrame, probe: DocumentProbe): TabJudgement | null {
  const challenge =
    frame.challengeHeader ?? probe.marker ?? (challengeTitle(probe.title) ? `title “${probe.title}”` : null);
  if (challenge !== null) return { verdict: 'blocked', reason: 'challenge', wait: 'challenge', challenge };
  const { status } = frame;
  if (status === null) return null;
  if (REFUSALS.has(status))
    return { verdict: 'blocked', reason: 'challenge', wait: 'challenge', challenge: `HTTP ${status}` };
  if (status < 200 || status >= 300) return { verdict: 'broken', reason: 'status', wait: null };
  if (probe.fragment === 'missing') return { verdict: 'broken', reason: 'fragment-missing', wait: 'fragment' };
  const moved =
    frame.hops.length > 0 || (frame.url !== null && withoutFragment(frame.url) !== withoutFragment(requested));
  // Sent to sign in: the page behind it was not seen, and a person is needed (an SSO round trip may still come back).
  const final = URL.parse(frame.url ?? '');
  const asked = URL.parse(requested);
  if (moved && final && asked && isSignInPage(final) && !isSignInPage(asked)) {
    return { verdict: 'blocked', reason: 'challenge', wait: 'challenge', challenge: `sign-in page ${final.href}` };
  }
  return moved ? { verdict: 'redirected', reason: 'redirect', wait: null } : { verdict: 'ok', reason: '', wait: null };
}

/** How a tab's visit ended for one link. */
export type TabOutcome =
  | { kind: 'settled'; judgement: TabJudgement; sight: TabSight; hops: Hop[] }
  /** The tab could not decide (no document in time, a load error, a refused redirect): the verdict stays. */
  | { kind: 'unsettled'; sight: TabSight };

/** The row's result after the tab: its verdict when it settled one, else the old verdict with what the tab saw. */
export function applyOutcome(previous: LinkResult, outcome: TabOutcome, now: number): LinkResult {
  const ms = previous.ms + outcome.sight.ms;
  if (outcome.kind === 'unsettled') {
    const { verified: _verified, ...rest } = previous;
    return { ...rest, ms, tab: outcome.sight };
  }
  const { judgement, sight, hops } = outcome;
  return {
    ...previous,
    verdict: judgement.verdict,
    reason: judgement.reason,
    status: sight.status,
    finalUrl: sight.finalUrl,
    redirects: hops,
    ms,
    errorText: undefined,
    cached: undefined,
    checkedAt: now,
    verified: 'browser',
    tab: sight,
  };
}
