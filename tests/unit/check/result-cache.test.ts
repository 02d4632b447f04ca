import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkLinks, realTimeDeps } from '../../../utils/check/check-links';
import {
  answerContext,
  CACHE_BYTES,
  CACHE_SAVE_MAX_MS,
  CACHE_SAVE_MS,
  createResultCache,
  MAX_ENTRY_BYTES,
} from '../../../utils/check/result-cache';
import { memoryArea } from '../../../utils/run/session-area';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { LinkResult } from '../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());
afterEach(() => vi.useRealTimers());

const resultFor = (url: string, extra: Partial<LinkResult> = {}): LinkResult => ({
  url,
  verdict: 'ok',
  reason: '',
  status: 200,
  finalUrl: url,
  ms: 5,
  attempts: 1,
  redirects: [],
  checkedAt: Date.now(),
  ...extra,
});

describe('the result cache, keyed by what changes an answer', () => {
  const cache = createResultCache(memoryArea());
  /** One run of one link through the real checker and a real server; whether the server was asked. */
  const asked = async (path: string, pageUrl: string, settings: Partial<Settings>): Promise<boolean> => {
    const url = server.url(path);
    const before = server.requestsTo(path).length;
    await checkLinks({
      pageUrl,
      links: [{ url, occurrences: 1, texts: [] }],
      settings: { ...DEFAULT_SETTINGS, ...settings },
      deps: realTimeDeps(fetch),
      signal: new AbortController().signal,
      cache,
      useCache: true,
      onResult: () => {},
    });
    return server.requestsTo(path).length > before;
  };

  it('never answers a run without cookies with a result fetched with them, nor another page with cookies', async () => {
    const page = 'http://127.0.0.1/a.html';
    expect(await asked('/ok?cookies', page, { sendCookies: true })).toBe(true);
    expect(await asked('/ok?cookies', page, { sendCookies: true })).toBe(false);
    expect(await asked('/ok?cookies', page, { sendCookies: false })).toBe(true);
    expect(await asked('/ok?cookies', 'http://localhost/other.html', { sendCookies: true })).toBe(true);
    // Without cookies, whose page asked changes nothing.
    expect(await asked('/ok?cookies', 'http://localhost/other.html', { sendCookies: false })).toBe(false);
  });

  it('never answers a guarded run with a result fetched where the guard did not apply', () => {
    const local = answerContext('http://192.168.1.10/intranet', DEFAULT_SETTINGS);
    const publicPage = answerContext('https://example.com/', DEFAULT_SETTINGS);
    const guardOff = answerContext('https://example.com/', { ...DEFAULT_SETTINGS, privateNetworkGuard: false });
    expect(publicPage).not.toBe(local);
    expect(publicPage).not.toBe(guardOff);
    const shared = createResultCache(memoryArea());
    // A public link that redirects into the user's network, followed from the intranet page:
    shared.put(resultFor('https://short.example/x', { verdict: 'redirected', finalUrl: 'http://10.0.0.5/' }), local);
    expect(shared.get('https://short.example/x', local, 60_000)).toBeDefined();
    expect(shared.get('https://short.example/x', publicPage, 60_000)).toBeUndefined();
  });

  it('never answers a run that looks for soft 404s with a result judged without looking, nor the other way', () => {
    const looking = answerContext('https://example.com/', DEFAULT_SETTINGS);
    const notLooking = answerContext('https://example.com/', { ...DEFAULT_SETTINGS, detectSoft404: false });
    const shared = createResultCache(memoryArea());
    shared.put(resultFor('https://example.com/gone', { verdict: 'ok', status: 200 }), notLooking);
    expect(shared.get('https://example.com/gone', notLooking, 60_000)).toBeDefined();
    expect(shared.get('https://example.com/gone', looking, 60_000)).toBeUndefined();
  });
});

