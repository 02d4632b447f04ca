import { describe, expect, it, vi } from 'vitest';
import { drainBody } from '../../../utils/check/request';

/** A body served chunk by chunk as it is read (nothing ahead of the reader), which records what was asked of it. */
function servedBody(chunks: number, chunkBytes: number, options: { stated?: number; trickle?: boolean } = {}) {
  const seen = { pulled: 0, cancelled: false, ended: false };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (options.trickle) await new Promise<void>(() => {});
        if (seen.pulled === chunks) {
          seen.ended = true;
          controller.close();
          return;
        }
        seen.pulled += 1;
        controller.enqueue(new Uint8Array(chunkBytes));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const headers = options.stated === undefined ? undefined : { 'content-length': String(options.stated) };
  return { response: new Response(body, { headers }), seen };
}

describe('a body a link check does not use', () => {
  it('is read to its end when it is no longer than the limit, so its connection serves the next request', async () => {
    const { response, seen } = servedBody(4, 1000, { stated: 4000 });
    await drainBody(response, 4000);
    expect(seen).toEqual({ pulled: 4, cancelled: false, ended: true });
  });

  it('is read to its end without a stated length too', async () => {
    const { response, seen } = servedBody(3, 1000);
    await drainBody(response, 4000);
    expect(seen).toEqual({ pulled: 3, cancelled: false, ended: true });
  });

  it('is cancelled unread when its stated length is over the limit', async () => {
    const { response, seen } = servedBody(10, 1000, { stated: 10_000 });
    await drainBody(response, 4000);
    expect(seen).toEqual({ pulled: 0, cancelled: true, ended: false });
  });

  it('is cancelled once more than the limit has come, when no length was stated', async () => {
    const { response, seen } = servedBody(100, 1000);
    await drainBody(response, 4000);
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBe(5);
  });

  it('is cancelled at once when nothing is to be read (an HTTP/2 answer)', async () => {
    const { response, seen } = servedBody(1, 10);
    await drainBody(response, 0);
    expect(seen).toEqual({ pulled: 0, cancelled: true, ended: false });
  });

  it('is cancelled when it trickles past the time given', async () => {
    vi.useFakeTimers();
    try {
      const { response, seen } = servedBody(1, 10, { trickle: true });
      const drained = drainBody(response, 4000, 2000);
      await vi.advanceTimersByTimeAsync(1999);
      expect(seen.cancelled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await drained;
      expect(seen.cancelled).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
