import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, realTimeDeps } from '../../../../utils/check/check-links';
import { createLimiter } from '../../../../utils/check/limiter';
import { createSoft404Detector, createSoft404Session } from '../../../../utils/check/soft-404/detector';
import { DEFAULT_SETTINGS } from '../../../../utils/settings';
import type { LinkResult } from '../../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../../fixtures/server';

// A site whose errors live on a central host: the soft-404 probe of `127.0.0.1` (a path nobody links) is redirected to
// the not-found page on `localhost`, a host of its own for the limiter, so the probe's second hop waits for that host.
let site: FixtureServer;
beforeAll(async () => {
  site = await startFixtureServer({ notFoundHost: 'localhost' });
});
afterAll(() => site.close());
beforeEach(() => site.resetStats());

const central = () => `localhost:${site.port}`;

/** Holds the central host's only slot until `free` is called, as another tab's slow request would. */
function holdCentral(limiter: ReturnType<typeof createLimiter>) {
  let free = () => {};
  const held = limiter.run(central(), () => new Promise<void>((resolve) => (free = resolve)));
  return { free: () => free(), held };
}

describe("a run's own soft-404 probes", () => {
  it('end with the run: a probe still waiting for its turn when the run ends never reaches the server', async () => {
    const limiter = createLimiter({ global: 64, perHost: 1 });
    const busy = holdCentral(limiter);
    const results = new Map<string, LinkResult>();
    const dead = site.url('/status/404?dead-link');
    await checkLinks({
      pageUrl: 'http://127.0.0.1/page.html',
      links: [{ url: dead, occurrences: 1, texts: [] }],
      settings: { ...DEFAULT_SETTINGS, perHostConcurrency: 1 },
      deps: realTimeDeps(fetch),
      signal: new AbortController().signal,
      limiter,
      onResult: (r) => results.set(r.url, r),
    });
    // The run is over: its link judged, its probe sent on to the central host, where it waited for the slot.
    expect(results.get(dead)).toMatchObject({ verdict: 'broken', status: 404 });
    expect(site.requests.filter((r) => r.host === '127.0.0.1' && r.status === 302)).toHaveLength(1);
    busy.free();
    await busy.held;
    // Anything still queued for the central host would go first (a redirect hop is a follow-up, ahead of new work).
    await limiter.run(central(), async () => {});
    expect(site.requests.filter((r) => r.host === 'localhost').map((r) => r.path)).toEqual([]);
  });

  it('forget a probe that was cancelled, so a later run with the same session probes the host again', async () => {
    const limiter = createLimiter({ global: 64, perHost: 1 });
    const session = createSoft404Session();
    const detector = (probeSignal: AbortSignal) =>
      createSoft404Detector({
        settings: DEFAULT_SETTINGS,
        limiter,
        deps: realTimeDeps(fetch),
        signal: new AbortController().signal,
        probeSignal,
        session,
      });
    const busy = holdCentral(limiter);
    const ended = new AbortController();
    detector(ended.signal).warm(new URL(site.url('/some/page')));
    const learning = [...session.profiles.values()][0];
    ended.abort();
    expect(await learning).toEqual({ kind: 'unknown', why: 'cancelled' });
    expect(session.profiles.size).toBe(0);
    busy.free();
    await busy.held;
    // A later run asks afresh, and learns the host this time: its dead paths end on another host's 404.
    detector(new AbortController().signal).warm(new URL(site.url('/some/page')));
    expect(await [...session.profiles.values()][0]).toEqual({ kind: 'honest', status: 404 });
  });
});
