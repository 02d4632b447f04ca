import type { Note } from './notes/note';

/** Verdicts and reasons are read outside the code (the README, exported reports, end-to-end tests): keep the names. */
export const VERDICTS = ['ok', 'redirected', 'broken', 'blocked', 'error', 'skipped'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Verdicts a person has to act on. */
export const PROBLEM_VERDICTS: readonly Verdict[] = ['broken', 'blocked', 'error'];

export type Reason =
  | 'redirect'
  | 'status'
  | 'fragment-missing'
  | 'soft-404'
  | 'auth'
  | 'bot-challenge'
  | 'rate-limited'
  | 'timeout'
  | 'dns'
  | 'connection'
  | 'tls'
  | 'too-many-redirects'
  | 'network'
  | 'invalid-url'
  | 'scheme'
  | 'excluded'
  | 'external'
  | 'private-network'
  // A site check never requests these (utils/crawl): a link that changes state, rel=nofollow, a robots.txt Disallow.
  | 'state-changing'
  | 'nofollow'
  | 'robots'
  /** A real tab still met a bot wall or captcha: a person has to get past it (second opinion). */
  | 'challenge'
  /** The user chose to ignore this link on this site (history). */
  | 'ignored';

/** One redirect hop: the URL that answered and the status it answered with. */
export interface Hop {
  url: string;
  status: number;
}

/**
 * Where an answer came from, as every layer reports it (a request, a link's check, a crawled page's fetch): its status,
 * the address that gave it, and the redirects on the way.
 */
export interface AnswerOrigin {
  status: number;
  finalUrl: string;
  redirected: boolean;
  hops: Hop[];
}

/** A distinct link found on the page (collected in the page, de-duplicated by absolute URL). */
export interface FoundLink {
  /** Absolute URL as the browser resolves it (`HTMLAnchorElement.href`), fragment kept. */
  url: string;
  occurrences: number;
  /** Up to a few distinct link texts, trimmed and shortened. */
  texts: string[];
  /** For a fragment into the page itself: whether the live DOM has the target. */
  samePageFragment?: 'found' | 'missing';
  /** The same-origin frames (their document URLs, the first few) where the link was found; absent for the page itself. */
  frames?: string[];
}

/** The final verdict for one distinct link. */
export interface LinkResult {
  url: string;
  verdict: Verdict;
  /** Empty for `ok`. */
  reason: Reason | '';
  /** Final HTTP status, or null when there was no HTTP response. */
  status: number | null;
  /** URL after redirects, or null when there was no HTTP response. */
  finalUrl: string | null;
  /** Total time spent on this link, retries included. */
  ms: number;
  /** Requests sent for this link (HEAD, GET fallback and retries). */
  attempts: number;
  redirects: Hop[];
  /** The browser's own error text, when there was one (an older version's result: Linkpulse's English words too). */
  errorText?: string;
  /** Why the link got its verdict, in Linkpulse's words (not checked, refused, ignored…): worded by whoever shows it. */
  detail?: Note;
  /** What a person should know about how the link was checked (credentials not sent, fragment not checked…). */
  notes?: Note[];
  /** The same as English text, as versions before `notes` stored it (a stored run, the history): shown as it is. */
  note?: string;
  /** True when the result came from the recent-results cache, not a new request. */
  cached?: boolean;
  checkedAt: number;
  /** A real browser tab settled this verdict (the second opinion); `tab` says what it saw. */
  verified?: 'browser';
  tab?: TabSight;
}

/** What a background tab saw of a link's document (utils/verify/). */
export interface TabSight {
  /** The main frame's final HTTP status, null when the tab got no response. */
  status: number | null;
  finalUrl: string | null;
  /** The settled document's title, shortened. */
  title: string;
  /** Time from opening the tab to the verdict. */
  ms: number;
  /** The challenge marker still present, when there was one (a header, a title or an element). */
  challenge?: string;
  /** Why the tab could not settle the link (its verdict then stays as the check left it); a string is an older version's English text. */
  note?: Note | string;
}

export type LinkPhase = 'queued' | 'checking' | 'done';

/** One row of a run: what was found, where it is in the pipeline, and its result once done. */
export interface LinkEntry extends FoundLink {
  phase: LinkPhase;
  result?: LinkResult;
  /** Waiting for, or loading in, a background tab (the second opinion); the result stays until the tab decides. */
  verifying?: true;
  /** What the previous finished run of the same page URL said of this link; absent when there is no such run. */
  before?: Before;
}

/** A link's verdict in the previous finished run, or `absent` when the link was not on the page then. */
export type Before = Verdict | 'absent';

export type RunStateName = 'running' | 'done' | 'cancelled';

export interface PageInfo {
  url: string;
  title: string;
}

export type VerdictCounts = Record<Verdict, number>;

/** A run's state and counts: what the summary shows (the `RunSummary` component, `data-*` of `run-summary`). */
export interface RunCounts extends VerdictCounts {
  state: RunStateName;
  total: number;
  checked: number;
  /** Problems that were not problems in the previous finished run of the same page URL (0 without one). */
  newProblems: number;
}
