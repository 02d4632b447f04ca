function ipv4Private(host: string): boolean | null {
  const parts = host.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p))) return null;
  const [a = 0, b = 0] = parts.map(Number);
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
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

/** First six groups of the IPv6 forms that carry an IPv4 address in their last 32 bits, judged by that address. */
const IPV4_CARRIERS = [
  [0, 0, 0, 0, 0, 0], // ::/96 IPv4-compatible (deprecated), `::` and `::1` included
  [0, 0, 0, 0, 0, 0xffff], // ::ffff:0:0/96 IPv4-mapped
  [0, 0, 0, 0, 0xffff, 0], // ::ffff:0:0:0/96 IPv4-translated
  [0x64, 0xff9b, 0, 0, 0, 0], // 64:ff9b::/96 NAT64, which a NAT64 gateway turns back into the IPv4 address
];

function ipv6Private(host: string): boolean | null {
  if (!host.startsWith('[')) return null;
  const groups = ipv6Groups(host.slice(1, -1).toLowerCase());
  // The URL parser only hands over valid addresses; anything else is not called public.
  if (!groups) return true;
  if (IPV4_CARRIERS.some((prefix) => prefix.every((group, i) => groups[i] === group))) {
    const [g = 0, h = 0] = groups.slice(6);
    return ipv4Private(`${g >> 8}.${g & 255}.${h >> 8}.${h & 255}`) ?? false;
  }
  const first = groups[0] ?? 0;
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique-local
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xffc0) === 0xfec0 // fec0::/10 site-local: deprecated, still found inside older networks
  );
}

/**
 * The URL parser keeps every trailing dot (`localhost..`); the name is judged without them rather than by a guess
 * at what a resolver makes of them. A loop, not `/\.+$/`, which backtracks quadratically on a hostile run of dots.
 */
function trimTrailingDots(host: string): string {
  let end = host.length;
  while (end > 0 && host[end - 1] === '.') end--;
  return host.slice(0, end);
}

/**
 * Whether a URL's host, as written, names the user's own machine or network. Judged on the name, not the resolved
 * address: DNS answers are not visible to an extension before the request is made.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = trimTrailingDots(hostname.toLowerCase());
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
  return ipv4Private(host) ?? ipv6Private(host) ?? false;
}
