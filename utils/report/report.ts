import type { CrawlOptions } from '../crawl/types';
import { type Change, entryChange, isNewProblem } from '../history/diff';
import { englishDetail, englishNotes, englishStoredNote } from '../notes/english';
import type { Settings } from '../settings';
import {
  type Hop,
  type LinkEntry,
  type PageInfo,
  PROBLEM_VERDICTS,
  type RunCounts,
  type RunStateName,
  type TabSight,
  VERDICTS,
  type Verdict,
} from '../types';

/** One distinct link of a run, as every export writes it. */
export interface ReportLink {
  url: string;
  /** null: not checked (the run was cancelled or is still going). */
  verdict: Verdict | null;
  status: number | null;
  finalUrl: string | null;
  ms: number | null;
  occurrences: number;
  reason: string;
  redirects: Hop[];
  attempts: number;
  texts: string[];
  cached: boolean;
  errorText: string;
  /** Against the previous finished run of the same page URL: `new`, `newly-broken`, `fixed` or empty. */
  change: Change;
  /** Site checks only: the first pages that hold the link (with its text there), and how many hold it in all. */
  sources?: ReportSource[];
  sourceCount?: number;
  /** Present when a real browser tab settled the verdict (the second opinion). */
  verified?: 'browser';
  /** What the tab saw, when a tab loaded the link. */
  tab?: ReportSight;
  /** How the link was checked, when a person should know (credentials not sent, fragment not checked). */
  note: string;
}

/** What a tab saw, as the exports write it: its note in English words. */
export type ReportSight = Omit<TabSight, 'note'> & { note?: string };

export interface ReportSource {
  page: string;
  text: string;
}

/** Site checks only: one crawled page. */
export interface ReportPage {
  url: string;
  depth: number;
  status: number | null;
  finalUrl: string | null;
  title: string;
  links: number;
  note: string;
}

/** Site checks only: what was crawled and how (`page` is then the start page). */
export interface ReportSite {
  origin: string;
  startUrl: string;
  options: CrawlOptions;
  pages: ReportPage[];
}

/** The export schema (documented in the README); `version` changes when its shape does. */
export interface Report {
  tool: 'Linkpulse';
  version: 1;
  page: PageInfo;
  /** ISO 8601, UTC. */
  startedAt: string;
  finishedAt: string | null;
  settings: Settings;
  /** Always the whole run's counts, whatever the scope of `links`. */
  summary: RunCounts;
  links: ReportLink[];
  /** Present in a site check's export only. */
  site?: ReportSite;
}

export type ReportScope = 'all' | 'problems';
export type ReportFormat = 'json' | 'csv' | 'md' | 'html';

export interface ReportInput {
  page: PageInfo;
  startedAt: number;
  finishedAt: number | null;
  settings: Settings;
  state: RunStateName;
  entries: LinkEntry[];
}

/** A whole run's counts at once (exports, the history). */
export function summarize(entries: readonly LinkEntry[], state: RunStateName): RunCounts {
  const counter = new RunCounter();
  counter.reset(entries);
  return counter.summary(state);
}

/**
 * A run's counts kept entry by entry, for pages that publish a streaming run often: a publication then costs the entries
 * it changed, not every entry of the run (a site check of 5 000 links drew ~140 publications, each counting all of
 * them before). The one place that says what counts: `summarize` counts a whole run with it.
 */
export class RunCounter {
  private counts = noCounts();

  /** Counts these entries, and only these. */
  reset(entries: readonly LinkEntry[]): void {
    this.counts = noCounts();
    for (const entry of entries) this.add(entry);
  }

  add(entry: LinkEntry): void {
    this.count(entry, 1);
  }

  /** One counted entry changed (the same link, a new object). */
  replace(before: LinkEntry, after: LinkEntry): void {
    this.count(before, -1);
    this.count(after, 1);
  }

  summary(state: RunStateName): RunCounts {
    return { state, ...this.counts };
  }

  private count(entry: LinkEntry, by: 1 | -1): void {
    const counts = this.counts;
    counts.total += by;
    if (isNewProblem(entry.before, entry.result?.verdict)) counts.newProblems += by;
    if (!entry.result) return;
    counts.checked += by;
    counts[entry.result.verdict] += by;
  }
}

