import type { RunMeta } from './run/stored-run';
import type { LinkEntry } from './types';

/** The name of the port the popup and the report page open to the background. */
export const RUN_PORT = 'linkpulse-run';

/** Popup / report page → background. */
export type ClientMessage =
  /** Show the tab's run; with `startIfNone`, start one when the tab has none (the popup does, the report does not). */
  | { type: 'watch'; tabId: number; startIfNone: boolean }
  | { type: 'recheck'; tabId: number; onlyFailed: boolean }
  | { type: 'cancel'; tabId: number }
  /** Load the run's blocked links and missing anchors in background tabs (the second opinion), or stop doing so. */
  | { type: 'verify'; tabId: number; action: 'start' | 'stop' };

/** Background → popup / report page. */
export type ServerMessage =
  | { type: 'snapshot'; meta: RunMeta; entries: LinkEntry[] }
  /** The next rows of the snapshot just sent (a large run's snapshot comes in several messages; see message-chunks). */
  | { type: 'rows'; runId: string; entries: LinkEntry[] }
  /** Changed rows since the last message, batched (never one message per link). */
  | { type: 'update'; meta: RunMeta; changes: [index: number, entry: LinkEntry][] }
  /** The tab has no run, or none can be made: `message` says why in words a person understands. */
  | { type: 'unavailable'; tabId: number; message: string };

export function isClientMessage(value: unknown): value is ClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.tabId !== 'number' || !Number.isInteger(m.tabId)) return false;
  switch (m.type) {
    case 'watch':
      return typeof m.startIfNone === 'boolean';
    case 'recheck':
      return typeof m.onlyFailed === 'boolean';
    case 'cancel':
      return true;
    case 'verify':
      return m.action === 'start' || m.action === 'stop';
    default:
      return false;
  }
}

/** Popup → the highlight content script in the checked page (entrypoints/highlight.content.ts). */
export type PageMessage =
  /** Scroll to the first link with this URL and flash every link with it. */
  | { type: 'page-flash'; url: string }
  /** Outline each link whose URL is listed in its verdict's colour; `null` removes every mark. */
  | { type: 'page-mark'; marks: [url: string, verdict: string][] | null }
  | { type: 'page-count-marks' };

/** The content script checks every message before acting on it; it answers with a count and nothing else. */
export function isPageMessage(value: unknown): value is PageMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'page-flash':
      return typeof m.url === 'string' && m.url.length <= 100_000;
    case 'page-mark':
      return (
        m.marks === null ||
        (Array.isArray(m.marks) &&
          m.marks.every(
            (pair) =>
              Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string',
          ))
      );
    case 'page-count-marks':
      return true;
    default:
      return false;
  }
}

/** The only answer taken from the page: a count of links, never a URL or anything else to act on. */
export function isPageReply(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
