import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NetObserver } from '../../../utils/check/request';
import { createPageAddresses } from '../../../utils/rules/page-addresses';
import { memoryArea } from '../../../utils/run/session-area';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

/** What webRequest would report as the answering server's address (`ip`) of each request the worker sends. */
function observerSaying(address: string | null): NetObserver {
  return {
    watch: () => ({
      seen: () => true,
      redirect: () => null,
      netError: () => null,
      address: async () => address,
      settled: async () => {},
      dispose: () => {},
    }),
  };
}

const heads = () => server.requests.filter((r) => r.method === 'HEAD').map((r) => r.path);

describe('the address a page was served from', () => {
  it('is asked of the server once per host, however many pages of it ask at once or later', async () => {
    const addresses = createPageAddresses(memoryArea(), fetch, observerSaying('203.0.113.7'));
    const answers = await Promise.all(['/site/', '/site/d1', '/site/d3'].map((p) => addresses.lookup(server.url(p))));
    expect(answers).toEqual(['203.0.113.7', '203.0.113.7', '203.0.113.7']);
    expect(await addresses.lookup(server.url('/site/d2'))).toBe('203.0.113.7');
    expect(heads()).toEqual(['/site/']);
  });

  it("sends nothing for a host whose page a tab loaded, and keeps the tab's witness over its own HEAD", async () => {
    const addresses = createPageAddresses(memoryArea(), fetch, observerSaying('203.0.113.7'));
    addresses.record(server.url('/site/'), '198.51.100.1');
    expect(await addresses.lookup(server.url('/site/d3'))).toBe('198.51.100.1');
    expect(heads()).toEqual([]);
  });

  it('asks again next time when the browser did not say the address', async () => {
    const addresses = createPageAddresses(memoryArea(), fetch, observerSaying(null));
    expect(await addresses.lookup(server.url('/site/'))).toBeNull();
    expect(await addresses.lookup(server.url('/site/d1'))).toBeNull();
    expect(heads()).toEqual(['/site/', '/site/d1']);
  });

  it('survives a restarted worker: what was learned is read back from the session area', async () => {
    const area = memoryArea();
    await createPageAddresses(area, fetch, observerSaying('203.0.113.7')).lookup(server.url('/site/'));
    const restarted = createPageAddresses(area, fetch, observerSaying(null));
    expect(await restarted.lookup(server.url('/site/d1'))).toBe('203.0.113.7');
    expect(heads()).toEqual(['/site/']);
  });
});
