import { describe, expect, it } from 'vitest';
import { decideVerdict, isBotChallenge } from '../../utils/verdict';

const response = (
  status: number,
  extra: Partial<{ redirected: boolean; botChallenge: boolean; fragment: 'found' | 'missing' | null }> = {},
) => decideVerdict({ kind: 'response', status, redirected: false, botChallenge: false, fragment: null, ...extra });

describe('decideVerdict', () => {
  it('calls a 2xx without redirect ok, with no reason', () => {
    expect(response(200)).toEqual({ verdict: 'ok', reason: '' });
    expect(response(204)).toEqual({ verdict: 'ok', reason: '' });
  });
  it('calls a 2xx reached through redirects redirected', () => {
    expect(response(200, { redirected: true })).toEqual({ verdict: 'redirected', reason: 'redirect' });
  });
  it('calls 4xx and 5xx broken with reason status', () => {
    for (const status of [400, 404, 410, 500, 502, 503])
      expect(response(status)).toEqual({ verdict: 'broken', reason: 'status' });
  });
  it('never calls 401, 403, 429 or 999 broken: they are blocked', () => {
    expect(response(401)).toEqual({ verdict: 'blocked', reason: 'auth' });
    expect(response(403)).toEqual({ verdict: 'blocked', reason: 'auth' });
    expect(response(429)).toEqual({ verdict: 'blocked', reason: 'rate-limited' });
    expect(response(999)).toEqual({ verdict: 'blocked', reason: 'bot-challenge' });
  });
  it('calls a bot challenge blocked whatever its status', () => {
    expect(response(403, { botChallenge: true })).toEqual({ verdict: 'blocked', reason: 'bot-challenge' });
    expect(response(503, { botChallenge: true })).toEqual({ verdict: 'blocked', reason: 'bot-challenge' });
  });
  it('calls a 2xx whose document lacks the fragment broken, even after redirects', () => {
    expect(response(200, { fragment: 'missing' })).toEqual({ verdict: 'broken', reason: 'fragment-missing' });
    expect(response(200, { fragment: 'missing', redirected: true }).verdict).toBe('broken');
    expect(response(200, { fragment: 'found' }).verdict).toBe('ok');
  });
  it('maps network failures to error with their kind, and skips to skipped', () => {
    expect(decideVerdict({ kind: 'failure', reason: 'dns' })).toEqual({ verdict: 'error', reason: 'dns' });
    expect(decideVerdict({ kind: 'failure', reason: 'timeout' })).toEqual({ verdict: 'error', reason: 'timeout' });
    expect(decideVerdict({ kind: 'skipped', reason: 'scheme' })).toEqual({ verdict: 'skipped', reason: 'scheme' });
    expect(decideVerdict({ kind: 'invalid' })).toEqual({ verdict: 'error', reason: 'invalid-url' });
  });
});

describe('isBotChallenge', () => {
  it('recognises Cloudflare and AWS WAF challenge headers', () => {
    expect(isBotChallenge(new Headers({ 'cf-mitigated': 'challenge' }))).toBe(true);
    expect(isBotChallenge(new Headers({ 'x-amzn-waf-action': 'captcha' }))).toBe(true);
    expect(isBotChallenge(new Headers({ server: 'cloudflare' }))).toBe(false);
  });
});
