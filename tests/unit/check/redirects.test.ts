import { describe, expect, it } from 'vitest';
import { isRedirectStatus, MAX_LOCATION_CHARS, MAX_REDIRECTS, nextHop } from '../../../utils/check/redirects';

const hops = (n: number) => Array.from({ length: n }, (_, i) => ({ url: `https://a.example/${i}`, status: 301 }));
const allowAll = () => true;

describe('nextHop', () => {
  it('follows an http(s) target without its fragment, and says which fragment the target named', () => {
    const to = (href: string) => nextHop({ status: 302, target: new URL(href) }, hops(1), allowAll);
    expect(to('https://b.example/x#part')).toEqual({ kind: 'follow', url: 'https://b.example/x', fragment: 'part' });
    // An empty fragment is one too: a browser lands at the top of the page, not at the link's fragment.
    expect(to('https://b.example/x#')).toEqual({ kind: 'follow', url: 'https://b.example/x', fragment: '' });
    expect(to('https://b.example/x')).toEqual({ kind: 'follow', url: 'https://b.example/x' });
  });

  it('stops past the limit of hops, at a missing target, another scheme or credentials', () => {
    const to = (href: string) => ({ status: 302, target: new URL(href) });
    expect(nextHop(to('https://b.example/'), hops(MAX_REDIRECTS + 1), allowAll)).toMatchObject({
      kind: 'stop',
      failure: { reason: 'too-many-redirects' },
    });
    expect(nextHop({ status: 302, target: null }, hops(1), allowAll)).toMatchObject({
      kind: 'stop',
      failure: { reason: 'network', detail: { code: 'redirect-no-target' } },
    });
    expect(nextHop(to('data:text/html,hi'), hops(1), allowAll)).toMatchObject({
      failure: { detail: { code: 'redirect-scheme', scheme: 'data:' } },
    });
    expect(nextHop(to('https://u:p@b.example/'), hops(1), allowAll)).toMatchObject({
      failure: { detail: { code: 'redirect-credentials' } },
    });
  });

  it('refuses what the guard refuses, naming the target', () => {
    const step = nextHop({ status: 301, target: new URL('http://10.0.0.1/admin') }, hops(1), () => false);
    expect(step).toEqual({ kind: 'refused', target: 'http://10.0.0.1/admin' });
  });
});

describe('isRedirectStatus', () => {
  it('is true for the statuses browsers follow, and no other 3xx', () => {
    expect([301, 302, 303, 307, 308].every(isRedirectStatus)).toBe(true);
    expect([300, 304, 305, 306, 200, 404].some(isRedirectStatus)).toBe(false);
  });
});

describe('a redirect target of any length', () => {
  it('is not followed past the cap, and never cut', () => {
    const allow = () => true;
    const long = new URL(`https://b.example/?${'x'.repeat(MAX_LOCATION_CHARS)}`);
    const step = nextHop({ status: 302, target: long }, [{ url: 'https://a.example/', status: 302 }], allow);
    expect(step).toMatchObject({ kind: 'stop', failure: { reason: 'network' } });
    const fits = new URL(`https://b.example/?${'x'.repeat(MAX_LOCATION_CHARS - 100)}`);
    expect(nextHop({ status: 302, target: fits }, [{ url: 'https://a.example/', status: 302 }], allow)).toEqual({
      kind: 'follow',
      url: fits.href,
    });
  });
});
