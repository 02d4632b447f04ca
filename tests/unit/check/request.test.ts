import { createServer } from 'node:net';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createBytePool } from '../../../utils/check/body-pool';
import { sendHop } from '../../../utils/check/request';
import { createAddressGuard } from '../../../utils/rules/address-guard';
import { observerStub } from '../../support/observer-stub';

// A port nothing listens on: Node's real fetch fails to connect, as a browser's would.
let closedPort = 0;
beforeAll(async () => {
  closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
});

const options = () => ({
  method: 'HEAD' as const,
  timeoutMs: 5_000,
  signal: new AbortController().signal,
  sendCookies: false,
});

describe('sendHop, when fetch fails', () => {
  it('says nothing was sent when the browser never saw the request (its own back-off refuses it silently)', async () => {
    const outcome = await sendHop(`http://127.0.0.1:${closedPort}/`, options(), {
      fetch,
      observer: observerStub({ seen: () => false }),
    });
    expect(outcome).toMatchObject({ kind: 'failure', failure: { notSent: true } });
  });

  it('takes the browser’s error name when it saw the request fail', async () => {
    const outcome = await sendHop(`http://127.0.0.1:${closedPort}/`, options(), {
      fetch,
      observer: observerStub({ netError: () => 'net::ERR_CONNECTION_REFUSED' }),
    });
    expect(outcome).toEqual({
      kind: 'failure',
      failure: { reason: 'connection', text: 'net::ERR_CONNECTION_REFUSED' },
      hops: [],
    });
  });
});

describe('sendHop, when the name lookup before it never answers (Firefox’s dns.resolve)', () => {
  // A lookup that never settles: the request must end by its own timeout or cancel all the same.
  const hanging = () =>
    createAddressGuard(async () => '93.184.216.34', { resolve: () => new Promise<string[]>(() => {}) });

  it('ends as a timeout within the request’s timeout, and sends nothing', { timeout: 5_000 }, async () => {
    const neverCalled = vi.fn(fetch);
    const outcome = await sendHop(
      'http://slow-name.example/',
      { ...options(), timeoutMs: 100, addressGuard: hanging() },
      { fetch: neverCalled },
    );
    expect(outcome).toMatchObject({ kind: 'failure', failure: { reason: 'timeout' } });
    expect(neverCalled).not.toHaveBeenCalled();
  });

  it('ends as cancelled when the run is cancelled during the lookup', { timeout: 5_000 }, async () => {
    const run = new AbortController();
    const guard = hanging();
    const asked = guard.beforeSend.bind(guard);
    // The cancel comes once the lookup is under way.
    guard.beforeSend = (url) => {
      queueMicrotask(() => run.abort());
      return asked(url);
    };
    const outcome = await sendHop(
      'http://slow-name.example/',
      { ...options(), timeoutMs: 60_000, signal: run.signal, addressGuard: guard },
      { fetch },
    );
    expect(outcome).toEqual({ kind: 'cancelled' });
  });
});

describe('sendHop, when the browser refuses a request for its address space and the page’s address is slow to tell', () => {
  // Chromium refuses a request naming `public` whose server is not public (net::ERR_FAILED); whether the page may
  // check that network waits for the page's address, here a lookup that never answers.
  const refusing: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
  const refused = observerStub({ netError: () => 'net::ERR_FAILED' });
  const guard = () => createAddressGuard(() => new Promise<string | null>(() => {}), { addressSpaces: true });

  it('ends as a timeout within the request’s timeout', { timeout: 5_000 }, async () => {
    const outcome = await sendHop(
      'http://rebind.example/',
      { ...options(), timeoutMs: 100, addressGuard: guard() },
      { fetch: refusing, observer: refused },
    );
    expect(outcome).toMatchObject({ kind: 'failure', failure: { reason: 'timeout' } });
  });
});

describe('sendHop, with a pool for the bodies it keeps', () => {
  it('reads a kept body once the pool has room for its cap; a request still waiting for its answer holds none', async () => {
    const pool = createBytePool(100);
    const html = { headers: { 'content-type': 'text/html' } };
    // /slow's body comes in two pieces, the second when the test says; /quick is answered once /slow's body is read.
    let slowReading!: () => void;
    const slowStarted = new Promise<void>((resolve) => {
      slowReading = resolve;
    });
    let finishSlow!: () => void;
    const slowEnd = new Promise<void>((resolve) => {
      finishSlow = resolve;
    });
    let pieces = 0;
    const slowBody = new ReadableStream<Uint8Array>({
      async pull(controller) {
        pieces += 1;
        if (pieces === 1) {
          controller.enqueue(new TextEncoder().encode('<p>slow'));
          slowReading();
          return;
        }
        await slowEnd;
        controller.enqueue(new TextEncoder().encode('</p>'));
        controller.close();
      },
    });
    const answers: Record<string, (signal: AbortSignal) => Promise<Response>> = {
      // Never answered; ends, as fetch does, when its request is aborted.
      '/silent': (signal) => new Promise<Response>((_, reject) => signal.addEventListener('abort', reject)),
      '/slow': async () => new Response(slowBody, html),
      '/quick': async () => slowStarted.then(() => new Response('<p>quick</p>', html)),
    };
    const fakeFetch = ((url: string, init: RequestInit) =>
      answers[new URL(url).pathname]?.(init.signal as AbortSignal)) as typeof fetch;
    const stopSilent = new AbortController();
    const done: string[] = [];
    const read = (path: string, signal = new AbortController().signal) =>
      sendHop(
        `https://s.example${path}`,
        { ...options(), method: 'GET', readBodyBytes: 100, bodyPool: pool, signal },
        { fetch: fakeFetch },
      ).then((outcome) => {
        done.push(path);
        return outcome;
      });
    const silent = read('/silent', stopSilent.signal);
    const slow = read('/slow');
    const quick = read('/quick');
    await slowStarted;
    // Every task that was ready has run: /quick has its answer and waits for /slow's cap to come back.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(done).toEqual([]);
    finishSlow();
    expect(await slow).toMatchObject({ kind: 'response', body: '<p>slow</p>' });
    expect(await quick).toMatchObject({ kind: 'response', body: '<p>quick</p>' });
    expect(done).toEqual(['/slow', '/quick']);
    stopSilent.abort();
    expect(await silent).toEqual({ kind: 'cancelled' });
  });
});
