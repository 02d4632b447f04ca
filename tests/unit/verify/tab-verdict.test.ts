import { describe, expect, it } from 'vitest';
import type { LinkResult } from '../../../utils/types';
import type { DocumentProbe } from '../../../utils/verify/probe';
import { applyOutcome, judgeTab, type MainFrame } from '../../../utils/verify/tab-verdict';

const URL_ = 'https://a.test/page';
const frame = (over: Partial<MainFrame> = {}): MainFrame => ({
  status: 200,
  url: URL_,
  hops: [],
  challengeHeader: null,
  error: null,
  loading: false,
  changedAt: 0,
  refused: null,
  closed: false,
  ...over,
});
const doc = (over: Partial<DocumentProbe> = {}): DocumentProbe => ({
  readyState: 'complete',
  title: 'A page',
  marker: null,
  fragment: null,
  ...over,
});

describe('judgeTab: what a tab saw decides the row', () => {
  it('calls a 2xx document with no challenge left ok', () => {
    expect(judgeTab(URL_, frame(), doc())).toMatchObject({ verdict: 'ok', reason: '', wait: null });
  });

  it('calls it redirected after HTTP hops or when the document ended at another address', () => {
    const hop = { url: URL_, status: 301 };
    expect(judgeTab(URL_, frame({ hops: [hop], url: 'https://a.test/new' }), doc())?.verdict).toBe('redirected');
    expect(judgeTab(URL_, frame({ url: 'https://a.test/elsewhere' }), doc())?.verdict).toBe('redirected');
  });

  it('keeps a link that the person’s browser is sent to sign in for blocked: a person is needed', () => {
    const hop = { url: URL_, status: 302 };
    const login = frame({ hops: [hop], url: 'https://a.test/login?next=%2Fpage' });
    expect(judgeTab(URL_, login, doc({ title: 'Sign in' }))).toMatchObject({
      verdict: 'blocked',
      reason: 'challenge',
      challenge: 'sign-in page https://a.test/login?next=%2Fpage',
    });
    expect(judgeTab(URL_, frame({ url: 'https://sso.a.test/oauth2/authorize' }), doc())?.verdict).toBe('blocked');
    // A link to the sign-in page itself, and a page whose path merely contains the word, are what they are.
    expect(judgeTab('https://a.test/login', frame({ url: 'https://a.test/login' }), doc())?.verdict).toBe('ok');
    expect(judgeTab(URL_, frame({ url: 'https://a.test/blog/logins-explained' }), doc())?.verdict).toBe('redirected');
  });

  it('does not call a fragment link redirected because the document URL has no fragment', () => {
    expect(judgeTab(`${URL_}#part`, frame(), doc({ fragment: 'found' }))?.verdict).toBe('ok');
  });

  it('keeps a document that still holds a challenge blocked, with the marker that says so', () => {
    expect(judgeTab(URL_, frame({ challengeHeader: 'cf-mitigated: challenge' }), doc())).toMatchObject({
      verdict: 'blocked',
      reason: 'challenge',
      wait: 'challenge',
      challenge: 'cf-mitigated: challenge',
    });
    expect(judgeTab(URL_, frame(), doc({ marker: '#challenge-form' }))?.challenge).toBe('#challenge-form');
    expect(judgeTab(URL_, frame({ status: 503 }), doc({ title: 'Just a moment...' }))?.verdict).toBe('blocked');
  });

  it('keeps a refusal that the person’s own browser also gets blocked: a human is needed', () => {
    for (const status of [401, 403, 429, 999]) {
      expect(judgeTab(URL_, frame({ status }), doc())).toMatchObject({ verdict: 'blocked', reason: 'challenge' });
    }
  });

  it('calls a 4xx/5xx document broken, with nothing left to wait for', () => {
    expect(judgeTab(URL_, frame({ status: 404 }), doc())).toMatchObject({
      verdict: 'broken',
      reason: 'status',
      wait: null,
    });
    expect(judgeTab(URL_, frame({ status: 500 }), doc())?.verdict).toBe('broken');
  });

  it('calls a fragment absent from the rendered document broken, but worth waiting for', () => {
    expect(judgeTab(`${URL_}#late`, frame(), doc({ fragment: 'missing' }))).toMatchObject({
      verdict: 'broken',
      reason: 'fragment-missing',
      wait: 'fragment',
    });
  });

  it('has nothing to judge before a document answered', () => {
    expect(judgeTab(URL_, frame({ status: null }), doc())).toBeNull();
  });
});

describe('applyOutcome: the row after the tab', () => {
  const previous: LinkResult = {
    url: URL_,
    verdict: 'blocked',
    reason: 'bot-challenge',
    status: 403,
    finalUrl: URL_,
    ms: 120,
    attempts: 1,
    redirects: [],
    checkedAt: 1,
  };

  it('takes the tab’s verdict, status and final URL, and says a browser verified it', () => {
    const result = applyOutcome(
      previous,
      {
        kind: 'settled',
        judgement: { verdict: 'redirected', reason: 'redirect', wait: null },
        sight: { status: 200, finalUrl: 'https://a.test/real', title: 'Real', ms: 900 },
        hops: [{ url: URL_, status: 302 }],
      },
      5,
    );
    expect(result).toMatchObject({
      verdict: 'redirected',
      reason: 'redirect',
      status: 200,
      finalUrl: 'https://a.test/real',
      verified: 'browser',
      ms: 1020,
      redirects: [{ url: URL_, status: 302 }],
      tab: { title: 'Real', ms: 900 },
    });
  });

  it('keeps the verdict of a tab that could not settle, unverified, with what it saw', () => {
    const result = applyOutcome(
      { ...previous, verified: 'browser' },
      { kind: 'unsettled', sight: { status: null, finalUrl: null, title: '', ms: 20_000, note: 'no document' } },
      5,
    );
    expect(result.verdict).toBe('blocked');
    expect(result.status).toBe(403);
    expect(result.verified).toBeUndefined();
    expect(result.tab?.note).toBe('no document');
  });
});
