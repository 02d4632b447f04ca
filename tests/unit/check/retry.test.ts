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
