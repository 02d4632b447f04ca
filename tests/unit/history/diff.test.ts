import { describe, expect, it } from 'vitest';
import { baselineOf, changeOf, entryChange, isNewProblem, withBaseline } from '../../../utils/history/diff';
import { summarize } from '../../../utils/report/report';
import type { LinkEntry, Verdict } from '../../../utils/types';

function entry(url: string, verdict?: Verdict): LinkEntry {
  return {
    url,
    occurrences: 1,
    texts: [],
    phase: verdict ? 'done' : 'queued',
    result: verdict
      ? { url, verdict, reason: '', status: null, finalUrl: null, ms: 0, attempts: 1, redirects: [], checkedAt: 0 }
      : undefined,
  };
}

describe('the change of one link against the previous finished run', () => {
  it('is nothing at all when the page has no previous run', () => {
    expect(changeOf(undefined, 'broken')).toBe('');
    expect(isNewProblem(undefined, 'broken')).toBe(false);
  });

  it('is new for a link that was not on the page, whatever its verdict, even before it has one', () => {
    expect(changeOf('absent', 'ok')).toBe('new');
    expect(changeOf('absent', 'broken')).toBe('new');
    expect(changeOf('absent', undefined)).toBe('new');
  });

  it('is newly-broken when a fine link became a problem', () => {
    for (const before of ['ok', 'redirected'] as const)
      for (const now of ['broken', 'blocked', 'error'] as const) expect(changeOf(before, now)).toBe('newly-broken');
  });

  it('is fixed when a problem became fine', () => {
    for (const before of ['broken', 'blocked', 'error'] as const)
      for (const now of ['ok', 'redirected'] as const) expect(changeOf(before, now)).toBe('fixed');
  });

  it('is empty when nothing of that kind changed', () => {
    expect(changeOf('ok', 'redirected')).toBe('');
    expect(changeOf('broken', 'error')).toBe('');
    expect(changeOf('skipped', 'broken')).toBe('');
    expect(changeOf('broken', 'skipped')).toBe('');
    expect(changeOf('ok', undefined)).toBe('');
  });
});

describe('a run against the previous one', () => {
  const previous = baselineOf([
    { url: 'https://a.test/stays-ok', verdict: 'ok' },
    { url: 'https://a.test/breaks', verdict: 'ok' },
    { url: 'https://a.test/heals', verdict: 'broken' },
    { url: 'https://a.test/still-broken', verdict: 'broken' },
    { url: 'https://a.test/was-skipped', verdict: 'skipped' },
    { url: 'https://a.test/removed', verdict: 'broken' },
    { url: 'https://a.test/never-judged', verdict: null },
  ]);
  const now = withBaseline(
    [
      entry('https://a.test/stays-ok', 'ok'),
      entry('https://a.test/breaks', 'error'),
      entry('https://a.test/heals', 'redirected'),
      entry('https://a.test/still-broken', 'broken'),
      entry('https://a.test/was-skipped', 'blocked'),
      entry('https://a.test/added-broken', 'broken'),
      entry('https://a.test/added-ok', 'ok'),
      entry('https://a.test/never-judged', 'ok'),
    ],
    previous,
  );

  it('gives each link its change', () => {
    expect(Object.fromEntries(now.map((e) => [e.url.slice(15), entryChange(e)]))).toEqual({
      'stays-ok': '',
      breaks: 'newly-broken',
      heals: 'fixed',
      'still-broken': '',
      'was-skipped': '',
      'added-broken': 'new',
      'added-ok': 'new',
      'never-judged': 'new',
    });
  });

  it('counts as new problems the links that are problems now and were not then', () => {
    // breaks, was-skipped, added-broken.
    expect(summarize(now, 'done').newProblems).toBe(3);
  });

  it('without a previous run drops marks an entry carried from an older run', () => {
    const fresh = withBaseline(now, null);
    expect(fresh.every((e) => !('before' in e))).toBe(true);
    expect(summarize(fresh, 'done').newProblems).toBe(0);
  });
});
