import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, realTimeDeps } from '../../../utils/check/check-links';
import { createLimiter } from '../../../utils/check/limiter';
import { englishDetail, englishNotes } from '../../../utils/notes/english';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { FoundLink, LinkResult } from '../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';
import { observerStub } from '../../support/observer-stub';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

const link = (url: string, extra: Partial<FoundLink> = {}): FoundLink => ({ url, occurrences: 1, texts: [], ...extra });

/** Runs the real checker with Node's real fetch against the fixture server (the page itself is local). */
async function check(
  urls: (string | FoundLink)[],
  settings: Partial<Settings> = {},
  pageUrl = 'http://127.0.0.1/page.html',
  signal = new AbortController().signal,
): Promise<Map<string, LinkResult>> {
  const results = new Map<string, LinkResult>();
  await checkLinks({
    pageUrl,
    links: urls.map((u) => (typeof u === 'string' ? link(u) : u)),
    settings: { ...DEFAULT_SETTINGS, ...settings },
    deps: realTimeDeps(fetch),
    signal,
    onResult: (r) => results.set(r.url, r),
  });
  return results;
}

async function checkOne(path: string, settings: Partial<Settings> = {}): Promise<LinkResult> {
  const url = server.url(path);
  const result = (await check([url], settings)).get(url);
  if (!result) throw new Error(`no result for ${url}`);
  return result;
}