describe('the result cache, bounded in bytes', () => {
  it('keeps at most its byte budget, newest first, whatever the number of results', async () => {
    vi.useFakeTimers();
    const area = memoryArea();
    const cache = createResultCache(area);
    const long = (i: number) => `https://a.test/${i}/${'x'.repeat(4000)}`;
    for (let i = 0; i < 2000; i++) cache.put(resultFor(long(i)), 'ctx');
    expect(cache.bytes()).toBeLessThanOrEqual(CACHE_BYTES);
    expect(cache.get(long(1999), 'ctx', 60_000)).toBeDefined();
    expect(cache.get(long(0), 'ctx', 60_000)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(CACHE_SAVE_MS);
    const stored = await area.get(null);
    const size = Object.values(stored).reduce<number>((n, v) => n + String(v).length, 0);
    expect(size).toBeLessThanOrEqual(CACHE_BYTES + 1_000);
    // What was saved comes back in a new worker.
    const restarted = createResultCache(area);
    await restarted.load();
    expect(restarted.get(long(1999), 'ctx', 60_000)?.url).toBe(long(1999));
  });

  it('keeps nothing, not even a soft-404 profile, from a run whose settings turn reuse off (0 minutes)', async () => {
    const cache = createResultCache(memoryArea());
    const urls = [server.url('/ok?reuse-off'), server.url('/status/404')];
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: urls.map((url) => ({ url, occurrences: 1, texts: [] })),
      settings: { ...DEFAULT_SETTINGS, cacheMinutes: 0, detectSoft404: true },
      deps: realTimeDeps(fetch),
      signal: new AbortController().signal,
      cache,
      useCache: true,
      onResult: () => {},
    });
    expect(server.requestsTo('/ok').length).toBeGreaterThan(0);
    expect(cache.bytes()).toBe(0);
  });

  it('does not keep one result bigger than an entry may be', () => {
    const cache = createResultCache(memoryArea());
    const hops = Array.from({ length: 20 }, (_, i) => ({
      url: `https://a.test/${i}/${'y'.repeat(8000)}`,
      status: 302,
    }));
    cache.put(resultFor('https://a.test/huge', { redirects: hops }), 'ctx');
    expect(JSON.stringify(hops).length).toBeGreaterThan(MAX_ENTRY_BYTES);
    expect(cache.get('https://a.test/huge', 'ctx', 60_000)).toBeUndefined();
    expect(cache.bytes()).toBe(0);
  });

  it('ignores a cache stored in the old shape, whose answers had no context', async () => {
    const area = memoryArea();
    await area.set({ 'result-cache': JSON.stringify([resultFor('https://a.test/old')]) });
    const cache = createResultCache(area);
    await cache.load();
    expect(cache.bytes()).toBe(0);
  });
});

describe('the result cache, saved for a restarted worker', () => {
  const saved = async (area: ReturnType<typeof memoryArea>) => {
    const restarted = createResultCache(area);
    await restarted.load();
    return restarted;
  };

  it('is saved once a run has gone quiet, not while results keep coming, and at the latest a while after', async () => {
    vi.useFakeTimers();
    const area = memoryArea();
    const cache = createResultCache(area);
    // A result every 5 s: the cache is never quiet for CACHE_SAVE_MS.
    let i = 0;
    for (; (i + 1) * 5_000 < CACHE_SAVE_MAX_MS; i++) {
      cache.put(resultFor(`https://a.test/${i}`), 'ctx');
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await area.get(null)).toEqual({});
    }
    // …until the first result not saved is CACHE_SAVE_MAX_MS old.
    cache.put(resultFor(`https://a.test/${i}`), 'ctx');
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await saved(area)).get(`https://a.test/${i}`, 'ctx', 600_000)).toBeDefined();
    // A last result, then quiet: saved CACHE_SAVE_MS later, not before.
    cache.put(resultFor('https://a.test/last'), 'ctx');
    await vi.advanceTimersByTimeAsync(CACHE_SAVE_MS - 1);
    expect((await saved(area)).get('https://a.test/last', 'ctx', 600_000)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect((await saved(area)).get('https://a.test/last', 'ctx', 600_000)).toBeDefined();
  });

  it('is saved when due even if the clock was set back meanwhile', async () => {
    vi.useFakeTimers();
    const area = memoryArea();
    const cache = createResultCache(area);
    cache.put(resultFor('https://a.test/before'), 'ctx');
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(CACHE_SAVE_MS);
    expect((await saved(area)).get('https://a.test/before', 'ctx', 7_200_000)).toBeDefined();
  });

  it('saves keys and results whatever characters they hold, as they were', async () => {
    vi.useFakeTimers();
    const area = memoryArea();
    const cache = createResultCache(area);
    const odd = 'https://a.test/"quoted"\\back\u2028line\u00e9\ud83d\ude00?q=a%22b';
    const result = resultFor(odd, { reason: 'redirect', redirects: [{ url: `${odd}#x`, status: 301 }] });
    const context = answerContext('https://a.test/', { ...DEFAULT_SETTINGS, sendCookies: true });
    cache.put(result, context);
    cache.putProfile('a.test "x"', { words: ['été', '"'], length: 12 } as never);
    await vi.advanceTimersByTimeAsync(CACHE_SAVE_MS);
    const restarted = await saved(area);
    expect(restarted.get(odd, context, 600_000)).toEqual(result);
    expect(restarted.getProfile('a.test "x"', 600_000)).toEqual({ words: ['été', '"'], length: 12 });
    expect(restarted.bytes()).toBe(cache.bytes());
  });
});
