import type { NetworkReason } from './check/errors';
import type { SkipReason } from './rules/url-rules';
import type { Reason, Verdict } from './types';

/** Everything the checker learned about one link, before it is judged. */
export type CheckFacts =
  | { kind: 'skipped'; reason: SkipReason }
  | { kind: 'invalid' }
  | { kind: 'failure'; reason: NetworkReason }
  | {
      kind: 'response';
      status: number;
      redirected: boolean;
      botChallenge: boolean;
      /** null: no fragment, or it could not be judged (not HTML, document too large). */
      fragment: 'found' | 'missing' | null;
      /** The 2xx answer is the host's "not found" page (see utils/check/soft-404). */
      soft404?: boolean;
    };

export interface Judgement {
  verdict: Verdict;
  reason: Reason | '';
}

/** Headers by which bot-protection services say "this is a challenge page, not the content". */
export function isBotChallenge(headers: Headers): boolean {
  const cf = headers.get('cf-mitigated');
  const waf = headers.get('x-amzn-waf-action');
  return cf?.toLowerCase() === 'challenge' || waf === 'challenge' || waf === 'captcha';
}

/** The single place verdicts are decided (see the verdict table in README, "Verdicts"). */
export function decideVerdict(facts: CheckFacts): Judgement {
  switch (facts.kind) {
    case 'skipped':
      return { verdict: 'skipped', reason: facts.reason };
    case 'invalid':
      return { verdict: 'error', reason: 'invalid-url' };
    case 'failure':
      return { verdict: 'error', reason: facts.reason };
    case 'response': {
      const { status } = facts;
      // A server that refuses robots or wants credentials may well work for a person: never call it broken.
      if (facts.botChallenge || status === 999) return { verdict: 'blocked', reason: 'bot-challenge' };
      if (status === 401 || status === 403 || status === 407) return { verdict: 'blocked', reason: 'auth' };
      if (status === 429) return { verdict: 'blocked', reason: 'rate-limited' };
      if (status < 200 || status >= 300) return { verdict: 'broken', reason: 'status' };
      if (facts.soft404) return { verdict: 'broken', reason: 'soft-404' };
      if (facts.fragment === 'missing') return { verdict: 'broken', reason: 'fragment-missing' };
      return facts.redirected ? { verdict: 'redirected', reason: 'redirect' } : { verdict: 'ok', reason: '' };
    }
  }
}
