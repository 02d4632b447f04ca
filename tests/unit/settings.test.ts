import { describe, expect, it } from 'vitest';
import { checkExcludePattern, DEFAULT_SETTINGS, validateSettings } from '../../utils/settings';

describe('validateSettings', () => {
  it('accepts the defaults and fills missing fields from them', () => {
    expect(validateSettings({})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(validateSettings({ retries: 4 })).toMatchObject({ ok: true, value: { retries: 4, perHostConcurrency: 6 } });
  });
  it('rejects out-of-range and non-integer numbers with the field and the range', () => {
    const result = validateSettings({ perHostConcurrency: 7, globalConcurrency: 2.5, requestTimeoutSec: 'abc' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.perHostConcurrency).toBe('Must be from 1 to 6 (got 7).');
    expect(result.errors.globalConcurrency).toMatch(/whole number/);
    expect(result.errors.requestTimeoutSec).toMatch(/whole number from 1 to 60/);
  });
  it('accepts numbers typed as text', () => {
    expect(validateSettings({ retries: '3' })).toMatchObject({ ok: true, value: { retries: 3 } });
  });
  it('names the line of an exclude pattern that does not compile', () => {
    const result = validateSettings({ excludePatterns: ['*.pdf', '/[unclosed/'] });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.excludePatterns).toMatch(/^Line 2 \(\/\[unclosed\/\): Invalid regular expression/);
  });
  it('rejects things that are not settings at all', () => {
    expect(validateSettings(null).ok).toBe(false);
    expect(validateSettings([1, 2]).ok).toBe(false);
    expect(validateSettings({ collect: { images: 'yes' } }).ok).toBe(false);
    expect(validateSettings({ sendCookies: 1 }).ok).toBe(false);
  });
  it('checks a single exclude pattern', () => {
    expect(checkExcludePattern('https://example.com/*')).toBeNull();
    expect(checkExcludePattern('/ok/i')).toBeNull();
    expect(checkExcludePattern('/(/')).toMatch(/Invalid regular expression/);
  });
});
