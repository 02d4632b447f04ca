import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, realTimeDeps } from '../../../utils/check/check-links';
import { createLimiter } from '../../../utils/check/limiter';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkResult } from '../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';

// The checker's side of the HTTP/2 limit, with Node's real fetch against the fixture server and the protocol facts
// injected (Node cannot say what a browser would). The HTTP/2 host itself is tested in the browsers
// (tests/e2e/http2.e2e.test.ts, http2-firefox.e2e.test.ts).

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

/** A protocol lookup that answers `h2` for everything, and records what it was asked. */
function claimsH2() {
  const asked: string[] = [];
  return {
    asked,
    protocolOf: async (url: string) => {
      asked.push(url);
      return 'h2';
    },
  };
}

async function run(urls: string[], protocolOf: (url: string) => Promise<string | null>) {
  const limiter = createLimiter({ global: 128, perHost: 6 });
  const results: LinkResult[] = [];
  await checkLinks({
    pageUrl: 'http://127.0.0.1/page.html',
    links: urls.map((url) => ({ url, occurrences: 1, texts: [] })),
    settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 2, perHostConcurrencyH2: 16, detectSoft404: false },
    deps: { ...realTimeDeps(fetch), protocolOf },
    limiter,
    signal: new AbortController().signal,
    onResult: (r) => results.push(r),
  });
  return { results, limiter };
}

describe('the checker learns hosts’ protocols only where they can matter', () => {
  it('never asks about a plain-http link, and keeps its host at the per-host limit (no HTTP/2 without TLS)', async () => {
    const lookup = claimsH2();
    const urls = Array.from({ length: 12 }, (_, i) => server.url(`/slow/80?i=${i}`));
    const { results, limiter } = await run(urls, lookup.protocolOf);
    expect(results.map((r) => r.verdict)).toEqual(urls.map(() => 'ok'));
    expect(lookup.asked).toEqual([]);
    expect(limiter.protocolOf('127.0.0.1')).toBeUndefined();
    expect(server.maxInFlightByHost()).toEqual({ '127.0.0.1': 2 });
  });

  it('learns nothing from an https link that got no answer (here the untrusted certificate)', async () => {
    const lookup = claimsH2();
    const url = server.tlsUrl('/ok');
    const { results, limiter } = await run([url], lookup.protocolOf);
    expect(results[0]).toMatchObject({ verdict: 'error', reason: 'tls' });
    expect(lookup.asked).toEqual([]);
    expect(limiter.protocolOf(new URL(url).host)).toBeUndefined();
  });
});
