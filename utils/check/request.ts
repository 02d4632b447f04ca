import type { AddressGuard } from '../rules/address-guard';
import type { AnswerOrigin, Hop } from '../types';
import { watchAbort } from './abort-fanout';
import { createBodyDecoder } from './body-decoder';
import type { BytePool } from './body-pool';
import { requestDeadlines } from './deadlines';
import { classifyNetworkError, type NetworkFailure, RequestTimeout } from './errors';
import { type Redirect, redirectOf } from './redirects';

/** What the browser's network layer saw of one request (redirect hops, net error name) that `fetch` hides. */
export interface RequestWatch {
  /** The browser's network layer reported anything of the request (an answer's start, a redirect, an error). */
  seen(): boolean;
  /** The status and target of the redirect the request stopped at (`redirect: 'manual'`), once reported. */
  redirect(): { status: number; target: string } | null;
  netError(): string | null;
  /**
   * The address of the server that answered (`webRequest`'s `ip`), once the browser reported it; waits at most `ms`
   * for the report, which may trail the response. Null when the browser did not say.
   */
  address?(ms: number): Promise<string | null>;
  /** Resolves once the browser reported the request's end (an error) or its redirect, or after `ms` at most. */
  settled(ms: number): Promise<void>;
  dispose(): void;
}

/** Observes the extension's own requests (`webRequest` in a browser); absent under Node. */
export interface NetObserver {
  watch(requestUrl: string): RequestWatch;
}

export interface RequestDeps {
  fetch: typeof fetch;
  observer?: NetObserver;
  /**
   * The address a page was served from, for the guard by address (absent where the browser does not report
   * addresses, as under Node: the guard by name then stands alone).
   */
  pageAddress?: (pageUrl: string) => Promise<string | null>;
  /** A name's addresses before any request, where the browser tells extensions (Firefox's `dns.resolve`). */
  resolveHost?: (hostname: string) => Promise<string[]>;
  /**
   * The browser refuses, before sending it, a request whose server is not in the address space it names (Chromium's
   * `targetAddressSpace`): the guard by address then holds before a first request too (see address-guard.ts).
   */
  addressSpaces?: boolean;
}

/**
 * The errors Chromium gives a request refused for its server's address space: `net::ERR_FAILED` on Chromium 156 (its
 * generic error too), and the names of its Private and Local Network Access checks, which other versions may report.
 */
const NOT_IN_ADDRESS_SPACE = new Set([
  'net::ERR_FAILED',
  'net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS',
  'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
]);

export interface RequestOptions {
  method: 'HEAD' | 'GET';
  timeoutMs: number;
  /** Aborts the request when the run is cancelled. */
  signal: AbortSignal;
  sendCookies: boolean;
  /** Read at most this many bytes of a 2xx body (fragments, soft 404s); otherwise the body is cancelled after headers. */
  readBodyBytes?: number;
  /** Whether a body is worth reading, from its answer's headers (a crawl reads HTML pages only); all when absent. */
  readBodyOf?: (headers: Headers) => boolean;
  /** Whether a body read is kept as its bytes (`bytes`) rather than as text: a file that is not text (a gzipped sitemap). */
  keepBytesOf?: (headers: Headers) => boolean;
  /**
   * Bytes of kept bodies (`readBodyBytes`) that may be read at once, shared with other requests: a body takes its cap
   * from the pool once its headers came and gives it back once read, so requests waiting for their headers hold none.
   */
  bodyPool?: BytePool;
  /**
   * Instead of keeping the body, hand a 2xx body to a reader as it arrives (fragment checks), which may stop it early.
   * `open` sees the status and headers first and may decline (null: nothing is read).
   */
  streamBody?: { maxBytes: number; open: (headers: Headers) => BodyReader | null };
  /** The guard by address (see address-guard.ts): nothing is sent to a host it closed, no answer from one is used. */
  addressGuard?: AddressGuard;
  /**
   * A body not used is read to its end, up to this many bytes (and DRAIN_MS), instead of cancelled: see DRAIN_BYTES.
   * 0 or absent: cancelled after the headers (an HTTP/2 or 3 answer, whose cancel costs its connection nothing).
   */
  drainBytes?: number;
}

