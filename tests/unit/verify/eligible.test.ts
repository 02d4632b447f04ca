import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry, LinkResult, Reason, Verdict } from '../../../utils/types';
import { canSettleInTab, linksToVerify } from '../../../utils/verify/eligible';

const result = (verdict: Verdict, reason: Reason | ''): LinkResult => ({
  url: '',
  verdict,
  reason,
  status: null,
  finalUrl: null,
  ms: 0,
  attempts: 1,
  redirects: [],
  checkedAt: 0,
});
const entry = (url: string, verdict: Verdict, reason: Reason | ''): LinkEntry => ({
  url,
  occurrences: 1,
  texts: [],
  phase: 'done',
  result: result(verdict, reason),
});

describe('which links a tab can settle', () => {
  it('takes every blocked link and the broken ones whose fragment is missing', () => {
    expect(canSettleInTab(result('blocked', 'bot-challenge'))).toBe(true);
    expect(canSettleInTab(result('blocked', 'auth'))).toBe(true);
    expect(canSettleInTab(result('blocked', 'challenge'))).toBe(true);
    expect(canSettleInTab(result('broken', 'fragment-missing'))).toBe(true);
  });

  it('leaves every other verdict to the check', () => {
    expect(canSettleInTab(result('broken', 'status'))).toBe(false);
    expect(canSettleInTab(result('ok', ''))).toBe(false);
    expect(canSettleInTab(result('error', 'timeout'))).toBe(false);
    expect(canSettleInTab(result('skipped', 'private-network'))).toBe(false);
    expect(canSettleInTab(undefined)).toBe(false);
  });

  it('never sends a tab where the run’s rules would not send a check', () => {
    const entries = [
      entry('https://a.test/wall', 'blocked', 'bot-challenge'),
      entry('https://b.test/wall', 'blocked', 'bot-challenge'),
      entry('http://127.0.0.1/admin', 'blocked', 'auth'),
      entry('https://a.test/excluded', 'blocked', 'auth'),
      entry('https://a.test/404', 'broken', 'status'),
    ];
    const settings = { ...DEFAULT_SETTINGS, excludePatterns: ['*/excluded'] };
    expect(linksToVerify(entries, 'https://a.test/', settings).map((e) => e.url)).toEqual([
      'https://a.test/wall',
      'https://b.test/wall',
    ]);
    expect(linksToVerify(entries, 'https://a.test/', { ...settings, sameHostOnly: true }).map((e) => e.url)).toEqual([
      'https://a.test/wall',
    ]);
  });
});
