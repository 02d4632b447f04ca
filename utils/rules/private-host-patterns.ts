import { IPV4_SPECIAL } from './private-addresses';
import { PRIVATE_NAME_SUFFIXES } from './private-names';

/**
 * One condition a browser can match a request's URL against before the request leaves (a declarativeNetRequest
 * `RuleCondition`'s URL part): a regular expression over the whole URL, or names matched with their subdomains.
 */
export type HostCondition = { regexFilter: string } | { requestDomains: string[] };

// What comes before the host in a URL as the browser writes it: a scheme, then perhaps `user:password@`. Kept short:
// Chromium compiles each regexFilter with RE2 within 2 KB, so one pattern per range rather than one for all.
const HEAD = '^\\w+://([^/?#@]*@)?';
// What ends the host: a port or the path (the browser always writes one for http and ws URLs), or the URL's end.
const TAIL = '(:\\d+)?([/?#]|$)';

/**
 * The decimal numbers lo..hi (0 ≤ lo ≤ hi ≤ 255, written without leading zeros, as in a URL's IPv4 host) as a
 * regular expression: one branch per run of numbers that share all but their last digit.
 */
export function decimalRange(lo: number, hi: number): string {
  const branches: string[] = [];
  for (let n = lo; n <= hi; ) {
    const head = Math.floor(n / 10);
    const end = Math.min(hi, head * 10 + 9);
    const [first, last] = [n % 10, end % 10];
    const digit = first === last ? String(first) : first === 0 && last === 9 ? '\\d' : `[${first}-${last}]`;
    branches.push(`${head === 0 ? '' : head}${digit}`);
    n = end + 1;
  }
  return branches.length === 1 ? (branches[0] as string) : `(${branches.join('|')})`;
}

/** The IPv4 hosts of one special-use range, as the browser writes them (dotted decimal: other notations are not kept). */
function ipv4Pattern(network: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  const fixed = Math.floor(prefix / 8);
  const parts = octets.slice(0, fixed).map(String);
  if (prefix % 8 !== 0) {
    const low = octets[fixed] as number;
    parts.push(decimalRange(low, low + 2 ** (8 - (prefix % 8)) - 1));
  }
  const free = 4 - parts.length;
  const rest = free === 0 ? '' : free === 1 ? '\\.\\d+' : `(\\.\\d+){${free}}`;
  return `${parts.join('\\.')}${rest}`;
}

/**
 * The private-network guard's judgement of a URL's host (private-network.ts: `isPrivateHost`) as conditions a browser
 * matches before a request leaves, generated from the guard's own tables so that the two cannot drift apart. A URL
 * matches one of them when its host is private: exactly so for IPv4 literals, private-use names and single-label
 * names. Wider where a text match cannot follow the guard's arithmetic: every IPv6 literal and every name written with
 * a trailing dot match (a public one is rare in a link; refusing it leaves the row as the check left it). What a name
 * resolves to is not in the text at all (see SECURITY.md).
 */
export function privateHostConditions(): HostCondition[] {
  return [
    ...IPV4_SPECIAL.map(([network, prefix]) => ({ regexFilter: `${HEAD}${ipv4Pattern(network, prefix)}${TAIL}` })),
    // Matched with their subdomains, as isPrivateName does: `printer.local`, `nas.home.arpa`.
    { requestDomains: PRIVATE_NAME_SUFFIXES.map(([suffix]) => suffix) },
    // A single label: `router`, `localhost`, `ip6-loopback` (a dotless number is an IPv4 address once parsed).
    { regexFilter: `${HEAD}[^./?#@:\\[]+${TAIL}` },
    { regexFilter: `${HEAD}[^/?#@:]*\\.${TAIL}` },
    { regexFilter: `${HEAD}\\[` },
  ];
}
