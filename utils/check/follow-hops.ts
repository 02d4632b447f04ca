import type { Hop } from '../types';
import type { Limiter } from './limiter';
import { canMultiplex } from './protocols';
import { nextHop } from './redirects';
import { type HopOutcome, type RequestDeps, type RequestOptions, type RequestOutcome, sendHop } from './request';

export interface HopPlan {
  limiter: Limiter;
  /** Aborts the chain, whether a hop is waiting for its slot or in flight. */
  signal: AbortSignal;
  /** A follow-up of a check under way (a retry): its first hop goes ahead of checks not yet started. */
  urgent?: boolean;
  /** Whether a redirect's target may be requested (the private-network guard, a probe's hop count); all when absent. */
  allowRedirect?: (target: URL) => boolean;
  /**
   * In the slot of a hop, just before it is sent: its request's options (a timeout decided then, so the time spent
   * waiting for the slot is not the request's), or null when nothing may be sent any more (a link's deadline passed).
   */
  optionsFor(hopUrl: string, first: boolean, host: string): RequestOptions | null;
  /**
   * In the slot of a hop that was answered (`host`: the slot's, as the limiter keys it), before the slot is given back:
   * whatever must hold for the next request to that host (a Retry-After pause) is decided here, so no other request to
   * it leaves in between.
   */
  onAnswer?(hopUrl: string, host: string, outcome: HopOutcome): void;
}

/** What a chain came to: its last request's outcome (with every hop followed), or nothing sent for one of its hops. */
export type FollowOutcome = RequestOutcome | { kind: 'not-sent'; hops: Hop[] };

/**
 * Requests `url` and follows its redirects one hop at a time, each hop under the limiter's slot of its own host, as a
 * browser's request to that host would count. The slot is given back before the next hop waits for its own: a chain
 * never holds two slots at once, so hops that wait on each other's hosts cannot deadlock. Later hops are follow-ups of
 * a check under way, and go ahead of checks not yet started on their host.
 */
export async function followHops(url: string | URL, plan: HopPlan, deps: RequestDeps): Promise<FollowOutcome> {
  const { limiter, signal } = plan;
  const allow = plan.allowRedirect ?? (() => true);
  const followed: Hop[] = [];
  let current = typeof url === 'string' ? url : url.href;
  // Each hop's address is parsed once, here, for its host and its request; a caller's own parse serves the first.
  let parsed = typeof url === 'string' ? null : url;
  // The last fragment a redirect named: later hops that name none keep it (Fetch).
  let fragment: { redirectFragment?: string } = {};
  for (;;) {
    const hopUrl = current;
    const hopAddress = parsed ?? new URL(hopUrl);
    const first = followed.length === 0;
    const host = hopAddress.host;
    const outcome: HopOutcome | { kind: 'not-sent' } = await limiter
      .run(
        host,
        async (): Promise<HopOutcome | { kind: 'not-sent' }> => {
          const options = plan.optionsFor(hopUrl, first, host);
          if (!options) return { kind: 'not-sent' };
          const answer = await sendHop(hopUrl, options, deps, hopAddress);
          if (answer.kind !== 'cancelled') plan.onAnswer?.(hopUrl, host, answer);
          return answer;
        },
        { signal, urgent: !first || plan.urgent === true, multiplexable: canMultiplex(hopUrl) },
      )
      .catch((error: unknown) => {
        // Leaving the queue on cancel is the one expected rejection; anything else is a fault for the caller to report.
        if (signal.aborted) return { kind: 'cancelled' as const };
        throw error;
      });
    switch (outcome.kind) {
      case 'cancelled':
        return outcome;
      case 'not-sent':
        return { kind: 'not-sent', hops: followed };
      case 'redirect': {
        followed.push({ url: hopUrl, status: outcome.redirect.status });
        const step = nextHop(outcome.redirect, followed, allow);
        if (step.kind === 'stop') return { kind: 'failure', failure: step.failure, hops: followed };
        if (step.kind === 'refused') return { kind: 'refused-redirect', target: step.target, hops: followed };
        current = step.url;
        parsed = null;
        if (step.fragment !== undefined) fragment = { redirectFragment: step.fragment };
        break;
      }
      case 'response':
        return { ...outcome, finalUrl: hopUrl, redirected: followed.length > 0, hops: followed, ...fragment };
      default:
        return { ...outcome, hops: followed };
    }
  }
}
