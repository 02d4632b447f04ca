// The guard by address through the real checker and a real server: a fake DNS maps every name to the local server,
// and an observer reports, as the browser's webRequest would, the address each name "resolved" to.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, type ResultCache, type RunScope, realTimeDeps } from '../../../utils/check/check-links';
import type { TargetDeps } from '../../../utils/check/check-target';
import { createResultCache } from '../../../utils/check/result-cache';
import { englishDetail } from '../../../utils/notes/english';
import { isPrivateAddress } from '../../../utils/rules/private-addresses';
import { memoryArea } from '../../../utils/run/session-area';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { LinkResult } from '../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';
import { observerStub } from '../../support/observer-stub';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

/** The addresses names resolve to, as the browser would report them after the fact. */
const DNS: Record<string, string> = {
  'public.test': '93.184.216.34',
  // A public name whose DNS answer is the user's own machine (127.0.0.1.nip.io, localtest.me, a rebinding attack).
  'rebind.test': '127.0.0.1',
  'intranet.test': '10.1.2.3',
};

const hostName = (url: string) => new URL(url).hostname;
const toServer: typeof fetch = (input, init) => {
  const url = new URL(String(input));
  url.hostname = '127.0.0.1';
  return fetch(url, init);
};
const observer = observerStub({ address: (url) => DNS[hostName(url)] ?? null });

/** The browser a run goes through: the default reports addresses after the fact; see the Chromium one below. */
interface RunIn {
  settings?: Partial<Settings>;
  resolveHost?: (hostname: string) => Promise<string[]>;
  scope?: RunScope;
  cache?: ResultCache;
  browser?: Pick<TargetDeps, 'fetch' | 'observer' | 'addressSpaces'>;
}

async function run(
  urls: string[],
  pageAddress: string | null | (() => Promise<string | null>),
  { settings = {}, resolveHost, scope, cache, browser = { fetch: toServer, observer } }: RunIn = {},
): Promise<Map<string, LinkResult>> {
  const results = new Map<string, LinkResult>();
  await checkLinks({
    pageUrl: 'https://www.public.test/article.html',
    links: urls.map((url) => ({ url, occurrences: 1, texts: [] })),
    settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 1, detectSoft404: false, ...settings },
    deps: {
      ...realTimeDeps(browser.fetch),
      ...browser,
      pageAddress: typeof pageAddress === 'function' ? pageAddress : async () => pageAddress,
      resolveHost,
    },
    cache,
    useCache: cache !== undefined,
    signal: new AbortController().signal,
    scope,
    onResult: (r) => results.set(r.url, r),
  });
  return results;
}