/**
 * What a link check reads of a body it does not need, rather than cancel it. Cancelling an HTTP/1.1 answer mid-body
 * closes its connection (Chromium reads at most 16 kB of what is left itself: 60 links of 100 kB to one host opened
 * 26 connections, tests/e2e/engine.e2e.test.ts), so the next request to that host opens another — a TCP and TLS
 * handshake more for each link, and many more connections for the server than the 6 a browser keeps (`npm run bench --
 * --only=connections`: one per link). Reading a page of this size to its end keeps the connection for the next
 * request; a longer one is cancelled (its stated length says so, or the count of what came passes it).
 */
export const DRAIN_BYTES = 128 * 1024;
/** …and for at most this long: a body that trickles does not hold its host's slot. */
export const DRAIN_MS = 2_000;

/** Takes a document as it arrives. */
export interface BodyReader {
  /** Reads the next piece; returns true once it has read enough (the download then stops). */
  write(text: string): boolean;
}

/** How reading a body ended: to its end, stopped by its reader, at the byte cap, or cut off by a failure or timeout. */
export type BodyEnd = 'whole' | 'enough' | 'capped' | 'cut';

export type RequestOutcome =
  | ({
      kind: 'response';
      headers: Headers;
      body: string | null;
      /** Only the body's start was read: it was longer than `readBodyBytes`, or the download failed after it. */
      bodyTruncated: boolean;
      /** The body's bytes instead of `body`, when `keepBytesOf` asked for them. */
      bytes?: Uint8Array<ArrayBuffer>;
      /** How a streamed body (`streamBody`) ended; null when none was streamed. */
      bodyEnd: BodyEnd | null;
      /** A redirect named a fragment of its own (see HopStep), where a browser lands instead of the link's. */
      redirectFragment?: string;
    } & AnswerOrigin)
  | { kind: 'failure'; failure: NetworkFailure; hops: Hop[] }
  /**
   * A redirect pointed somewhere the private-network guard refused (see followHops): it was not requested. With `byAddress`, the guard by address
   * refused `target`: its host answered this request from the private address `reached`, or (`reached` null) had
   * done so before and nothing was sent.
   */
  | { kind: 'refused-redirect'; target: string; hops: Hop[]; byAddress?: { reached: string | null } }
  | { kind: 'cancelled' };

/**
 * Reads a body chunk by chunk, handing each to `take` (null once it has ended), until it ends, `take` says enough, or
 * `maxBytes` have come; then stops the download (an endless body must never be read to its end). A download that fails
 * part-way (a reset, a Content-Length that lies, the request's timeout, a cancel) ends as `cut`.
 */