/** A run's counts with nothing counted yet: every verdict at 0. */
function noCounts(): Omit<RunCounts, 'state'> {
  const verdicts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
  return { total: 0, checked: 0, newProblems: 0, ...verdicts };
}

export function toReportLink(entry: LinkEntry): ReportLink {
  const result = entry.result;
  return {
    url: entry.url,
    verdict: result?.verdict ?? null,
    status: result?.status ?? null,
    finalUrl: result?.finalUrl ?? null,
    ms: result?.ms ?? null,
    occurrences: entry.occurrences,
    reason: result?.reason ?? '',
    redirects: (result?.redirects ?? []).map((hop) => ({ url: hop.url, status: hop.status })),
    attempts: result?.attempts ?? 0,
    texts: [...entry.texts],
    cached: result?.cached ?? false,
    errorText: result ? englishDetail(result) : '',
    change: entryChange(entry),
    ...(result?.verified ? { verified: result.verified } : {}),
    ...(result?.tab ? { tab: reportSight(result.tab) } : {}),
    note: result ? englishNotes(result) : '',
  };
}

function reportSight({ note, ...sight }: TabSight): ReportSight {
  return note === undefined ? sight : { ...sight, note: englishStoredNote(note) };
}

/** The words the Markdown and HTML exports use for a row's change since the previous check of the page (history). */
export const CHANGE_WORDS: Record<Exclude<ReportLink['change'], ''>, string> = {
  new: 'new',
  'newly-broken': 'newly broken',
  fixed: 'fixed',
};

/** A report compared with a previous check has a change column; one without (no history) has none. */
export function hasChanges(report: Report): boolean {
  return report.links.some((link) => link.change !== '');
}

/** Links keep the order of `entries`: the UI decides how to sort. */
export function buildReport(input: ReportInput): Report {
  return {
    tool: 'Linkpulse',
    version: 1,
    page: { url: input.page.url, title: input.page.title },
    startedAt: new Date(input.startedAt).toISOString(),
    finishedAt: input.finishedAt === null ? null : new Date(input.finishedAt).toISOString(),
    // A copy, so a settings change after the run cannot alter a report already built.
    settings: structuredClone(input.settings),
    summary: summarize(input.entries, input.state),
    links: input.entries.map(toReportLink),
  };
}

export function isProblem(verdict: Verdict | null, redirectsAreProblems: boolean): boolean {
  if (verdict === null) return false;
  return PROBLEM_VERDICTS.includes(verdict) || (redirectsAreProblems && verdict === 'redirected');
}

/** The links a person has to act on, as the run's settings define them. */
export function problemLinks(report: Report): ReportLink[] {
  return report.links.filter((link) => isProblem(link.verdict, report.settings.redirectsAreProblems));
}

/** 'problems' keeps broken, blocked and error links (and redirected ones when settings count them); the summary stays. */
export function scopeReport(report: Report, scope: ReportScope): Report {
  return scope === 'all' ? report : { ...report, links: problemLinks(report) };
}

function fileHost(pageUrl: string): string {
  let host: string;
  try {
    host = new URL(pageUrl).hostname;
  } catch {
    return 'page';
  }
  const safe = host
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  return safe === '' ? 'page' : safe;
}

function fileDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? 'undated' : date.toISOString().slice(0, 10);
}

/** `linkpulse-<host>-<YYYY-MM-DD>.<ext>`, the date in UTC so a file's name does not depend on where it was saved. */
export function reportFileName(report: Report, ext: ReportFormat): string {
  return `linkpulse-${fileHost(report.page.url)}-${fileDate(report.startedAt)}.${ext}`;
}

/** For "Copy broken links": the problem URLs, one per line. */
export function problemUrlsText(report: Report): string {
  // A browser-resolved URL holds no line break; one from elsewhere must still not split into two lines.
  return problemLinks(report)
    .map((link) => link.url.replace(/[\r\n]/g, (c) => (c === '\r' ? '%0D' : '%0A')))
    .join('\n');
}