describe('the guard by address, from a page served from a public address', () => {
  it('stops a public name that answers from a private address after one request, and sends nothing more there', async () => {
    const urls = ['/status/500?first', '/ok?second', '/ok?third#part'].map((p) => server.url(p, 'rebind.test'));
    const results = await run(urls, '93.184.216.50');
    for (const url of urls) {
      expect(results.get(url), url).toMatchObject({ verdict: 'skipped', reason: 'private-network', status: null });
    }
    // One request reached the server: no GET fallback for the 500, no retry, nothing for the other links.
    expect(server.requests).toHaveLength(1);
    const texts = urls.map((url) => englishDetail(results.get(url) ?? {}));
    expect(texts.filter((t) => t.includes('127.0.0.1') && t.includes('one request reached it'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('nothing is sent'))).toHaveLength(2);
  });

  it('keeps a host closed for the rest of the run: links a live page adds later send nothing there', async () => {
    const scope: RunScope = {};
    const first = server.url('/ok?first', 'rebind.test');
    expect((await run([first], '93.184.216.50', { scope })).get(first)?.reason).toBe('private-network');
    // The page's script adds links one at a time; each joins the run as a job of its own.
    for (const path of ['/ok?later', '/ok?later-still']) {
      const url = server.url(path, 'rebind.test');
      const result = (await run([url], '93.184.216.50', { scope })).get(url);
      expect(result).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
      expect(englishDetail(result ?? {})).toContain('nothing is sent');
    }
    expect(server.requests).toHaveLength(1);
  });

  it('stops a redirect chain at the hop whose host answers from a private address', async () => {
    const inside = server.url('/ok?secret', 'intranet.test');
    const start = server.url(`/redirect/1?to=${encodeURIComponent(inside)}`, 'public.test');
    const result = (await run([start], '93.184.216.50')).get(start);
    expect(result).toMatchObject({ verdict: 'skipped', reason: 'private-network', finalUrl: null });
    expect(englishDetail(result ?? {})).toContain('10.1.2.3');
    // The hop was sent (there is no knowing the address before), its answer not used, and nothing followed it.
    expect(server.requestsTo('/ok?secret')).toHaveLength(1);
  });

  it('checks public names that answer from public addresses as usual', async () => {
    const url = server.url('/ok', 'public.test');
    expect((await run([url], '93.184.216.50')).get(url)).toMatchObject({ verdict: 'ok', status: 200 });
  });

  it('counts a page whose own address is unknown as public', async () => {
    const url = server.url('/ok', 'rebind.test');
    expect((await run([url], null)).get(url)).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
  });
});

describe('the guard by address where the browser resolves names first (Firefox)', () => {
  it('sends nothing at all to a public name that resolves to a private address', async () => {
    const urls = ['/ok?first', '/status/500?second'].map((p) => server.url(p, 'rebind.test'));
    const fine = server.url('/ok?public', 'public.test');
    const results = await run([...urls, fine], '93.184.216.50', {
      resolveHost: async (name) => [DNS[name] ?? '203.0.114.1'],
    });
    for (const url of urls)
      expect(results.get(url), url).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
    expect(results.get(fine)).toMatchObject({ verdict: 'ok' });
    expect(server.requests.map((r) => r.path)).toEqual(['/ok?public']);
  });

  it('ends a link whose name lookup never answers as a timeout within the request timeout', {
    timeout: 10_000,
  }, async () => {
    const url = server.url('/ok?unanswered-name', 'public.test');
    const never = () => new Promise<string[]>(() => {});
    const results = await run([url], '93.184.216.50', {
      settings: { requestTimeoutSec: 1, retries: 0 },
      resolveHost: never,
    });
    expect(results.get(url)).toMatchObject({ verdict: 'error', reason: 'timeout', attempts: 1 });
    expect(server.requests).toHaveLength(0);
  });
});

describe('the guard by address, from a page served from a private address', () => {
  it('checks the network the page is on: the test pages on loopback are guarded by name only', async () => {
    const urls = [server.url('/ok', 'rebind.test'), server.url('/ok', 'intranet.test')];
    const results = await run(urls, '127.0.0.1');
    for (const url of urls) expect(results.get(url), url).toMatchObject({ verdict: 'ok' });
  });

  it('keeps an answer that went through the private network for pages on it: a public page asks again', async () => {
    const cache = createResultCache(memoryArea());
    const inside = server.url('/ok?kept', 'intranet.test');
    const start = server.url(`/redirect/1?to=${encodeURIComponent(inside)}`, 'public.test');
    expect((await run([start], '10.1.2.1', { cache })).get(start)).toMatchObject({ verdict: 'redirected' });
    const outside = (await run([start], '93.184.216.50', { cache })).get(start);
    expect(outside).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
    expect((await run([start], '10.1.2.1', { cache })).get(start)).toMatchObject({
      verdict: 'redirected',
      cached: true,
    });
  });

  it('is off with the guard', async () => {
    const url = server.url('/ok', 'rebind.test');
    const results = await run([url], '93.184.216.50', { settings: { privateNetworkGuard: false } });
    expect(results.get(url)).toMatchObject({ verdict: 'ok' });
  });
});

describe('the guard by address where the browser refuses a request outside the address space it names (Chromium)', () => {
  // Chromium 156 as verified in tests/e2e/platform.e2e.test.ts: a request naming `targetAddressSpace: 'public'` whose
  // name resolves to a loopback or private address fails with net::ERR_FAILED before anything of it is sent.
  const named: string[] = [];
  /** Called as a request is handed to the browser (a test's page address may wait for it). */
  let onFetch = () => {};
  const chromiumFetch: typeof fetch = (input, init) => {
    onFetch();
    const address = DNS[hostName(String(input))] ?? '203.0.114.1';
    const space = (init as { targetAddressSpace?: string } | undefined)?.targetAddressSpace;
    if (space) named.push(space);
    const refused = space === 'public' && isPrivateAddress(address);
    // down.test: a server that refuses connections (Chromium: net::ERR_CONNECTION_REFUSED).
    if (refused || hostName(String(input)) === 'down.test') return Promise.reject(new TypeError('Failed to fetch'));
    return toServer(input, init);
  };
  const chromium = observerStub({
    address: (url) => DNS[hostName(url)] ?? null,
    netError: (url) => (hostName(url) === 'down.test' ? 'net::ERR_CONNECTION_REFUSED' : 'net::ERR_FAILED'),
  });
  beforeEach(() => {
    named.length = 0;
    onFetch = () => {};
  });

  const runInChromium = (
    urls: string[],
    pageAddress: string | null | (() => Promise<string | null>),
    cache?: ResultCache,
  ) => run(urls, pageAddress, { cache, browser: { fetch: chromiumFetch, observer: chromium, addressSpaces: true } });

  it('sends nothing at all to a public name that resolves to a private address, not even a first request', async () => {
    const urls = ['/status/500?first', '/ok?second'].map((p) => server.url(p, 'rebind.test'));
    const inside = server.url('/ok?router', 'intranet.test');
    const fine = server.url('/ok?public', 'public.test');
    const results = await runInChromium([...urls, inside, fine], '93.184.216.50');
    for (const url of [...urls, inside]) {
      expect(results.get(url), url).toMatchObject({ verdict: 'skipped', reason: 'private-network', status: null });
      expect(englishDetail(results.get(url) ?? {})).toContain('nothing is sent');
    }
    expect(results.get(fine)).toMatchObject({ verdict: 'ok', status: 200 });
    expect(server.requests.map((r) => r.path)).toEqual(['/ok?public']);
  });

  const inPrivateNetwork = () =>
    ['/ok?a', '/ok?b', '/ok?c'].flatMap((p) => [server.url(p, 'rebind.test'), server.url(p, 'intranet.test')]);

  it('checks the network a private page is on, naming no space once its address is known', async () => {
    const urls = inPrivateNetwork();
    const results = await runInChromium(urls, '127.0.0.1');
    for (const url of urls) expect(results.get(url), url).toMatchObject({ verdict: 'ok', status: 200, attempts: 1 });
    expect(server.requests).toHaveLength(6);
    // The page's address is asked for as the run starts (recorded from its tab's load): no request names a space.
    expect(named).toEqual([]);
  });

  it('sends a refused request again when the page turns out to be on a private network itself', async () => {
    // The page's address comes only once a request is under way: that first request names `public` and is refused.
    const pageAddress = new Promise<string>((resolve) => {
      onFetch = () => resolve('127.0.0.1');
    });
    const urls = inPrivateNetwork();
    const results = await runInChromium(urls, () => pageAddress);
    for (const url of urls) expect(results.get(url), url).toMatchObject({ verdict: 'ok', status: 200, attempts: 1 });
    // Each link reached the server once; only what was under way before the answer named a space (a host at a time).
    expect(server.requests).toHaveLength(6);
    expect(named.length).toBeGreaterThanOrEqual(1);
    expect(named.length).toBeLessThanOrEqual(2);
  });

  it('keeps no refusal by address in the result cache: a page on that network checks the link a moment later', async () => {
    const cache = createResultCache(memoryArea());
    const url = server.url('/ok?cached', 'intranet.test');
    expect((await runInChromium([url], '93.184.216.50', cache)).get(url)).toMatchObject({ reason: 'private-network' });
    // The intranet's own page (a public-looking name, served from the intranet): the same cache, the same context.
    expect((await runInChromium([url], '10.1.2.1', cache)).get(url)).toMatchObject({ verdict: 'ok', status: 200 });
    expect(server.requests).toHaveLength(1);
  });

  it("keeps a private network's answer for that network's pages: a public page is not shown it", async () => {
    const cache = createResultCache(memoryArea());
    const url = server.url('/ok?inside', 'intranet.test');
    const fine = server.url('/ok?outside', 'public.test');
    // The intranet's own page (a public-looking name, served from the intranet) checks its network.
    const first = await runInChromium([url, fine], '10.1.2.1', cache);
    expect(first.get(url)).toMatchObject({ verdict: 'ok', status: 200 });
    expect(server.requests).toHaveLength(2);
    // A public page's run a moment later: the intranet's answer is not its own; nothing is sent there either.
    const outside = await runInChromium([url, fine], '93.184.216.50', cache);
    expect(outside.get(url)).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
    expect(outside.get(url)?.cached).toBeUndefined();
    // What answered from a public address is every page's.
    expect(outside.get(fine)).toMatchObject({ verdict: 'ok', cached: true });
    // The intranet's page again: its network's answer is kept for it.
    expect((await runInChromium([url], '10.1.2.1', cache)).get(url)).toMatchObject({ verdict: 'ok', cached: true });
    expect(server.requests).toHaveLength(2);
  });

  it("does not wait on a page lookup that never answers to tell whether a private network's answer is its own", async () => {
    const cache = createResultCache(memoryArea());
    const url = server.url('/ok?waiting', 'intranet.test');
    // The same settings in both runs (the timeout is part of what a kept answer is reused under).
    const chromiumWithin1s = {
      cache,
      settings: { requestTimeoutSec: 1 },
      browser: { fetch: chromiumFetch, observer: chromium, addressSpaces: true },
    };
    expect((await run([url], '10.1.2.1', chromiumWithin1s)).get(url)).toMatchObject({ verdict: 'ok' });
    // The page's address never comes: within the request timeout the link is judged as if nothing were kept.
    const results = await run([url], () => new Promise<string | null>(() => {}), chromiumWithin1s);
    expect(results.get(url)?.cached).toBeUndefined();
    expect(results.get(url)?.verdict).not.toBe('ok');
  });

  it('leaves another failure of a request naming a space to be reported as it is', async () => {
    const url = server.url('/ok', 'down.test');
    const result = (await runInChromium([url], '93.184.216.50')).get(url);
    expect(result).toMatchObject({ verdict: 'error', reason: 'connection' });
  });
});
