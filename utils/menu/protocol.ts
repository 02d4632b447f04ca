import type { LinkEntry, RunStateName } from '../types';
import type { MenuCheck, MenuProblem } from './menu-check';

/** The port the answer window opens to the background. */
export const ANSWER_PORT = 'linkpulse-answer';

/** Answer window → background. */
export type AnswerClientMessage = { type: 'answer-watch'; id: string } | { type: 'answer-stop'; id: string };

/** Background → answer window. */
export type AnswerServerMessage =
  /** The whole check: first, and again whenever its list of links changes (a selection's links arrived). */
  | { type: 'answer'; check: MenuCheck }
  /** The links whose progress changed since the last message, batched, with the check's state. */
  | {
      type: 'answer-update';
      id: string;
      state: RunStateName;
      finishedAt: number | null;
      problem?: MenuProblem;
      changes: [index: number, entry: LinkEntry][];
    }
  /** No such check is kept (an old window, a restarted browser). */
  | { type: 'answer-unavailable'; id: string };

/** Check ids are the background's own random UUIDs; anything else names no check. */
const ID = /^[\w-]{1,64}$/;

export function isAnswerClientMessage(value: unknown): value is AnswerClientMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (m.type === 'answer-watch' || m.type === 'answer-stop') && typeof m.id === 'string' && ID.test(m.id);
}

/** The answer window's address for a check. */
export function answerPath(id: string): string {
  return `/answer.html?id=${encodeURIComponent(id)}`;
}
