// A crawl's judgements that need no request of their own: a link settled before any request, or judged from the fetch
// of the page it leads to.
import { describe, expect, it } from 'vitest';
import type { PageFetch } from '../../../utils/crawl/fetch-page';
import { judgeBeforeRequest, type LinkRule, resultFromPage } from '../../../utils/crawl/link-judgement';
import { ALLOW_ALL } from '../../../utils/crawl/robots';
import { pageAnswer } from '../../support/page-answer';

const ORIGIN = 'https://s.example';
const checkAll: LinkRule = (url) => ({ action: 'check', url: new URL(url) });
const at = { rule: checkAll, origin: ORIGIN, robots: ALLOW_ALL, now: 1 };
const found = (url: string | null, text = '', nofollow = false) => ({ url, text, nofollow });

const response = (over: Partial<Extract<PageFetch, { kind: 'response' }>> = {}) =>
  pageAnswer(`${ORIGIN}/page`, { ms: 5, ...over });

describe('judgeBeforeRequest', () => {
  it('settles an address that does not resolve as invalid', () => {
    const before = judgeBeforeRequest('http://[bad', found(null), at);
    expect('result' in before && before.result.detail).toEqual({ code: 'invalid-address' });
  });

  it('skips a nofollow link, and a page of the site robots.txt disallows', () => {
    const nofollow = judgeBeforeRequest(`${ORIGIN}/a`, found(`${ORIGIN}/a`, 'a', true), at);
    expect('result' in nofollow && nofollow.result.detail).toEqual({ code: 'nofollow' });
    const robots = { allows: (url: URL) => url.pathname !== '/private' };
    const disallowed = judgeBeforeRequest(`${ORIGIN}/private`, found(`${ORIGIN}/private`), { ...at, robots });
    expect('result' in disallowed && disallowed.result.detail).toEqual({ code: 'robots' });
    const elsewhere = judgeBeforeRequest('https://o.example/private', found('https://o.example/private'), {
      ...at,
      robots,
    });
    expect(elsewhere).toEqual({ url: new URL('https://o.example/private') });
  });

  it('hands on any other link with the URL the rules gave', () => {
    expect(judgeBeforeRequest(`${ORIGIN}/a`, found(`${ORIGIN}/a`, 'A'), at)).toEqual({ url: new URL(`${ORIGIN}/a`) });
  });
});

describe('resultFromPage', () => {
  it('judges a fragment against the ids of the page it leads to', () => {
    const page = { fetch: response(), anchors: new Set(['top']), anchorsComplete: true };
    expect(resultFromPage(`${ORIGIN}/page#top`, page, 1).verdict).toBe('ok');
    expect(resultFromPage(`${ORIGIN}/page#gone`, page, 1)).toMatchObject({
      verdict: 'broken',
      reason: 'fragment-missing',
      status: 200,
    });
  });

  it('leaves the link its fragment unjudged when a redirect named one of its own', () => {
    const page = { fetch: response({ redirectFragment: 'there' }), anchors: new Set<string>(), anchorsComplete: true };
    expect(resultFromPage(`${ORIGIN}/page#gone`, page, 1).notes).toEqual([
      { code: 'fragment-from-redirect', fragment: 'there' },
    ]);
  });
});
