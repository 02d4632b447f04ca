import type { RunMeta } from './run/run-store';
import type { LinkEntry } from './types';

/** The name of the port the popup and the report page open to the background. */
export const RUN_PORT = 'linkpulse-run';

/** Popup / report page → background. */
export type ClientMessage =
  /** Show the tab's run; with `startIfNone`, start one when the tab has none (the popup does, the report does not). */
  | { type: 'watch'; tabId: number; startIfNone: boolean }
  | { type: 'recheck'; tabId: number; onlyFailed: boolean }
  | { type: 'cancel'; tabId: number };

/** Background → popup / report page. */
export type ServerMessage =
  | { type: 'snapshot'; meta: RunMeta; entries: LinkEntry[] }
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
    default:
      return false;
  }
}
