// Which IP addresses belong to the user's own machine or network, or are otherwise special-use (IANA's special-purpose
// registries): none of them is a public web server a page can fairly point at.

/** IPv4 ranges that are not public unicast, as [first octets, prefix length]. */
export const IPV4_SPECIAL: readonly (readonly [network: number, prefix: number, why: string])[] = [
  [0x00000000, 8, '"this network" (0.0.0.0 reaches the local machine)'],
  [0x0a000000, 8, 'private (RFC 1918)'],
  [0x64400000, 10, 'carrier-grade NAT (RFC 6598)'],
  [0x7f000000, 8, 'loopback'],
  [0xa9fe0000, 16, 'link-local, cloud metadata (169.254.169.254)'],
  [0xac100000, 12, 'private (RFC 1918)'],
  [0xc0000000, 24, 'IETF protocol assignments'],
  [0xc0000200, 24, 'documentation (TEST-NET-1)'],
  [0xc0586300, 24, '6to4 relay anycast (deprecated)'],
  [0xc0a80000, 16, 'private (RFC 1918)'],
  [0xc6120000, 15, 'benchmarking (RFC 2544), used by some VPNs and proxies for internal addresses'],
  [0xc6336400, 24, 'documentation (TEST-NET-2)'],
  [0xcb007100, 24, 'documentation (TEST-NET-3)'],
  [0xe0000000, 4, 'multicast'],
  [0xf0000000, 4, 'reserved, broadcast'],
];

function ipv4Number(host: string): number | null {
  const parts = host.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function ipv4Special(ip: number): boolean {
  return IPV4_SPECIAL.some(([network, prefix]) => Math.floor(ip / 2 ** (32 - prefix)) === network / 2 ** (32 - prefix));
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (hex only, at most one `::`). */
function ipv6Groups(ip: string): number[] | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const [head = [], tail = []] = halves.map((half) => (half === '' ? [] : half.split(':')));
  const written = [...head, ...tail];
  if (written.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const missing = 8 - written.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) => Number.parseInt(g, 16));
}

const startsWith = (groups: number[], prefix: readonly number[]) => prefix.every((group, i) => groups[i] === group);

/** First six groups of the IPv6 forms that carry an IPv4 address in their last 32 bits, judged by that address. */
const IPV4_CARRIERS = [
  [0, 0, 0, 0, 0, 0], // ::/96 IPv4-compatible (deprecated), `::` and `::1` included
  [0, 0, 0, 0, 0, 0xffff], // ::ffff:0:0/96 IPv4-mapped
  [0, 0, 0, 0, 0xffff, 0], // ::ffff:0:0:0/96 IPv4-translated
  [0x64, 0xff9b, 0, 0, 0, 0], // 64:ff9b::/96 NAT64, which a NAT64 gateway turns back into the IPv4 address
];

function ipv6Special(groups: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0] = groups;
  const ipv4At = (i: number) => (groups[i] ?? 0) * 65536 + (groups[i + 1] ?? 0);
  if (IPV4_CARRIERS.some((prefix) => startsWith(groups, prefix))) return ipv4Special(ipv4At(6));
  // 6to4: the IPv4 address of the site sits in groups 1-2; a private one leads into that network.
  if (g0 === 0x2002) return ipv4Special(ipv4At(1));
  return (
    (g0 === 0x64 && g1 === 0xff9b && g2 === 1) || // 64:ff9b:1::/48 local-use NAT64 (RFC 8215)
    startsWith(groups, [0x100, 0, 0, 0]) || // 100::/64 discard-only
    (g0 === 0x2001 && (g1 === 0 || g1 === 0xdb8)) || // Teredo, documentation
    (g0 & 0xfff0) === 0x3ff0 || // 3fff::/20 documentation
    (g0 & 0xfe00) === 0xfc00 || // fc00::/7 unique-local
    (g0 & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (g0 & 0xffc0) === 0xfec0 || // fec0::/10 site-local: deprecated, still found inside older networks
    (g0 & 0xff00) === 0xff00 // multicast
  );
}

/**
 * Whether a host as the URL parser writes it (`127.0.0.1`, `[::1]`; decimal, hex and octal IPv4 are already dotted
 * decimal there) is a special-use address. Null when the host is not an IP literal.
 */
export function isSpecialAddressHost(host: string): boolean | null {
  const v4 = ipv4Number(host);
  if (v4 !== null) return ipv4Special(v4);
  if (!host.startsWith('[')) return null;
  const groups = ipv6Groups(host.slice(1, -1).toLowerCase());
  // The URL parser only hands over valid addresses; anything else is not called public.
  return groups === null || ipv6Special(groups);
}

/**
 * Whether an address as the network reports it (`webRequest`'s `ip`, `dns.resolve`'s answers: `10.0.0.1`, `::1`,
 * `::ffff:127.0.0.1`) is special-use. Anything that does not parse as an address is not called public.
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith('[') ? ip.slice(1, -1) : ip;
  const host = URL.parse(`http://${bare.includes(':') ? `[${bare}]` : bare}/`)?.hostname;
  return host === undefined || (isSpecialAddressHost(host) ?? true);
}