async function pullBody(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  maxBytes: number,
  take: (chunk: Uint8Array | null) => boolean,
): Promise<BodyEnd> {
  let received = 0;
  try {
    while (received < maxBytes) {
      const { done, value } = await reader.read();
      if (done) return take(null) ? 'enough' : 'whole';
      received += value.byteLength;
      if (take(value)) return 'enough';
    }
    return 'capped';
  } catch {
    return 'cut';
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Hands a body to `write` as text, piece by piece, until it ends, `write` says enough, or `maxBytes` have come. A
 * download that fails part-way keeps what was read: it ends as `cut`. The text is in the body's own encoding, as a
 * browser decodes it (see createBodyDecoder).
 */
async function readBody(response: Response, maxBytes: number, write: (text: string) => boolean): Promise<BodyEnd> {
  const reader = response.body?.getReader();
  if (!reader) return 'whole';
  const decoder = createBodyDecoder(response.headers.get('content-type'));
  const end = await pullBody(reader, maxBytes, (chunk) => write(decoder.decode(chunk)));
  // A body stopped short may leave bytes held while its encoding was being told: they were read, so they count.
  if (end === 'cut' || end === 'capped') write(decoder.decode(null));
  return end;
}

/**
 * Reads a body it does not keep to its end, so its HTTP/1.1 connection can serve the next request, or cancels it: at
 * once when its stated length is over `maxBytes`, or once `maxBytes` have come or `maxMs` passed. Never throws.
 */
export async function drainBody(response: Response, maxBytes: number, maxMs = DRAIN_MS): Promise<void> {
  const body = response.body;
  if (!body) return;
  const stated = response.headers.get('content-length');
  if (maxBytes <= 0 || (stated !== null && Number(stated) > maxBytes)) {
    body.cancel().catch(() => {});
    return;
  }
  const reader = body.getReader();
  const giveUp = requestDeadlines.after(maxMs, () => reader.cancel().catch(() => {}));
  // One byte over the limit: a body of exactly `maxBytes` is still read to its end.
  await pullBody(reader, maxBytes + 1, () => false);
  giveUp();
}

async function readCapped(response: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  let text = '';
  const end = await readBody(response, maxBytes, (piece) => {
    text += piece;
    return false;
  });
  return { text, truncated: end !== 'whole' };
}

/** Reads at most `maxBytes` of a body as bytes (a file that is not text); `truncated`: there was more, or it failed. */
async function readBytesCapped(
  response: Response,
  maxBytes: number,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; truncated: boolean }> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  const keep = (chunk: Uint8Array | null) => {
    if (chunk) chunks.push(chunk);
    return false;
  };
  const end = reader ? await pullBody(reader, maxBytes, keep) : 'whole';
  const bytes = new Uint8Array(
    Math.min(
      maxBytes,
      chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0),
    ),
  );
  let at = 0;
  for (const chunk of chunks) {
    const piece = chunk.subarray(0, bytes.byteLength - at);
    bytes.set(piece, at);
    at += piece.byteLength;
  }
  return { bytes, truncated: end !== 'whole' };
}

/** `promise`, or a rejection with the signal's reason (the request's timeout, a cancel) once it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const stop = watchAbort(signal, () => reject(signal.reason));
    promise.then(resolve, reject).finally(stop);
  });
}

/** What one request came to: an answer, or a redirect it stopped at (`redirect: 'manual'`), which it does not follow. */
export type HopOutcome = RequestOutcome | { kind: 'redirect'; redirect: Redirect };

/**
 * Sends one request and reports what came back, stopping at a redirect (followHops follows it, hop by hop, each in its
 * own host's slot); never throws for a bad link. The outcome's hops are this request's only: none. `parsed` is `url`
 * parsed, when the caller has it.
 */
