import { describe, expect, it } from 'vitest';
import {
  type Attempt,
  decideRetry,
  type RetryPolicy,
  type RetryState,
  type RetryStep,
} from '../../../utils/check/retry';

const NOW = 1_000_000;
const policy = { maxRetries: 2, retryAfterCapMs: 30_000 };
const fresh: RetryState = { retries: 0, deadline: NOW + 30_000, answered: false };
const response = (status: number, retryAfter: string | null = null): Attempt => ({
  kind: 'response',
  status,
  retryAfter,
});

// Each row: where the check stands, what its attempt came to, and the step that must follow (jitter 0.5: backoff
// 500 ms × 2^retries); a fifth entry, when there is one, changes the policy (Retry-After cap 30 s, 2 retries).
const table: [string, Partial<RetryState>, Attempt, RetryStep, Partial<RetryPolicy>?][] = [
  ['a 200 stands', {}, response(200), { kind: 'done', keep: 'this' }],
  ['a 404 stands', {}, response(404), { kind: 'done', keep: 'this' }],
  ['a 304 stands', {}, response(304), { kind: 'done', keep: 'this' }],
  ['a 503 waits the backoff, then retries', {}, response(503), { kind: 'wait', ms: 500 }],
  ['a 408 is retried', {}, response(408), { kind: 'wait', ms: 500 }],
  ['the second retry backs off twice as long', { retries: 1 }, response(500), { kind: 'wait', ms: 1000 }],
  ['no retry once the retries are spent', { retries: 2 }, response(500), { kind: 'done', keep: 'this' }],
  [
    'a 429 waits for Retry-After and pauses the host as long',
    {},
    response(429, '3'),
    { kind: 'wait', ms: 3000, pauseHostMs: 3000 },
  ],
  [
    'a Retry-After as long as the cap is waited for',
    { deadline: NOW + 60_000 },
    response(503, '30'),
    { kind: 'wait', ms: 30_000, pauseHostMs: 30_000 },
  ],
  [
    'a Retry-After longer than the cap is not waited for: the answer stands, and the host rests for the cap',
    { deadline: NOW + 60_000 },
    response(503, '600'),
    { kind: 'done', keep: 'this', pauseHostMs: 30_000 },
  ],
  [
    'with a cap of 0, a server asking to wait is not waited for, and its host does not rest',
    {},
    response(503, '10'),
    { kind: 'done', keep: 'this' },
    { retryAfterCapMs: 0 },
  ],
  [
    'with a cap of 0, a Retry-After of 0 retries at once',
    {},
    response(429, '0'),
    { kind: 'wait', ms: 0 },
    { retryAfterCapMs: 0 },
  ],
  [
    'a Retry-After given as an HTTP date waits until then',
    {},
    response(429, 'Thu, 01 Jan 1970 00:16:43 GMT'),
    { kind: 'wait', ms: 3000, pauseHostMs: 3000 },
  ],
  [
    'a Retry-After sent twice (joined with a comma) counts once, the first',
    {},
    response(429, '5, 7'),
    { kind: 'wait', ms: 5000, pauseHostMs: 5000 },
  ],
  ['a negative Retry-After is no Retry-After: the backoff', {}, response(503, '-1'), { kind: 'wait', ms: 500 }],
  ['a fractional Retry-After is no Retry-After', {}, response(503, '1.5'), { kind: 'wait', ms: 500 }],
  ['a Retry-After of two numbers is no Retry-After', {}, response(503, '12 30'), { kind: 'wait', ms: 500 }],
  ['a Retry-After that is not a date is no Retry-After', {}, response(503, 'soon 2'), { kind: 'wait', ms: 500 }],
  [
    'a Retry-After past the deadline ends the check, and still pauses the host',
    { deadline: NOW + 2000 },
    response(429, '5'),
    { kind: 'done', keep: 'this', pauseHostMs: 5000 },
  ],
  [
    'a Retry-After with no retries left still pauses the host',
    { retries: 2 },
    response(429, '5'),
    { kind: 'done', keep: 'this', pauseHostMs: 5000 },
  ],
  [
    'a Retry-After on an answer that is not retried pauses nothing',
    {},
    response(404, '5'),
    { kind: 'done', keep: 'this' },
  ],
  ['a Retry-After of 0 retries at once', {}, response(429, '0'), { kind: 'wait', ms: 0 }],
  [
    'a name that does not resolve is not retried',
    {},
    { kind: 'failure', reason: 'dns' },
    { kind: 'done', keep: 'this' },
  ],
  ['a certificate error is not retried', {}, { kind: 'failure', reason: 'tls' }, { kind: 'done', keep: 'this' }],
  ['a timeout is retried', {}, { kind: 'failure', reason: 'timeout' }, { kind: 'wait', ms: 500 }],
  ['a reset connection is retried', {}, { kind: 'failure', reason: 'connection' }, { kind: 'wait', ms: 500 }],
  [
    'a refusal by the browser after an answer keeps that answer',
    { answered: true },
    { kind: 'refused' },
    { kind: 'done', keep: 'last' },
  ],
  ['a refusal before any answer waits out the browser’s back-off', {}, { kind: 'refused' }, { kind: 'wait', ms: 500 }],
  [
    'a deadline passed in the queue ends the check with what is in hand',
    {},
    { kind: 'expired' },
    { kind: 'done', keep: 'last' },
  ],
  ['no retry once the deadline has passed', { deadline: NOW }, response(503), { kind: 'done', keep: 'this' }],
  [
    'no retry whose backoff would end past the deadline',
    { deadline: NOW + 400 },
    response(503),
    { kind: 'done', keep: 'this' },
  ],
];

describe('decideRetry', () => {
  it.each(table)('%s', (_name, state, attempt, step, changed = {}) => {
    expect(decideRetry({ ...fresh, ...state }, attempt, NOW, { ...policy, ...changed }, 0.5)).toEqual(step);
  });
});
