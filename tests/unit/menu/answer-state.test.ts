import { describe, expect, it } from 'vitest';
import { type AnswerState, applyAnswerMessage } from '../../../utils/menu/answer-state';
import { linkCheck, selectionCheck } from '../../../utils/menu/menu-check';
import type { AnswerServerMessage } from '../../../utils/menu/protocol';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry } from '../../../utils/types';

const empty: AnswerState = { check: null, unavailable: null };
const entry = (url: string, extra: Partial<LinkEntry> = {}): LinkEntry => ({
  url,
  occurrences: 1,
  texts: [],
  phase: 'queued',
  ...extra,
});

describe('applyAnswerMessage', () => {
  it('shows the whole check it is sent, and only its own', () => {
    const check = linkCheck('one', 'https://a.example/', 'https://page.example/', DEFAULT_SETTINGS, 5);
    expect(applyAnswerMessage(empty, 'one', { type: 'answer', check })).toEqual({ check, unavailable: null });
    expect(applyAnswerMessage(empty, 'two', { type: 'answer', check })).toBe(empty);
  });

  it('replaces the entries an update names, keeps the others, and takes the state', () => {
    const check = {
      ...selectionCheck('one', 'https://page.example/', DEFAULT_SETTINGS, 5),
      entries: [entry('https://a.example/'), entry('https://b.example/')],
    };
    const done = entry('https://b.example/', { phase: 'done' });
    const next = applyAnswerMessage({ check, unavailable: null }, 'one', {
      type: 'answer-update',
      id: 'one',
      state: 'done',
      finishedAt: 9,
      changes: [
        [1, done],
        [5, entry('https://nowhere.example/')],
      ],
    });
    expect(next.check?.entries[0]).toBe(check.entries[0]);
    expect(next.check?.entries[1]).toBe(done);
    expect(next.check?.entries).toHaveLength(2);
    expect(next.check).toMatchObject({ state: 'done', finishedAt: 9 });
    // The original is untouched: the page renders from new objects.
    expect(check.entries[1]?.phase).toBe('queued');
  });

  it('ignores an update before the check is known, and says when the check is gone', () => {
    const update: AnswerServerMessage = { type: 'answer-update', id: 'one', state: 'done', finishedAt: 1, changes: [] };
    expect(applyAnswerMessage(empty, 'one', update)).toBe(empty);
    expect(applyAnswerMessage(empty, 'one', { type: 'answer-unavailable', id: 'one' })).toEqual({
      check: null,
      unavailable: 'gone',
    });
  });
});
