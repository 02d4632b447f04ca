import { describe, expect, it } from 'vitest';
import { backoffMs, isTransientFailure, isTransientStatus, parseRetryAfter } from '../../../utils/check/retry';

describe('retry rules', () => {
  it('parses Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
  it('reads the three HTTP-date forms of RFC 9110, and a two-digit year as the nearest not 50 years ahead', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('Tuesday, 24-Nov-26 10:00:04 GMT', now)).toBe(4000);
    expect(parseRetryAfter('Tue Nov 24 10:00:05 2026', now)).toBe(5000);
    expect(parseRetryAfter('Wed Dec  2 10:00:00 2026', now)).toBe(8 * 86_400_000);
    // 2077 is more than 50 years ahead: the year is 1977, long past.
    expect(parseRetryAfter('Monday, 01-Nov-77 10:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Sunday, 01-Nov-70 10:00:00 GMT', Date.parse('2066-01-01T00:00:00Z'))).toBe(
      Date.parse('2070-11-01T10:00:00Z') - Date.parse('2066-01-01T00:00:00Z'),
    );
  });
  it('takes only delay-seconds or a strict HTTP date: anything else is no Retry-After', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter(' 7 ', now)).toBe(7000);
    // A header sent twice reaches fetch's Headers joined with a comma.
    expect(parseRetryAfter('5, 5', now)).toBe(5000);
    expect(parseRetryAfter('5,9', now)).toBe(5000);
    for (const value of [
      '-1',
      '1.5',
      '+3',
      '12 30',
      '5, soon',
      '0x10',
      '1e3',
      '',
      'Tue, 24 Nov 2026 10:00:03',
      'Tue, 24 Nov 2026 10:00:03 UTC',
      'tue, 24 nov 2026 10:00:03 gmt',
      'Tue, 24 Nov 26 10:00:03 GMT',
      'Tue, 4 Nov 2026 10:00:03 GMT',
      'Tue, 31 Apr 2026 10:00:03 GMT',
      'Tue, 24 Nov 2026 24:00:00 GMT',
      'Tue, 24 Nov 2026 10:61:00 GMT',
      '2026-11-24T10:00:03Z',
      '24 Nov 2026',
      'Tue Nov 24 10:00:05 2026 GMT',
    ]) {
      expect(parseRetryAfter(value, now), value).toBeNull();
    }
  });
  it('retries 408, 429 and 5xx, not other 4xx', () => {
    expect([408, 429, 500, 503].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 410].some(isTransientStatus)).toBe(false);
  });
  it('retries timeouts and connection failures, not names, certificates or redirect loops', () => {
    expect((['timeout', 'connection', 'network'] as const).every(isTransientFailure)).toBe(true);
    expect((['dns', 'tls', 'too-many-redirects'] as const).some(isTransientFailure)).toBe(false);
  });
  it('backs off exponentially with jitter', () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(750);
    expect(backoffMs(2, () => 0.5)).toBe(2000);
  });
});
