import { describe, expect, it } from 'vitest';
import { type Attempt, decideRetry, type RetryState, type RetryStep } from '../../../utils/check/retry';

const NOW = 1_000_000;
const policy = { maxRetries: 2, retryAfterCapMs: 30_000 };
const fresh: RetryState = { method: 'HEAD', retries: 0, deadline: NOW + 30_000, answered: false };
const response = (status: number, retryAfter: string | null = null): Attempt => ({
  kind: 'response',
  status,
  retryAfter,
});

// Each row: where the check stands, what its attempt came to, and the step that must follow (jitter 0.5: backoff
// 500 ms × 2^retries).
const table: [string, Partial<RetryState>, Attempt, RetryStep][] = [
  ['a 200 to HEAD stands', {}, response(200), { kind: 'done', keep: 'this' }],
  ['a 404 to HEAD is confirmed by GET at once', {}, response(404), { kind: 'send', method: 'GET' }],
  ['a 404 to GET stands', { method: 'GET' }, response(404), { kind: 'done', keep: 'this' }],
  ['a failed HEAD is confirmed by GET', {}, { kind: 'failure', reason: 'connection' }, { kind: 'send', method: 'GET' }],
  [
    'a 503 to GET waits the backoff, then retries',
    { method: 'GET' },
    response(503),
    { kind: 'wait', ms: 500, method: 'GET' },
  ],
  [
    'the second retry backs off twice as long',
    { method: 'GET', retries: 1 },
    response(500),
    { kind: 'wait', ms: 1000, method: 'GET' },
  ],
  ['no retry once the retries are spent', { method: 'GET', retries: 2 }, response(500), { kind: 'done', keep: 'this' }],
  [
    'a 429 to HEAD waits for Retry-After, pausing the host, before its GET',
    {},
    response(429, '3'),
    { kind: 'wait', ms: 3000, method: 'GET', pauseHostMs: 3000 },
  ],
  [
    'a Retry-After longer than the cap waits the cap',
    { method: 'GET', deadline: NOW + 60_000 },
    response(503, '600'),
    { kind: 'wait', ms: 30_000, method: 'GET', pauseHostMs: 30_000 },
  ],
  [
    'a Retry-After past the deadline ends the check, and still pauses the host',
    { method: 'GET', deadline: NOW + 2000 },
    response(429, '5'),
    { kind: 'done', keep: 'this', pauseHostMs: 5000 },
  ],
  [
    'a Retry-After on an answer that is not retried pauses nothing',
    { method: 'GET' },
    response(404, '5'),
    { kind: 'done', keep: 'this' },
  ],
  [
    'a name that does not resolve is not retried',
    { method: 'GET' },
    { kind: 'failure', reason: 'dns' },
    {
      kind: 'done',
      keep: 'this',
    },
  ],
  [
    'a timeout is retried',
    { method: 'GET' },
    { kind: 'failure', reason: 'timeout' },
    { kind: 'wait', ms: 500, method: 'GET' },
  ],
  [
    'a refusal by the browser after an answer keeps that answer',
    { method: 'GET', answered: true },
    { kind: 'refused' },
    { kind: 'done', keep: 'last' },
  ],
  [
    'a refusal before any answer waits out the browser’s back-off',
    { method: 'GET' },
    { kind: 'refused' },
    { kind: 'wait', ms: 500, method: 'GET' },
  ],
  [
    'a deadline passed in the queue ends the check with what is in hand',
    {},
    { kind: 'expired' },
    {
      kind: 'done',
      keep: 'last',
    },
  ],
  ['no GET once the deadline has passed', { deadline: NOW }, response(404), { kind: 'done', keep: 'this' }],
];

describe('decideRetry', () => {
  it.each(table)('%s', (_name, state, attempt, step) => {
    expect(decideRetry({ ...fresh, ...state }, attempt, NOW, policy, 0.5)).toEqual(step);
  });
});
