import type { MenuCheck } from './menu-check';
import type { AnswerServerMessage } from './protocol';

/**
 * What the answer window shows: the check as the background last told it, or why there is none (`gone`: no longer
 * kept; `no-check`: the window was opened without one).
 */
export type AnswerState = { check: MenuCheck | null; unavailable: 'gone' | 'no-check' | null };

/**
 * The answer window's state after a message of the background: a whole check replaces what was shown; an update
 * replaces the entries it names (a new object each, the others kept) and the check's state. Messages of another check
 * change nothing.
 */
export function applyAnswerMessage(state: AnswerState, id: string, message: AnswerServerMessage): AnswerState {
  switch (message.type) {
    case 'answer':
      return message.check.id === id ? { check: message.check, unavailable: null } : state;
    case 'answer-unavailable':
      return message.id === id ? { check: null, unavailable: 'gone' } : state;
    case 'answer-update': {
      const check = state.check;
      if (!check || message.id !== id) return state;
      const entries = check.entries.slice();
      for (const [index, entry] of message.changes) if (index >= 0 && index < entries.length) entries[index] = entry;
      return {
        check: {
          ...check,
          entries,
          state: message.state,
          finishedAt: message.finishedAt,
          ...(message.problem === undefined ? {} : { problem: message.problem }),
        },
        unavailable: null,
      };
    }
  }
}
