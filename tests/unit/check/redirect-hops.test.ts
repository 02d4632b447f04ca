import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, realTimeDeps } from '../../../utils/check/check-links';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { LinkResult } from '../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';

// Two hosts on one server: `127.0.0.1` (host A, whose links redirect) and `localhost` (host B, where they land). The
// server counts what is in flight per host name, so B's count includes every hop that reached it.
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

const onB = (path: string) => server.url(path, 'localhost');
const toB = (path: string) => server.url(`/redirect-to?url=${encodeURIComponent(onB(path))}`);

async function check(urls: string[], settings: Partial<Settings>): Promise<Map<string, LinkResult>> {
  const results = new Map<string, LinkResult>();
  await checkLinks({
    pageUrl: 'http://127.0.0.1/page.html',
    links: urls.map((url) => ({ url, occurrences: 1, texts: [] })),
    settings: { ...DEFAULT_SETTINGS, ...settings },
    deps: realTimeDeps(fetch),
    signal: new AbortController().signal,
    onResult: (r) => results.set(r.url, r),
  });
  return results;
}

describe('redirect hops, each in a slot of its own host', () => {
  it('never puts more than the per-host limit on the host that links redirect to, with its own links', async () => {
    // Twelve links to A that redirect to B, and twelve of B's own links, all slow enough at B to pile up there.
    const urls: string[] = [];
    for (let i = 0; i < 12; i++) urls.push(toB(`/slow/80?via-a=${i}`), onB(`/slow/80?own=${i}`));
    const results = await check(urls, { perHostConcurrency: 2 });
    expect(server.maxInFlightByHost().localhost).toBe(2);
    expect(server.requestsTo('/slow/80').filter((r) => r.host === 'localhost')).toHaveLength(24);
    for (let i = 0; i < 12; i++) {
      expect(results.get(toB(`/slow/80?via-a=${i}`))).toMatchObject({
        verdict: 'redirected',
        status: 200,
        finalUrl: onB(`/slow/80?via-a=${i}`),
        redirects: [{ url: toB(`/slow/80?via-a=${i}`), status: 302 }],
      });
    }
  });

  it("holds hops to a host while its 429's Retry-After pause lasts", async () => {
    // B answers its first request 429 with Retry-After: 1; A's links all land on B meanwhile.
    const limited = onB('/rate-limit/hops-pause?after=1&retryAfter=1');
    const viaA = Array.from({ length: 8 }, (_, i) => toB(`/slow/20?paused=${i}`));
    const results = await check([limited, ...viaA], { perHostConcurrency: 1 });
    const refused = server.requests.find((r) => r.status === 429);
    const answered = refused?.answeredAt;
    if (answered === undefined) throw new Error('the 429 was never answered');
    const atB = server.requests.filter((r) => r.host === 'localhost' && r !== refused);
    expect(atB.filter((r) => r.at >= answered && r.at < answered + 1000).map((r) => r.path)).toEqual([]);
    // The pause held the hops, it did not lose them: every link landed on B after it.
    for (const url of viaA) expect(results.get(url)).toMatchObject({ verdict: 'redirected', status: 200 });
    expect(results.get(limited)).toMatchObject({ verdict: 'ok', attempts: 2 });
  });

  it("gives a timeout to a link whose next hop waits for its host's pause past the link's deadline", async () => {
    // Virtual time for the waits (the pause): they pass at once, and the clock jumps. Requests and answers are real.
    let skew = 0;
    const deps = {
      ...realTimeDeps(fetch),
      now: () => Date.now() + skew,
      sleep: async (ms: number) => {
        skew += ms;
        await new Promise((r) => setTimeout(r, 0));
      },
    };
    const limited = onB('/rate-limit/hop-deadline?after=1&retryAfter=30');
    const late = toB('/slow/1?late');
    const results = new Map<string, LinkResult>();
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: [limited, late].map((url) => ({ url, occurrences: 1, texts: [] })),
      settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 1, detectSoft404: false },
      deps,
      signal: new AbortController().signal,
      onResult: (r) => results.set(r.url, r),
    });
    // B paused for 30 s, past the redirected link's 25 s: its hop to B was never sent, and it says where it got to.
    expect(results.get(late)).toMatchObject({
      verdict: 'error',
      reason: 'timeout',
      attempts: 1,
      redirects: [{ url: late, status: 302 }],
    });
    expect(server.requestsTo('/slow/1?late')).toEqual([]);
    expect(results.get(limited)).toMatchObject({ verdict: 'blocked', status: 429 });
  });

  it('ends chains that cross between two hosts both ways, one slot each, without a deadlock', async () => {
    const toA = (path: string) => onB(`/redirect-to?url=${encodeURIComponent(server.url(path))}`);
    const urls: string[] = [];
    for (let i = 0; i < 6; i++) urls.push(toB(`/slow/30?cross=${i}`), toA(`/slow/30?cross=${i}`));
    const results = await check(urls, { perHostConcurrency: 1 });
    expect(urls.map((url) => results.get(url)?.verdict)).toEqual(urls.map(() => 'redirected'));
    expect(server.maxInFlightByHost()).toEqual({ '127.0.0.1': 1, localhost: 1 });
  });
});
