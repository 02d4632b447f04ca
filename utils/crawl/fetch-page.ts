import type { BytePool } from '../check/body-pool';
import type { NetworkReason } from '../check/errors';
import { followHops } from '../check/follow-hops';
import type { Limiter } from '../check/limiter';
import type { RequestDeps } from '../check/request';
import type { Note } from '../notes/note';
import type { AddressGuard } from '../rules/address-guard';
import { LINK_DEADLINE_MS, type Settings } from '../settings';
import type { AnswerOrigin, Hop } from '../types';
import { isBotChallenge } from '../verdict';

/** What fetching one page of the site gave. */
export type PageFetch =
  | ({
      kind: 'response';
      contentType: string | null;
      body: string | null;
      /** The body's bytes instead of `body`, when the fetch asked for them (a gzipped sitemap). */
      bytes?: Uint8Array<ArrayBuffer>;
      bodyComplete: boolean;
      botChallenge: boolean;
      /** A redirect named a fragment of its own, where a browser lands instead of the link's (see HopStep). */
      redirectFragment?: string;
      ms: number;
      attempts: number;
    } & AnswerOrigin)
  | { kind: 'failure'; reason: NetworkReason; text: string; detail?: Note; hops: Hop[]; ms: number; attempts: number }
  | {
      kind: 'refused-redirect';
      target: string;
      hops: Hop[];
      ms: number;
      attempts: number;
      /** The guard by address refused it (see RequestOutcome). */
      byAddress?: { reached: string | null };
    }
  | { kind: 'cancelled' };

export interface PageFetcherOptions {
  settings: Settings;
  limiter: Limiter;
  deps: RequestDeps & { now(): number };
  signal: AbortSignal;
  /**
   * The origin whose requests carry the person's cookies ("as me": the crawled site's), redirect hops included: a page
   * that redirects to another site does not take them there. Null: no cookies at all.
   */
  cookieOrigin: string | null;
  /** The private-network guard for redirect hops (see RequestOptions.allowRedirect). */
  allowRedirect?: (target: URL) => boolean;
  /** The guard by address (see RequestOptions.addressGuard). */
  addressGuard?: AddressGuard;
  /** What the bodies read at once may take together (see RequestOptions.bodyPool). */
  bodyPool?: BytePool;
}

/**
 * GETs one page of a crawled site under the shared limiter, each redirect hop in its own host's slot (the crawl's fetches and its link checks keep one per-host
 * limit together), reading at most `maxBytes` of its body. One attempt within the page-check deadline.
 */
export function createPageFetcher(options: PageFetcherOptions): (
  url: string,
  maxBytes: number,
  wanted?: (contentType: string | null) => boolean,
  /** Whether a body is handed over as bytes (`bytes`) rather than text: a file that is not text (a gzipped sitemap). */
  asBytes?: (contentType: string | null, url: string) => boolean,
) => Promise<PageFetch> {
  const { settings, limiter, deps, signal } = options;
  return async (url, maxBytes, wanted, asBytes) => {
    let started = 0;
    const followed = await followHops(
      url,
      {
        limiter,
        signal,
        allowRedirect: options.allowRedirect,
        optionsFor: (hopUrl) => {
          if (started === 0) started = deps.now();
          return {
            method: 'GET',
            timeoutMs: Math.min(settings.requestTimeoutSec * 1000, LINK_DEADLINE_MS),
            signal,
            sendCookies: options.cookieOrigin !== null && URL.parse(hopUrl)?.origin === options.cookieOrigin,
            readBodyBytes: maxBytes,
            // A body of another type than asked for (a PDF or a zip among a site's pages) is not downloaded at all.
            readBodyOf: wanted && ((headers: Headers) => wanted(headers.get('content-type'))),
            keepBytesOf: asBytes && ((headers: Headers) => asBytes(headers.get('content-type'), hopUrl)),
            addressGuard: options.addressGuard,
            bodyPool: options.bodyPool,
          };
        },
      },
      deps,
    ).catch(() => ({ kind: 'cancelled' as const }));
    // Nothing here is refused for time (optionsFor never returns null): a chain not sent is a cancelled one.
    const outcome = followed.kind === 'not-sent' ? { kind: 'cancelled' as const } : followed;
    const ms = started === 0 ? 0 : deps.now() - started;
    switch (outcome.kind) {
      case 'cancelled':
        return outcome;
      case 'failure':
        return {
          kind: 'failure',
          reason: outcome.failure.reason,
          text: outcome.failure.text,
          ...(outcome.failure.detail ? { detail: outcome.failure.detail } : {}),
          hops: outcome.hops,
          ms,
          attempts: 1,
        };
      case 'refused-redirect': {
        const { target, hops, byAddress } = outcome;
        return { kind: 'refused-redirect', target, hops, ms, attempts: 1, ...(byAddress ? { byAddress } : {}) };
      }
      case 'response':
        return {
          kind: 'response',
          status: outcome.status,
          finalUrl: outcome.finalUrl,
          redirected: outcome.redirected,
          hops: outcome.hops,
          contentType: outcome.headers.get('content-type'),
          body: outcome.body,
          ...(outcome.bytes ? { bytes: outcome.bytes } : {}),
          bodyComplete: !outcome.bodyTruncated,
          botChallenge: isBotChallenge(outcome.headers),
          ...(outcome.redirectFragment !== undefined ? { redirectFragment: outcome.redirectFragment } : {}),
          ms,
          attempts: 1,
        };
    }
  };
}
