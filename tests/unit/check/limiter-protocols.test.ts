import { describe, expect, it } from 'vitest';
import { createLimiter, type Limiter, MAX_KNOWN_HOSTS, type RunOptions } from '../../../utils/check/limiter';

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Queues `n` tasks to `host` that run until released; counts how many are running. */
function load(limiter: Pick<Limiter, 'run'>, host: string, n: number, options: RunOptions = { multiplexable: true }) {
  let running = 0;
  const releases: (() => void)[] = [];
  const runs = Array.from({ length: n }, () =>
    limiter.run(
      host,
      () => {
        running += 1;
        return new Promise<void>((resolve) =>
          releases.push(() => {
            running -= 1;
            resolve();
          }),
        );
      },
      options,
    ),
  );
  return {
    running: () => running,
    async finishAll() {
      while (releases.length > 0 || running > 0) {
        for (const release of releases.splice(0)) release();
        await tick();
      }
      await Promise.all(runs);
    },
  };
}

describe('the limiter learns which hosts speak HTTP/2 or HTTP/3', () => {
  const limits = { global: 128, perHost: 6, perHostMultiplexed: 16 };

  it('keeps a host it knows nothing of at the HTTP/1.1 limit', async () => {
    const limiter = createLimiter(limits);
    const host = load(limiter, 'new.test', 20);
    await tick();
    expect(host.running()).toBe(6);
    expect(limiter.protocolOf('new.test')).toBeUndefined();
    await host.finishAll();
  });

  it('lets more requests go to a host once an answer came over h2, up to the multiplexed limit', async () => {
    const limiter = createLimiter(limits);
    const host = load(limiter, 'h2.test', 30);
    await tick();
    expect(host.running()).toBe(6);
    limiter.learnProtocol('h2.test', 'h2');
    await tick();
    expect(host.running()).toBe(16);
    expect(limiter.protocolOf('h2.test')).toBe('multiplexed');
    await host.finishAll();
  });

  it('treats HTTP/3 like HTTP/2', async () => {
    const limiter = createLimiter(limits);
    limiter.learnProtocol('h3.test', 'h3');
    const host = load(limiter, 'h3.test', 30);
    await tick();
    expect(host.running()).toBe(16);
    await host.finishAll();
  });

  it('never lets an HTTP/1.1 host above the per-host limit', async () => {
    const limiter = createLimiter(limits);
    limiter.learnProtocol('h1.test', 'http/1.1');
    const host = load(limiter, 'h1.test', 20);
    await tick();
    expect(host.running()).toBe(6);
    // A later h2 answer does not raise it: the first answer decided, and HTTP/1 wins for good.
    limiter.learnProtocol('h1.test', 'h2');
    await tick();
    expect(host.running()).toBe(6);
    expect(limiter.protocolOf('h1.test')).toBe('http1');
    await host.finishAll();
  });

  it('takes a host back to the HTTP/1.1 limit when a later answer comes over HTTP/1.1', async () => {
    const limiter = createLimiter(limits);
    limiter.learnProtocol('mixed.test', 'h2');
    limiter.learnProtocol('mixed.test', 'http/1.1');
    const host = load(limiter, 'mixed.test', 20);
    await tick();
    expect(host.running()).toBe(6);
    await host.finishAll();
  });

  it('learns nothing from a browser that does not say (an empty or unknown protocol)', async () => {
    const limiter = createLimiter(limits);
    limiter.learnProtocol('quiet.test', '');
    limiter.learnProtocol('quiet.test', 'something/9');
    expect(limiter.protocolOf('quiet.test')).toBeUndefined();
    // …and an unknown answer after an h2 one leaves it multiplexed.
    limiter.learnProtocol('quiet.test', 'h2');
    limiter.learnProtocol('quiet.test', '');
    expect(limiter.protocolOf('quiet.test')).toBe('multiplexed');
  });

  it('holds plain-http requests to an HTTP/2 host at the HTTP/1.1 limit (browsers speak h2 over TLS only)', async () => {
    const limiter = createLimiter(limits);
    limiter.learnProtocol('both.test', 'h2');
    const plain = load(limiter, 'both.test', 20, { multiplexable: false });
    await tick();
    expect(plain.running()).toBe(6);
    await plain.finishAll();
  });

  it('uses the multiplexed limit only as far as the person allows: without it, the per-host limit', async () => {
    const limiter = createLimiter({ global: 128, perHost: 4 });
    limiter.learnProtocol('h2.test', 'h2');
    const host = load(limiter, 'h2.test', 20);
    await tick();
    expect(host.running()).toBe(4);
    await host.finishAll();
  });

  it('keeps the global limit above all', async () => {
    const limiter = createLimiter({ global: 10, perHost: 6, perHostMultiplexed: 16 });
    limiter.learnProtocol('h2.test', 'h2');
    const host = load(limiter, 'h2.test', 20);
    await tick();
    expect(host.running()).toBe(10);
    await host.finishAll();
  });

  it('holds every run to the strictest multiplexed limit of the runs going', async () => {
    const limiter = createLimiter({ global: 128, perHost: 6 });
    const eager = limiter.join({ global: 128, perHost: 6, perHostMultiplexed: 24 });
    const polite = limiter.join({ global: 128, perHost: 6, perHostMultiplexed: 10 });
    eager.learnProtocol('h2.test', 'h2');
    const host = load(eager, 'h2.test', 30);
    await tick();
    expect(host.running()).toBe(10);
    polite.leave();
    await tick();
    expect(host.running()).toBe(24);
    await host.finishAll();
    eager.leave();
  });

  it('remembers a bounded number of hosts, forgetting the oldest first', () => {
    const limiter = createLimiter(limits);
    for (let i = 0; i <= MAX_KNOWN_HOSTS; i++) limiter.learnProtocol(`h${i}.test`, 'h2');
    expect(limiter.protocolOf('h0.test')).toBeUndefined();
    expect(limiter.protocolOf('h1.test')).toBe('multiplexed');
    expect(limiter.protocolOf(`h${MAX_KNOWN_HOSTS}.test`)).toBe('multiplexed');
  });
});