export async function sendHop(
  url: string,
  options: RequestOptions,
  deps: RequestDeps,
  parsed?: URL,
): Promise<HopOutcome> {
  if (options.signal.aborted) return { kind: 'cancelled' };
  const controller = new AbortController();
  // The error is made only when the time is up: an Error captures a stack trace, a cost every request paid for nothing.
  const stopTimeout = requestDeadlines.after(options.timeoutMs, () =>
    controller.abort(new RequestTimeout(options.timeoutMs)),
  );
  const stopWatching = watchAbort(options.signal, () => controller.abort(options.signal.reason));
  let watch: RequestWatch | undefined;
  try {
    const guard = options.addressGuard;
    const target = parsed ?? new URL(url);
    // The name lookup before it (Firefox) is part of the request: bounded by its timeout, ended by a cancel.
    if (guard && !(await untilAborted(guard.beforeSend(target), controller.signal))) {
      return { kind: 'refused-redirect', target: url, hops: [], byAddress: { reached: null } };
    }
    const send = (space: 'public' | undefined) =>
      deps.fetch(url, {
        method: options.method,
        redirect: 'manual',
        credentials: options.sendCookies ? 'include' : 'omit',
        cache: 'no-store',
        signal: controller.signal,
        // Not in TypeScript's RequestInit yet; a browser without it ignores the member.
        ...(space ? ({ targetAddressSpace: space } as RequestInit) : {}),
      });
    const space = guard?.addressSpace();
    watch = deps.observer?.watch(url);
    let response: Response;
    try {
      response = await send(space);
    } catch (error) {
      if (!guard || !space || !watch || controller.signal.aborted) throw error;
      await watch.settled(250);
      if (!NOT_IN_ADDRESS_SPACE.has(watch.netError() ?? '')) throw error;
      // The browser connected, found the server outside the public address space, and sent nothing.
      // Telling which (the page's address) may take a lookup: bounded by the request's timeout, ended by a cancel.
      if (await untilAborted(guard.refusedAsNotPublic(target.host), controller.signal)) {
        return { kind: 'refused-redirect', target: url, hops: [], byAddress: { reached: null } };
      }
      // The page is on a private network itself, and may check it: the same request, naming no space.
      watch.dispose();
      watch = deps.observer?.watch(url);
      response = await send(undefined);
    }
    const address = guard && watch?.address ? await watch.address(500) : null;
    if (guard && !(await guard.accept(target.host, address))) {
      response.body?.cancel().catch(() => {});
      return { kind: 'refused-redirect', target: url, hops: [], byAddress: { reached: address } };
    }
    const redirect = await redirectOf(response, url, watch);
    if (redirect) {
      response.body?.cancel().catch(() => {});
      return options.signal.aborted ? { kind: 'cancelled' } : { kind: 'redirect', redirect };
    }
    let body: string | null = null;
    let bytes: { bytes: Uint8Array<ArrayBuffer> } | null = null;
    let bodyTruncated = false;
    let bodyEnd: BodyEnd | null = null;
    // Only a 2xx body is ever used (anchors, a page's text): an error page is not worth the bytes.
    const useful = options.method === 'GET' && response.status >= 200 && response.status < 300;
    const stream = useful ? options.streamBody : undefined;
    const bodyReader = stream?.open(response.headers) ?? null;
    if (stream && bodyReader) {
      bodyEnd = await readBody(response, stream.maxBytes, (text) => bodyReader.write(text));
      bodyTruncated = bodyEnd === 'capped' || bodyEnd === 'cut';
    } else if (useful && options.readBodyBytes && (options.readBodyOf?.(response.headers) ?? true)) {
      // Waiting for the pool counts in the request's timeout, and is ended by a cancel, as the download itself.
      const release = await options.bodyPool?.acquire(options.readBodyBytes, controller.signal);
      try {
        if (options.keepBytesOf?.(response.headers)) {
          const read = await readBytesCapped(response, options.readBodyBytes);
          bytes = { bytes: read.bytes };
          bodyTruncated = read.truncated;
        } else ({ text: body, truncated: bodyTruncated } = await readCapped(response, options.readBodyBytes));
      } finally {
        release?.();
      }
    } else {
      await drainBody(response, options.drainBytes ?? 0);
    }
    if (options.signal.aborted) return { kind: 'cancelled' };
    return {
      kind: 'response',
      status: response.status,
      finalUrl: url,
      redirected: false,
      hops: [],
      headers: response.headers,
      body,
      bodyTruncated,
      ...bytes,
      bodyEnd,
    };
  } catch (error) {
    if (options.signal.aborted) return { kind: 'cancelled' };
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    // The browser's error event can arrive just after fetch rejects: give it a moment.
    if (watch && !(reason instanceof RequestTimeout)) await watch.settled(250);
    const failure = classifyNetworkError(reason, watch?.netError());
    // No event at all: the browser refused the request before sending anything (see isBrowserThrottle).
    if (watch && !(reason instanceof RequestTimeout) && !watch.seen()) failure.notSent = true;
    return { kind: 'failure', failure, hops: [] };
  } finally {
    stopTimeout();
    stopWatching();
    watch?.dispose();
  }
}
