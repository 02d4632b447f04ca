import type { Note } from '../notes/note';
import type { LinkResult, Reason } from '../types';

export type NetworkReason = Extract<
  Reason,
  'timeout' | 'dns' | 'connection' | 'tls' | 'too-many-redirects' | 'network'
>;

export interface NetworkFailure {
  reason: NetworkReason;
  /** The platform's own words: Chromium's net error name, or Node's error code and message; '' with a `detail`. */
  text: string;
  /** Why Linkpulse itself ended the request (its timeout, a redirect it does not follow), worded by whoever shows it. */
  detail?: Note;
  /** The browser's network layer never saw the request (no webRequest event at all): nothing was sent. */
  notSent?: boolean;
  /** Linkpulse's own stop that asking again cannot change (a redirect it does not follow): never retried. */
  final?: true;
}

/** A failure's words in a result: the platform's own text, or why Linkpulse ended the request. */
export function failureWords(failure: NetworkFailure): Pick<LinkResult, 'errorText' | 'detail'> {
  return {
    ...(failure.text !== '' ? { errorText: failure.text } : {}),
    ...(failure.detail ? { detail: failure.detail } : {}),
  };
}

/** Thrown by our own per-request timer, so a timeout is never mistaken for a cancel. */
export class RequestTimeout extends Error {
  constructor(readonly ms: number) {
    super(`No response within ${ms} ms`);
    this.name = 'RequestTimeout';
  }
}

// Chromium's net error names, as `webRequest.onErrorOccurred` reports them.
const CHROMIUM_ERRORS: [RegExp, NetworkReason][] = [
  [/ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED|ERR_DNS_/, 'dns'],
  [/ERR_TOO_MANY_REDIRECTS|ERR_UNSAFE_REDIRECT/, 'too-many-redirects'],
  [/ERR_CERT_|ERR_SSL_|ERR_BAD_SSL|ERR_TLS/, 'tls'],
  [/ERR_TIMED_OUT|ERR_CONNECTION_TIMED_OUT/, 'timeout'],
  [
    /ERR_CONNECTION_|ERR_EMPTY_RESPONSE|ERR_ADDRESS_UNREACHABLE|ERR_SOCKET_|ERR_NETWORK_CHANGED|ERR_INVALID_HTTP_RESPONSE|ERR_RESPONSE_HEADERS_TOO_BIG|ERR_INVALID_CHUNKED_ENCODING|ERR_HTTP2_/,
    'connection',
  ],
];

// Node's (undici's) error codes, seen when the checker runs under Node.
const NODE_CODES: [RegExp, NetworkReason][] = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/, 'dns'],
  [/CERT|SSL|TLS|^ERR_TLS|^DEPTH_ZERO|^UNABLE_TO_VERIFY/, 'tls'],
  [/^(ECONNREFUSED|ECONNRESET|EPIPE|EHOSTUNREACH|ENETUNREACH|UND_ERR_SOCKET|UND_ERR_HEADERS_OVERFLOW)$/, 'connection'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT)$/, 'timeout'],
];

/**
 * Chromium's own back-off for extension requests to URLs that keep answering 5xx: nothing was sent. Chromium 156 refuses
 * such a fetch ("Failed to fetch") without a single webRequest event, so the sign is a request the network layer never
 * saw; the net error name is what older versions reported.
 */
export function isBrowserThrottle(failure: NetworkFailure): boolean {
  return failure.notSent === true || failure.text.includes('ERR_TEMPORARILY_THROTTLED');
}

// Firefox's names for the same failures (webRequest.onErrorOccurred gives NS_ERROR_* and NSS error names).
const FIREFOX_ERRORS: [RegExp, NetworkReason][] = [
  [/NS_ERROR_UNKNOWN_HOST|NS_ERROR_UNKNOWN_PROXY_HOST/, 'dns'],
  [/NS_ERROR_REDIRECT_LOOP/, 'too-many-redirects'],
  [/SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX_ERROR_|NS_ERROR_GENERATE_FAILURE/, 'tls'],
  [/NS_ERROR_NET_TIMEOUT/, 'timeout'],
  [
    /NS_ERROR_CONNECTION_REFUSED|NS_ERROR_NET_RESET|NS_ERROR_NET_INTERRUPT|NS_ERROR_NET_PARTIAL_TRANSFER|NS_ERROR_PROXY_/,
    'connection',
  ],
];

function match(table: [RegExp, NetworkReason][], text: string): NetworkReason | null {
  for (const [pattern, reason] of table) if (pattern.test(text)) return reason;
  return null;
}

/**
 * Names the kind of a failed request. In a browser `fetch` rejects with a bare "Failed to fetch" whatever happened,
 * so the net error name observed through `webRequest` (when given) decides; under Node the error's cause does.
 */
export function classifyNetworkError(error: unknown, netError?: string | null): NetworkFailure {
  if (error instanceof RequestTimeout)
    return { reason: 'timeout', text: '', detail: { code: 'timeout', ms: error.ms } };
  if (netError) {
    return { reason: match(CHROMIUM_ERRORS, netError) ?? match(FIREFOX_ERRORS, netError) ?? 'network', text: netError };
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code ?? '';
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  const text = code ? `${code}: ${message}` : message;
  if (/redirect count exceeded/i.test(message)) return { reason: 'too-many-redirects', text };
  if (/other side closed|socket hang up/i.test(message)) return { reason: 'connection', text };
  return { reason: match(NODE_CODES, code) ?? 'network', text };
}
