import { describe, expect, it } from 'vitest';
import { challengeHeader, challengeTitle } from '../../../utils/verify/challenge-markers';

describe('challenge markers', () => {
  it('finds the headers walls send with a challenge, in any case', () => {
    expect(challengeHeader([{ name: 'CF-Mitigated', value: 'challenge' }])).toBe('cf-mitigated: challenge');
    expect(challengeHeader([{ name: 'x-amzn-waf-action', value: 'captcha' }])).toBe('x-amzn-waf-action: captcha');
    expect(
      challengeHeader([
        { name: 'cf-ray', value: '123' },
        { name: 'server', value: 'cloudflare' },
      ]),
    ).toBeNull();
  });

  it('knows interstitial titles, and not ordinary ones that share a word', () => {
    expect(challengeTitle('Just a moment...')).toBe(true);
    expect(challengeTitle('  Attention Required! |  Cloudflare ')).toBe(true);
    expect(challengeTitle('Just a moment with our CEO')).toBe(false);
    expect(challengeTitle('Checking account offers')).toBe(false);
    expect(challengeTitle('')).toBe(false);
  });
});
