import { applyIgnores, type IgnoredLink, ignoredOn } from '../history/ignore';
import { siteOf } from '../history/keys';
import type { Unavailable } from '../run/collection';
import type { Settings } from '../settings';
import type { FoundLink, LinkEntry, LinkResult, RunStateName } from '../types';

/** A check started from the context menu: one link, or the links of a selection; shown in the answer window. */
export interface MenuCheck {
  id: string;
  kind: 'link' | 'selection';
  /** The page the links are on, whose private-network guard applies (see guardPageOf). */
  pageUrl: string;
  startedAt: number;
  finishedAt: number | null;
  state: RunStateName;
  /** The settings the check used: those of the moment of the click. */
  settings: Settings;
  entries: LinkEntry[];
  /** The selection held more links than a selection check takes; the rest were not checked. */
  truncated: boolean;
  /** Why nothing could be checked (no link selected, a page closed to extensions); the answer window says it in words. */
  problem?: MenuProblem;
}

/** Why a check has no answers, as a code (utils/ returns codes; the answer window words them in the user's language). */
export type MenuProblem =
  | { code: 'no-links' }
  /** A worker stopped before the page answered: the selection is not read again behind the person's back. */
  | { code: 'selection-lost' }
  /** The page could not be read; `why` is the reason as the page check gives it. */
  | { code: 'unreadable'; why: Unavailable };

/** Links a selection check takes at most: more is a page's worth, which the toolbar icon checks (and reports) better. */
export const MAX_SELECTION_LINKS = 1_000;
/** What a selection's links may weigh in all (characters of URLs and texts): the answer is kept in storage.session. */
export const MAX_SELECTION_CHARS = 2_000_000;
/** Answers kept for the answer window (a reload, a restarted worker); the oldest go first. */
export const MAX_KEPT_CHECKS = 10;

export function queuedEntry(link: FoundLink): LinkEntry {
  return { ...link, phase: 'queued' };
}

/** A new check of one link: the link the browser named, as it resolved it. */
export function linkCheck(id: string, url: string, pageUrl: string, settings: Settings, now: number): MenuCheck {
  return {
    id,
    kind: 'link',
    pageUrl,
    startedAt: now,
    finishedAt: null,
    state: 'running',
    settings,
    entries: [queuedEntry({ url, occurrences: 1, texts: [] })],
    truncated: false,
  };
}

/** A new check of a selection, whose links are not known until the page answers. */
export function selectionCheck(id: string, pageUrl: string, settings: Settings, now: number): MenuCheck {
  return {
    id,
    kind: 'selection',
    pageUrl,
    startedAt: now,
    finishedAt: null,
    state: 'running',
    settings,
    entries: [],
    truncated: false,
  };
}

/**
 * The selection's links as a page check would take them: the links the user ignored on this site are judged at once
 * (`skipped` / `ignored`), the rest are queued.
 */
export function selectionEntries(links: FoundLink[], pageUrl: string, ignored: readonly IgnoredLink[], now: number) {
  return applyIgnores(links.map(queuedEntry), ignoredOn(ignored, siteOf(pageUrl)), now);
}

/** The check ended: with every answer in (`done`), stopped (`cancelled`), or with nothing to check (`problem`). */
export function finish(check: MenuCheck, state: 'done' | 'cancelled', now: number, problem?: MenuProblem): void {
  check.state = state;
  check.finishedAt = now;
  if (problem !== undefined) check.problem = problem;
}

/** Applies a link's progress to its entry; its index, or -1 when the check has no such link (an answer it did not ask for). */
export function applyProgress(check: MenuCheck, url: string, change: { result: LinkResult } | 'checking'): number {
  const index = check.entries.findIndex((entry) => entry.url === url);
  const entry = check.entries[index];
  if (!entry) return -1;
  check.entries[index] =
    change === 'checking'
      ? { ...entry, phase: entry.phase === 'done' ? 'done' : 'checking' }
      : { ...entry, phase: 'done', result: change.result };
  return index;
}

/** A stored check as read back; anything of another shape is no check (storage is ours, but may hold an older shape). */
export function readMenuCheck(value: unknown): MenuCheck | null {
  if (typeof value !== 'string') return null;
  try {
    const check = JSON.parse(value) as MenuCheck;
    const valid =
      typeof check === 'object' &&
      check !== null &&
      typeof check.id === 'string' &&
      (check.kind === 'link' || check.kind === 'selection') &&
      typeof check.pageUrl === 'string' &&
      Array.isArray(check.entries) &&
      ['running', 'done', 'cancelled'].includes(check.state);
    return valid ? check : null;
  } catch {
    return null;
  }
}
