import { describe, expect, it } from 'vitest';
import {
  AUTO_GLOBAL_CONCURRENCY,
  checkExcludePattern,
  DEFAULT_SETTINGS,
  globalLimit,
  PATTERNS_MAX_BYTES,
  perHostLimitH2,
  validateSettings,
} from '../../utils/settings';

describe('validateSettings', () => {
  it('accepts the defaults and fills missing fields from them', () => {
    expect(validateSettings({})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(validateSettings({ retries: 4 })).toMatchObject({ ok: true, value: { retries: 4, perHostConcurrency: 6 } });
  });
  it('rejects out-of-range and non-integer numbers with the field and the range', () => {
    const result = validateSettings({ perHostConcurrency: 7, globalConcurrency: 2.5, requestTimeoutSec: 'abc' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.perHostConcurrency).toEqual({ kind: 'out-of-range', min: 1, max: 6, got: 7 });
    expect(result.errors.globalConcurrency).toMatchObject({ kind: 'not-whole' });
    expect(result.errors.requestTimeoutSec).toEqual({ kind: 'not-whole', min: 1, max: 25 });
  });
  it('holds the site check to 0–10 clicks deep and 1–5000 pages, and its switches to booleans', () => {
    expect(validateSettings({})).toMatchObject({
      ok: true,
      value: { crawlMaxDepth: 3, crawlMaxPages: 500, crawlUseSitemap: true, crawlRespectRobots: true },
    });
    const bad = validateSettings({ crawlMaxDepth: 11, crawlMaxPages: 0, crawlUseSitemap: 'yes' });
    expect(bad).toEqual({
      ok: false,
      errors: {
        crawlMaxDepth: { kind: 'out-of-range', min: 0, max: 10, got: 11 },
        crawlMaxPages: { kind: 'out-of-range', min: 1, max: 5000, got: 0 },
        crawlUseSitemap: { kind: 'not-boolean' },
      },
    });
  });

  it('keeps the second opinion off by default, at most 2 tabs at once and 20 s each', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ autoVerify: false, verifyTabs: 2, verifyTimeoutSec: 20 });
    const result = validateSettings({ verifyTabs: 3, verifyTimeoutSec: 60, autoVerify: 'yes' });
    expect(result).toEqual({
      ok: false,
      errors: {
        verifyTabs: { kind: 'out-of-range', min: 1, max: 2, got: 3 },
        verifyTimeoutSec: { kind: 'out-of-range', min: 5, max: 20, got: 60 },
        autoVerify: { kind: 'not-boolean' },
      },
    });
  });

  it('accepts numbers typed as text', () => {
    expect(validateSettings({ retries: '3' })).toMatchObject({ ok: true, value: { retries: 3 } });
  });
  it('names the line of an exclude pattern that does not compile', () => {
    const result = validateSettings({ excludePatterns: ['*.pdf', '/[unclosed/'] });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.excludePatterns).toEqual({
        kind: 'pattern',
        line: 2,
        pattern: '/[unclosed/',
        problem: { kind: 'bad-regex', detail: expect.stringMatching(/./) },
      });
  });
  it('rejects things that are not settings at all', () => {
    expect(validateSettings(null).ok).toBe(false);
    expect(validateSettings([1, 2]).ok).toBe(false);
    expect(validateSettings({ collect: { images: 'yes' } }).ok).toBe(false);
    expect(validateSettings({ sendCookies: 1 }).ok).toBe(false);
  });
  it('finds soft 404s by default; the switch takes true or false only', () => {
    expect(DEFAULT_SETTINGS.detectSoft404).toBe(true);
    const plain = validateSettings({});
    expect(plain.ok && plain.value.detectSoft404).toBe(true);
    const off = validateSettings({ detectSoft404: false });
    expect(off.ok && off.value.detectSoft404).toBe(false);
    const bad = validateSettings({ detectSoft404: 'no' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.detectSoft404).toEqual({ kind: 'not-boolean' });
  });
  it('checks a single exclude pattern', () => {
    expect(checkExcludePattern('https://example.com/*')).toBeNull();
    expect(checkExcludePattern('/ok/i')).toBeNull();
    expect(checkExcludePattern('/(/')).toMatchObject({ kind: 'bad-regex' });
    expect(checkExcludePattern(`https://a.test/${'x'.repeat(2000)}`)).toEqual({ kind: 'too-long', max: 2000 });
    // A regular expression too: a shared settings file must not bring one of any length.
    expect(checkExcludePattern(`/${'a'.repeat(2000)}/`)).toEqual({ kind: 'too-long', max: 2000 });
  });
  it('keeps the patterns within what storage.sync holds for the settings (8 192 bytes), counted in bytes', () => {
    const glob = (c: string) => `https://a.test/${c.repeat(1_500)}*`;
    expect(validateSettings({ excludePatterns: [glob('a'), glob('b'), glob('c')] }).ok).toBe(true);
    const four = validateSettings({ excludePatterns: [glob('a'), glob('b'), glob('c'), glob('d')] });
    expect(four.ok).toBe(false);
    if (!four.ok) expect(four.errors.excludePatterns).toEqual({ kind: 'patterns-too-long', max: PATTERNS_MAX_BYTES });
    // Counted in bytes of UTF-8: two patterns of two-byte letters are too much, though as many characters are not.
    expect(validateSettings({ excludePatterns: [glob('é')] }).ok).toBe(true);
    expect(validateSettings({ excludePatterns: [glob('é'), glob('ü')] }).ok).toBe(false);
  });
  it('takes the global limit as a number from 1 to 64 or as auto, which allows up to 128', () => {
    expect(DEFAULT_SETTINGS.globalConcurrency).toBe('auto');
    expect(globalLimit(DEFAULT_SETTINGS)).toBe(AUTO_GLOBAL_CONCURRENCY);
    expect(AUTO_GLOBAL_CONCURRENCY).toBe(128);
    expect(validateSettings({ globalConcurrency: 12 })).toMatchObject({ ok: true, value: { globalConcurrency: 12 } });
    expect(globalLimit({ globalConcurrency: 12 })).toBe(12);
    expect(validateSettings({ globalConcurrency: 'auto' })).toMatchObject({ value: { globalConcurrency: 'auto' } });
    const tooMany = validateSettings({ globalConcurrency: 65 });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok)
      expect(tooMany.errors.globalConcurrency).toEqual({ kind: 'out-of-range', min: 1, max: 64, got: 65 });
    const word = validateSettings({ globalConcurrency: 'Auto' });
    expect(word.ok).toBe(false);
    if (!word.ok) expect(word.errors.globalConcurrency).toEqual({ kind: 'not-whole', min: 1, max: 64, auto: 'value' });
  });
  it('gives HTTP/2 hosts the per-host limit by default, and a number from 1 to 32 when the person sets one', () => {
    expect(DEFAULT_SETTINGS.perHostConcurrencyH2).toBe('same');
    expect(perHostLimitH2(DEFAULT_SETTINGS)).toBe(6);
    // "same" follows the per-host limit down: a person who lowers it for a fragile server lowers it for HTTP/2 too.
    expect(perHostLimitH2({ perHostConcurrency: 2, perHostConcurrencyH2: 'same' })).toBe(2);
    expect(perHostLimitH2({ perHostConcurrency: 2, perHostConcurrencyH2: 20 })).toBe(20);
    expect(validateSettings({ perHostConcurrencyH2: 32 })).toMatchObject({
      ok: true,
      value: { perHostConcurrencyH2: 32 },
    });
    expect(validateSettings({ perHostConcurrencyH2: '16' })).toMatchObject({ value: { perHostConcurrencyH2: 16 } });
    const notWhole = { kind: 'not-whole-or-same', min: 1, max: 32, via: 'value' };
    for (const [input, problem] of [
      [33, { kind: 'out-of-range', min: 1, max: 32, got: 33 }],
      [0, { kind: 'out-of-range', min: 1, max: 32, got: 0 }],
      [1.5, notWhole],
      ['Same', notWhole],
      [null, notWhole],
    ] as const) {
      expect(validateSettings({ perHostConcurrencyH2: input })).toEqual({
        ok: false,
        errors: { perHostConcurrencyH2: problem },
      });
    }
    // From the form, "same" is a switch.
    expect(validateSettings({ perHostConcurrencyH2: '' }, 'switch')).toEqual({
      ok: false,
      errors: { perHostConcurrencyH2: { ...notWhole, via: 'switch' } },
    });
  });
});