describe('checkLinks against a real server', () => {
  it('never has more requests in flight to one host than the per-host limit', async () => {
    const other = await startFixtureServer();
    try {
      const urls: string[] = [];
      for (let i = 0; i < 12; i++) {
        for (const base of [server, other]) {
          urls.push(base.url(`/slow/80?i=${i}`), base.url(`/slow/80?i=${i}`, 'localhost'));
        }
      }
      await check(urls, { perHostConcurrency: 2 });
      for (const s of [server, other]) {
        // Two names of one server are two hosts, each with its own pool — and each pool is used to the full.
        expect(s.maxInFlightByHost()).toEqual({ '127.0.0.1': 2, localhost: 2 });
      }
    } finally {
      await other.close();
    }
  });

  it('never has more requests in flight in all than the global limit', async () => {
    const urls: string[] = [];
    for (let i = 0; i < 10; i++) urls.push(server.url(`/slow/80?i=${i}`), server.url(`/slow/80?i=${i}`, 'localhost'));
    await check(urls, { perHostConcurrency: 6, globalConcurrency: 3 });
    expect(server.maxInFlight()).toBe(3);
    for (const max of Object.values(server.maxInFlightByHost())) expect(max).toBeLessThanOrEqual(3);
  });

  it('calls a 200 ok and a 404 broken, with status and final URL', async () => {
    expect(await checkOne('/ok')).toMatchObject({
      verdict: 'ok',
      reason: '',
      status: 200,
      finalUrl: server.url('/ok'),
    });
    expect(await checkOne('/status/404')).toMatchObject({ verdict: 'broken', reason: 'status', status: 404 });
  });

  it('asks with GET, as a browser does: a server that mishandles HEAD is judged by its real answer', async () => {
    const result = await checkOne('/head-405');
    expect(result).toMatchObject({ verdict: 'ok', status: 200, attempts: 1 });
    expect(server.requestsTo('/head-405').map((r) => r.method)).toEqual(['GET']);
    expect(await checkOne('/head-404')).toMatchObject({ verdict: 'ok', status: 200 });
    expect(await checkOne('/head-reset')).toMatchObject({ verdict: 'ok', status: 200 });
  });

  it('never takes a HEAD 200 for the truth: a server whose GET is 404 or 500 is broken', async () => {
    expect(await checkOne('/head-ok-get-404')).toMatchObject({ verdict: 'broken', reason: 'status', status: 404 });
    expect(await checkOne('/head-ok-get-500', { retries: 0 })).toMatchObject({ verdict: 'broken', status: 500 });
    expect(server.requestsTo('/head-ok').map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('gives a server that never answers a timeout error, all attempts within the deadline', async () => {
    const result = await checkOne('/hang', { requestTimeoutSec: 1, retries: 0 });
    expect(result).toMatchObject({ verdict: 'error', reason: 'timeout', status: null, finalUrl: null });
    expect(result.ms).toBeGreaterThanOrEqual(1000);
  });

  it('judges a server that streams forever from its headers, without downloading the body', async () => {
    const result = await checkOne('/stream-forever');
    expect(result).toMatchObject({ verdict: 'ok', status: 200 });
    await new Promise((r) => setTimeout(r, 200));
    expect(server.bytesStreamed()).toBeLessThan(4 * 1024 * 1024);
    expect(server.inFlightNow()).toBe(0);
  });

  it('retries transient 5xx with backoff and reports the attempts', async () => {
    const result = await checkOne('/flaky/five?fail=2', { retries: 2 });
    expect(result).toMatchObject({ verdict: 'ok', status: 200, attempts: 3 });
  });

  it('ends a server that keeps failing as broken after its retries', async () => {
    const result = await checkOne('/flaky/always?fail=99', { retries: 1 });
    expect(result).toMatchObject({ verdict: 'broken', status: 503, attempts: 2 });
  });

  it('keeps the server’s last answer when the browser refuses the retry without sending it', async () => {
    // Chromium backs off from a URL that keeps answering 5xx: it fails the next fetch at once, and webRequest sees
    // nothing. Here the real fetch sends the first two requests; the third is refused the way the browser does.
    let calls = 0;
    let sent = false;
    const browserLike: typeof fetch = (input, init) => {
      calls += 1;
      sent = calls <= 2;
      return sent ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch'));
    };
    const observer = observerStub({ seen: () => sent });
    const url = server.url('/flaky/refused?fail=99');
    const results = new Map<string, LinkResult>();
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: [link(url)],
      // Every fetch call is counted here: no soft-404 probe among them.
      settings: { ...DEFAULT_SETTINGS, retries: 2, detectSoft404: false },
      deps: { ...realTimeDeps(browserLike), observer },
      signal: new AbortController().signal,
      onResult: (r) => results.set(r.url, r),
    });
    expect(calls).toBe(3);
    expect(server.requestsTo('/flaky/refused').map((r) => r.method)).toEqual(['GET', 'GET']);
    expect(results.get(url)).toMatchObject({ verdict: 'broken', status: 503, attempts: 2 });
  });

  it('honours Retry-After on a 429 for the whole host, then succeeds', async () => {
    const limited = server.url('/rate-limit/host-wide?after=1&retryAfter=1');
    // The checker's own waits, each with when it began and ended (the same clock as the server's log): events in
    // order, no bound on how long anything took, so a loaded machine cannot fail it.
    const real = realTimeDeps(fetch);
    const waits: { startedAt: number; endedAt: number }[] = [];
    const deps = {
      ...real,
      async sleep(ms: number, signal: AbortSignal) {
        const startedAt = Date.now();
        await real.sleep(ms, signal);
        waits.push({ startedAt, endedAt: Date.now() });
      },
    };
    const results = new Map<string, LinkResult>();
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: [link(limited), link(server.url('/slow/1'))],
      settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 1 },
      deps,
      signal: new AbortController().signal,
      onResult: (r) => results.set(r.url, r),
    });
    expect(results.get(limited)).toMatchObject({ verdict: 'ok', attempts: 2 });
    // The other link on that host waited for the pause too: after the 429, nothing reached the server before the
    // wait that followed it had ended.
    const [refused, ...later] = server.requests.filter((r) => /^\/(rate-limit|slow)\//.test(r.path));
    expect(refused?.path).toContain('/rate-limit/');
    const pause = waits.find((w) => w.startedAt >= (refused?.at ?? 0));
    expect(pause).toBeDefined();
    expect(later.map((r) => r.at >= (pause?.endedAt ?? Number.POSITIVE_INFINITY))).toEqual(later.map(() => true));
  });

  it('sends nothing to a host from the moment its 429 with Retry-After is answered until the pause ends', async () => {
    // Links queued behind the 429 on its host (one at a time there, so none is in flight when it is answered), and the
    // same links on another name of the server, which the pause must not hold.
    const urls = [server.url('/rate-limit/pause-all?after=1&retryAfter=1')];
    for (let i = 0; i < 6; i++) urls.push(server.url(`/slow/20?i=${i}`), server.url(`/slow/20?i=${i}`, 'localhost'));
    // Soft-404 detection on: each host's probe keeps to the pause as the links do, and a run's probes end with it (a
    // probe an earlier run left queued once reached the server inside this pause).
    await check(urls, { perHostConcurrency: 1 });
    const at429 = server.requests.findIndex((r) => r.status === 429);
    const answered = server.requests[at429]?.answeredAt;
    if (answered === undefined) throw new Error('the 429 was never answered');
    const sameHost = server.requests.filter((r) => r.host === '127.0.0.1');
    // Came after the 429 did (the log is in order of arrival: a clock in milliseconds cannot order a probe answered in
    // the 429's own millisecond, just before it was asked), and before its pause ended.
    const cameAfter = server.requests.slice(at429 + 1);
    const during = cameAfter.filter((r) => r.host === '127.0.0.1' && r.at < answered + 1000);
    // On failure, every request with when it came (ms after the 429 was answered), to tell a leftover from a race.
    const log = server.requests.map((r) => `${r.at - answered} ms ${r.method} ${r.host}${r.path} ${r.status}`);
    expect(
      during.map((r) => r.path),
      log.join('\n'),
    ).toEqual([]);
    // The pause did not stop the checks: the host's links were asked after it, and the other host was not held.
    expect(sameHost.filter((r) => r.at >= answered + 1000).length, log.join('\n')).toBe(7);
    const otherHostMeanwhile = server.requests.filter((r) => r.host === 'localhost' && r.at < answered + 1000);
    expect(otherHostMeanwhile.length, log.join('\n')).toBeGreaterThan(0);
  });

  it('calls a host that keeps answering 429 blocked, not broken', async () => {
    expect(await checkOne('/rate-limit-always', { retries: 1, retryAfterCapSec: 1 })).toMatchObject({
      verdict: 'blocked',
      reason: 'rate-limited',
      status: 429,
    });
    // The retry waited for what the 429 asked.
    expect(server.requestsTo('/rate-limit-always').map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('calls auth walls and bot challenges blocked', async () => {
    expect(await checkOne('/auth')).toMatchObject({ verdict: 'blocked', reason: 'auth', status: 401 });
    expect(await checkOne('/forbidden')).toMatchObject({ verdict: 'blocked', reason: 'auth', status: 403 });
    expect(await checkOne('/bot-challenge')).toMatchObject({ verdict: 'blocked', reason: 'bot-challenge' });
    expect(await checkOne('/status/999')).toMatchObject({ verdict: 'blocked', reason: 'bot-challenge' });
    expect(await checkOne('/cookie-required')).toMatchObject({ verdict: 'blocked', reason: 'auth' });
  });

  it('follows redirects to their end and judges the final answer', async () => {
    expect(await checkOne('/redirect/3')).toMatchObject({
      verdict: 'redirected',
      reason: 'redirect',
      status: 200,
      finalUrl: server.url('/ok'),
    });
    expect(await checkOne('/redirect/2?to=/status/404')).toMatchObject({ verdict: 'broken', status: 404 });
    expect(await checkOne('/redirect-loop/a')).toMatchObject({ verdict: 'error', reason: 'too-many-redirects' });
  });

  describe('from a public page, where redirects are followed one hop at a time', () => {
    // A public name for the local server: requests to public.test go to 127.0.0.1, as a resolver would send them; so do
    // the private names `router` and `nas.home.arpa`, as the user's own resolver would.
    const publicFetch: typeof fetch = (input, init) =>
      fetch(String(input).replace(/\/\/(public\.test|router|nas\.home\.arpa):/, '//127.0.0.1:'), init);
    const onPublicPage = async (path: string): Promise<LinkResult | undefined> => {
      const url = server.url(path, 'public.test');
      const results = new Map<string, LinkResult>();
      await checkLinks({
        pageUrl: 'https://public.example/page.html',
        links: [link(url)],
        settings: DEFAULT_SETTINGS,
        deps: realTimeDeps(publicFetch),
        signal: new AbortController().signal,
        onResult: (r) => results.set(r.url, r),
      });
      return results.get(url);
    };

    it('never sends a request into a private network that a redirect points to', async () => {
      const target = server.url('/ok?secret=1', '127.0.0.1');
      const result = await onPublicPage(`/redirect-to?url=${encodeURIComponent(target)}`);
      expect(result).toMatchObject({ verdict: 'skipped', reason: 'private-network', finalUrl: null });
      expect(result?.redirects).toEqual([{ url: expect.stringContaining('/redirect-to?'), status: 302 }]);
      expect(result?.detail).toEqual({ code: 'redirect-private', target });
      expect(englishDetail(result ?? {})).toBe(
        `Redirects to ${target}, an address in a private network, which is not requested from a public page.`,
      );
      expect(server.requestsTo('/ok?secret')).toEqual([]);
      expect(server.requestsTo('/redirect-to').map((r) => r.method)).toEqual(['GET']);
    });

    it('keeps an error text to its cap, however long the address it names', async () => {
      const target = server.url(`/ok?secret=${'s'.repeat(10_000)}`, '127.0.0.1');
      const result = await onPublicPage(`/redirect-to?url=${encodeURIComponent(target)}`);
      expect(result).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
      // The address is kept to the cap in the stored value, so the sentence around it is too.
      const detail = result?.detail?.code === 'redirect-private' ? result.detail.target : '';
      expect(detail.length).toBe(2_000);
      expect(detail.endsWith('…')).toBe(true);
      expect(englishDetail(result ?? {}).length).toBeLessThan(2_100);
    });

    it('never sends a request to a private name that a redirect hop points to', async () => {
      for (const host of ['router', 'nas.home.arpa']) {
        const target = server.url('/ok?secret=name', host);
        const result = await onPublicPage(`/redirect/1?to=${encodeURIComponent(target)}`);
        expect(result, host).toMatchObject({ verdict: 'skipped', reason: 'private-network', finalUrl: null });
      }
      expect(server.requestsTo('/ok?secret')).toEqual([]);
    });

    it('follows public redirects to their end, each hop with its status', async () => {
      expect(await onPublicPage('/redirect/3')).toMatchObject({
        verdict: 'redirected',
        status: 200,
        finalUrl: server.url('/ok', 'public.test'),
        redirects: [
          { url: server.url('/redirect/3', 'public.test'), status: 302 },
          { url: server.url('/redirect/2', 'public.test'), status: 302 },
          { url: server.url('/redirect/1', 'public.test'), status: 302 },
        ],
      });
      expect(await onPublicPage('/redirect-loop/a')).toMatchObject({ verdict: 'error', reason: 'too-many-redirects' });
      expect(await onPublicPage('/redirect/25')).toMatchObject({ verdict: 'error', reason: 'too-many-redirects' });
      expect(await onPublicPage('/redirect/2?to=/status/404')).toMatchObject({ verdict: 'broken', status: 404 });
    });

    it('stops at a 3xx that is not a redirect, following no Location', async () => {
      expect(await onPublicPage('/not-a-redirect/304')).toMatchObject({
        verdict: 'broken',
        status: 304,
        redirects: [],
      });
      expect(await onPublicPage('/status/307')).toMatchObject({ verdict: 'broken', status: 307, redirects: [] });
      expect(server.requestsTo('/ok?followed')).toEqual([]);
    });

    it('drops a fragment from where a redirect points, and does not follow what a browser would not', async () => {
      expect(await onPublicPage(`/redirect-to?url=${encodeURIComponent('/ok#section')}`)).toMatchObject({
        verdict: 'redirected',
        finalUrl: server.url('/ok', 'public.test'),
      });
      const data = await onPublicPage(`/redirect-to?url=${encodeURIComponent('data:text/html,hello')}`);
      expect(data).toMatchObject({ verdict: 'error', reason: 'network' });
      expect(englishDetail(data ?? {})).toBe('A redirect to a data: address, which is not followed');
      const withPassword = server.url('/ok?secret', 'public.test').replace('//', '//user:pw@');
      const credentials = await onPublicPage(`/redirect-to?url=${encodeURIComponent(withPassword)}`);
      expect(credentials).toMatchObject({ verdict: 'error' });
      expect(englishDetail(credentials ?? {})).toBe(
        'A redirect to an address with a name and password, which is not followed',
      );
      expect(server.requestsTo('/ok?secret')).toEqual([]);
      // Asked once each: the same redirect would come back on a second try (retries are on by default).
      expect(DEFAULT_SETTINGS.retries).toBeGreaterThan(0);
      expect(server.requestsTo(`/redirect-to?url=${encodeURIComponent('data:text/html,hello')}`)).toHaveLength(1);
      expect(server.requestsTo(`/redirect-to?url=${encodeURIComponent(withPassword)}`)).toHaveLength(1);
    });
  });

  it('takes a 3xx that is not a redirect as the final answer, and never follows its Location', async () => {
    // A 304 or 300 with a Location, and redirect statuses without one: a person's browser stops there too.
    for (const path of ['/not-a-redirect/304', '/not-a-redirect/300', '/status/301', '/status/302', '/status/308']) {
      expect(await checkOne(path)).toMatchObject({
        verdict: 'broken',
        reason: 'status',
        status: Number(path.slice(-3)),
        finalUrl: server.url(path),
        redirects: [],
      });
    }
    expect(server.requestsTo('/ok?followed')).toEqual([]);
  });

  it('checks an address with a name and password without sending them, keeping the address as written', async () => {
    const written = server.url('/auth').replace('//', '//someone:secret@');
    const result = (await check([written])).get(written);
    expect(result).toMatchObject({ url: written, verdict: 'blocked', reason: 'auth', status: 401 });
    expect(englishNotes(result ?? {})).toMatch(/name and password.*not sent/);
    const [request] = server.requestsTo('/auth');
    expect(request?.headers.authorization).toBeUndefined();
    expect(await checkOne('/ok')).not.toHaveProperty('notes');
  });

  it('checks an 8 kB and a 12 kB address whole, and gives each the server’s answer', async () => {
    const long = (path: string, size: number) => server.url(`${path}${'y'.repeat(size)}`);
    const urls = [long('/url-limit-8k/', 8 * 1024), long('/url-limit-8k/', 4 * 1024), long('/any-length/', 12 * 1024)];
    const results = await check(urls);
    expect(results.get(urls[0] as string)).toMatchObject({ verdict: 'broken', status: 414, url: urls[0] });
    expect(results.get(urls[1] as string)).toMatchObject({ verdict: 'ok', status: 200 });
    expect(results.get(urls[2] as string)).toMatchObject({ verdict: 'ok', status: 200, finalUrl: urls[2] });
    // The server saw every character.
    expect(server.requestsTo('/any-length/')[0]?.path.length).toBe(12 * 1024 + '/any-length/'.length);
  });

  it('calls a reset connection an error of kind connection', async () => {
    expect(await checkOne('/reset', { retries: 1 })).toMatchObject({
      verdict: 'error',
      reason: 'connection',
      status: null,
    });
  });

  it('checks fragments in the target document, fetching it once for all its fragments', async () => {
    const urls = ['#intro', '#section-2', '#legacy', '#nope', '#commented'].map((f) => server.url(`/doc-with-ids${f}`));
    const results = await check(urls);
    expect(urls.map((u) => results.get(u)?.verdict)).toEqual(['ok', 'ok', 'ok', 'broken', 'broken']);
    expect(results.get(urls[3] as string)?.reason).toBe('fragment-missing');
    expect(server.requestsTo('/doc-with-ids')).toHaveLength(1);
    expect(server.requestsTo('/doc-with-ids')[0]?.method).toBe('GET');
  });

  it('does not judge fragments in documents that are not HTML, nor beyond the size cap', async () => {
    expect(await checkOne('/not-html-with-id#missing')).toMatchObject({ verdict: 'ok' });
    expect(await checkOne('/huge-html#late')).toMatchObject({ verdict: 'ok' });
  });

  it('judges fragments into the page itself with no request at all', async () => {
    const results = await check([
      link(server.url('/page#here'), { samePageFragment: 'found' }),
      link(server.url('/page#gone'), { samePageFragment: 'missing' }),
    ]);
    expect(results.get(server.url('/page#here'))).toMatchObject({ verdict: 'ok', status: null });
    expect(results.get(server.url('/page#gone'))).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    expect(server.requests).toHaveLength(0);
  });

  it('sends nothing to loopback from a public page, and nothing for other schemes', async () => {
    const urls = [server.url('/ok'), 'mailto:a@b.c', 'javascript:alert(1)'];
    const results = await check(urls, {}, 'https://public.example/');
    expect(urls.map((u) => [results.get(u)?.verdict, results.get(u)?.reason])).toEqual([
      ['skipped', 'private-network'],
      ['skipped', 'scheme'],
      ['skipped', 'scheme'],
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it('sends nothing and says why when an exclusion does not compile, rather than ignoring it', async () => {
    const results = await check([server.url('/ok'), server.url('/logout')], { excludePatterns: ['/(unclosed/'] });
    for (const url of [server.url('/ok'), server.url('/logout')]) {
      expect(results.get(url)).toMatchObject({ verdict: 'skipped', reason: 'excluded' });
      expect(englishDetail(results.get(url) ?? {})).toMatch(
        /^Not checked\. Exclusion 1 \(\/\(unclosed\/\) does not compile: /,
      );
    }
    expect(server.requests).toHaveLength(0);
  });

  it('checks loopback from a public page when the guard is turned off', async () => {
    const results = await check([server.url('/ok')], { privateNetworkGuard: false }, 'https://public.example/');
    expect(results.get(server.url('/ok'))?.verdict).toBe('ok');
  });

  it('stops every request at once when the run is cancelled', async () => {
    const controller = new AbortController();
    const urls = Array.from({ length: 20 }, (_, i) => server.url(`/hang?i=${i}`));
    // No soft-404 probe: every request counted here is a link's.
    const done = check(urls, { detectSoft404: false }, undefined, controller.signal);
    await new Promise((r) => setTimeout(r, 300));
    expect(server.inFlightNow()).toBeGreaterThan(0);
    controller.abort();
    const results = await done;
    expect(results.size).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(server.inFlightNow()).toBe(0);
    // Queued checks were dropped, not sent after the cancel.
    expect(server.requests.length).toBeLessThanOrEqual(DEFAULT_SETTINGS.perHostConcurrency);
  });

  it("starts a link's clock at its first request: waiting out another link's Retry-After does not time it out", async () => {
    // Virtual time for the waits (the host's pause, back-off): they pass at once. Requests and answers are real.
    let skew = 0;
    const deps = {
      ...realTimeDeps(fetch),
      now: () => Date.now() + skew,
      sleep: async (ms: number) => {
        skew += ms;
        await new Promise((r) => setTimeout(r, 0));
      },
    };
    const limited = server.url('/rate-limit/clock?after=1&retryAfter=30');
    const others = Array.from({ length: 4 }, (_, i) => server.url(`/slow/100?clock=${i}`));
    const results = new Map<string, LinkResult>();
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: [limited, ...others].map((u) => link(u)),
      settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 1 },
      deps,
      signal: new AbortController().signal,
      onResult: (r) => results.set(r.url, r),
    });
    // The host was paused for longer than a link's 25 s deadline while the other links waited their turn; they were
    // asked once it ended, each with its whole deadline before it. (The rate-limited link itself would have to wait
    // past its own deadline, so its answer stands.)
    expect(skew).toBeGreaterThan(25_000);
    expect(results.get(limited)).toMatchObject({ verdict: 'blocked', reason: 'rate-limited', status: 429 });
    for (const url of others) expect(results.get(url)).toMatchObject({ verdict: 'ok', attempts: 1 });
  });

  it('gives a verdict to a link the browser kept refusing until its deadline passed in the queue', async () => {
    // Virtual time for the waits, as above. The browser's back-off refuses every request to one URL without sending
    // it; another link on the host pauses it for 30 s, past the refused link's deadline.
    let skew = 0;
    const refused = server.url('/ok?refused-by-browser');
    const browserLike: typeof fetch = (input, init) =>
      String(input) === refused ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init);
    const observer = observerStub({ seen: (url) => url !== refused });
    const deps = {
      ...realTimeDeps(browserLike),
      observer,
      now: () => Date.now() + skew,
      sleep: async (ms: number) => {
        skew += ms;
        await new Promise((r) => setTimeout(r, 0));
      },
    };
    const limited = server.url('/rate-limit/refused?after=9&retryAfter=30');
    const results = new Map<string, LinkResult>();
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: [link(refused), link(limited)],
      settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 1, retries: 5 },
      deps,
      signal: new AbortController().signal,
      onResult: (r) => results.set(r.url, r),
    });
    expect(skew).toBeGreaterThan(25_000);
    expect(results.get(limited)).toMatchObject({ verdict: 'blocked', status: 429 });
    expect(results.get(refused)).toMatchObject({ verdict: 'error', attempts: 0 });
  });

  it('keeps the per-host limit across runs that share a limiter, as two tabs on one host do', async () => {
    const limiter = createLimiter({ global: 64, perHost: 2 });
    const run = (tab: string) =>
      checkLinks({
        pageUrl: 'http://127.0.0.1/page.html',
        links: Array.from({ length: 6 }, (_, i) => link(server.url(`/slow/80?tab=${tab}&i=${i}`))),
        // Counting the links' own requests: no soft-404 probe (its limit is tested with the detector).
        settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 2, detectSoft404: false },
        deps: realTimeDeps(fetch),
        signal: new AbortController().signal,
        limiter,
        onResult: () => {},
      });
    await Promise.all([run('a'), run('b')]);
    expect(server.requests).toHaveLength(12);
    expect(server.maxInFlightByHost()['127.0.0.1']).toBe(2);
  });

  it('gives every link a verdict even when judging it fails inside Linkpulse', async () => {
    const urls = [server.url('/ok?fault=1'), server.url('/ok?fault=2')];
    const results = new Map<string, LinkResult>();
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: urls.map((u) => link(u)),
      settings: DEFAULT_SETTINGS,
      deps: realTimeDeps(fetch),
      signal: new AbortController().signal,
      onChecking: () => {
        throw new Error('a fault of ours');
      },
      onResult: (r) => results.set(r.url, r),
    });
    for (const url of urls) {
      expect(results.get(url)).toMatchObject({ verdict: 'error', reason: 'network' });
      expect(englishDetail(results.get(url) ?? {})).toBe('Linkpulse could not judge this link: a fault of ours');
    }
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const started = Date.now();
    const result = await checkOne('/rate-limit/dated?after=1&retryAfter=2&date=1', { perHostConcurrency: 1 });
    expect(result).toMatchObject({ verdict: 'ok', attempts: 2 });
    // An HTTP date has whole seconds: the wait is between one and two seconds.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('does not retry a failure that cannot change, and retries a dropped connection', async () => {
    expect(await checkOne('/redirect-loop/a')).toMatchObject({ reason: 'too-many-redirects', attempts: 1 });
    expect(await checkOne('/reset', { retries: 1 })).toMatchObject({ reason: 'connection', attempts: 2 });
    expect(server.requestsTo('/reset').map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('calls a chain of more than 20 redirects an error', async () => {
    expect(await checkOne('/redirect/25')).toMatchObject({ verdict: 'error', reason: 'too-many-redirects' });
    expect(await checkOne('/redirect/19')).toMatchObject({ verdict: 'redirected', status: 200 });
  });

  it('reuses a recent result from the cache, and asks again once it is too old or on a re-check', async () => {
    const stored = new Map<string, LinkResult>();
    const cache = {
      get: (url: string, _context: string, maxAgeMs: number) => {
        const r = stored.get(url);
        return r && Date.now() - r.checkedAt <= maxAgeMs ? r : undefined;
      },
      put: (r: LinkResult) => void stored.set(r.url, r),
    };
    const url = server.url('/ok?cache');
    const run = async (useCache: boolean, cacheMinutes = 10) => {
      const results: LinkResult[] = [];
      await checkLinks({
        pageUrl: 'http://127.0.0.1/page.html',
        links: [link(url)],
        settings: { ...DEFAULT_SETTINGS, cacheMinutes },
        deps: realTimeDeps(fetch),
        signal: new AbortController().signal,
        cache,
        useCache,
        onResult: (r) => results.push(r),
      });
      return results[0];
    };
    const first = await run(true);
    expect(first?.verdict).toBe('ok');
    expect(first?.cached).toBeFalsy();
    expect(await run(true)).toMatchObject({ verdict: 'ok', cached: true });
    expect(server.requestsTo('/ok?cache')).toHaveLength(1);
    await run(false);
    expect(server.requestsTo('/ok?cache')).toHaveLength(2);
    // Older than the setting allows: asked again.
    for (const r of stored.values()) r.checkedAt -= 11 * 60_000;
    expect((await run(true))?.cached).toBeFalsy();
    expect(server.requestsTo('/ok?cache')).toHaveLength(3);
    // A cache time of 0 turns the cache off.
    expect((await run(true, 0))?.cached).toBeFalsy();
  });

  it('reports malformed addresses with words, sending nothing', async () => {
    const results = await check(['http://[::1', 'http://exa mple.com/']);
    expect(results.get('http://[::1')).toMatchObject({ verdict: 'error', reason: 'invalid-url' });
    expect(results.get('http://exa mple.com/')).toMatchObject({ verdict: 'error', reason: 'invalid-url' });
    expect(server.requests).toHaveLength(0);
  });

  it('calls a certificate the client does not trust a tls error, with the platform’s words', async () => {
    const url = server.tlsUrl('/ok', 'localhost');
    const result = (await check([url])).get(url);
    expect(result).toMatchObject({ verdict: 'error', reason: 'tls', status: null });
    expect(result?.errorText).toMatch(/SELF_SIGNED|certificate/i);
  });
});
