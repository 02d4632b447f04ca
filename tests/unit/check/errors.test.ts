import { describe, expect, it } from 'vitest';
import { classifyNetworkError, isBrowserThrottle, RequestTimeout } from '../../../utils/check/errors';

const failed = new TypeError('Failed to fetch');

describe('classifyNetworkError', () => {
  it('names Chromium net errors by kind, keeping the browser’s words', () => {
    const cases: [string, string][] = [
      ['net::ERR_NAME_NOT_RESOLVED', 'dns'],
      ['net::ERR_CONNECTION_REFUSED', 'connection'],
      ['net::ERR_CONNECTION_RESET', 'connection'],
      ['net::ERR_EMPTY_RESPONSE', 'connection'],
      ['net::ERR_RESPONSE_HEADERS_TOO_BIG', 'connection'],
      ['net::ERR_CERT_AUTHORITY_INVALID', 'tls'],
      ['net::ERR_SSL_PROTOCOL_ERROR', 'tls'],
      ['net::ERR_TIMED_OUT', 'timeout'],
      ['net::ERR_TOO_MANY_REDIRECTS', 'too-many-redirects'],
      ['net::ERR_SOMETHING_NEW', 'network'],
    ];
    for (const [name, reason] of cases) expect(classifyNetworkError(failed, name)).toEqual({ reason, text: name });
  });

  it('names Firefox errors the same way', () => {
    const cases: [string, string][] = [
      ['NS_ERROR_UNKNOWN_HOST', 'dns'],
      ['NS_ERROR_CONNECTION_REFUSED', 'connection'],
      ['NS_ERROR_NET_RESET', 'connection'],
      ['SEC_ERROR_UNKNOWN_ISSUER', 'tls'],
      ['MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT', 'tls'],
      ['NS_ERROR_NET_TIMEOUT', 'timeout'],
      ['NS_ERROR_REDIRECT_LOOP', 'too-many-redirects'],
    ];
    for (const [name, reason] of cases) expect(classifyNetworkError(failed, name).reason).toBe(reason);
  });

  it('tells its own timeout from everything else', () => {
    expect(classifyNetworkError(new RequestTimeout(1000), 'net::ERR_ABORTED')).toEqual({
      reason: 'timeout',
      text: '',
      detail: { code: 'timeout', ms: 1000 },
    });
  });

  it('recognises Chromium refusing to send a request to a URL it is backing off from', () => {
    expect(isBrowserThrottle(classifyNetworkError(failed, 'net::ERR_TEMPORARILY_THROTTLED'))).toBe(true);
    expect(isBrowserThrottle(classifyNetworkError(failed, 'net::ERR_CONNECTION_RESET'))).toBe(false);
    // Chromium 156 gives no error name for it: the request simply never reached the network layer.
    expect(isBrowserThrottle({ reason: 'network', text: 'Failed to fetch', notSent: true })).toBe(true);
    expect(isBrowserThrottle({ reason: 'network', text: 'Failed to fetch' })).toBe(false);
  });
});
