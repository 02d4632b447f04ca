import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendHop } from '../../../utils/check/request';
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
