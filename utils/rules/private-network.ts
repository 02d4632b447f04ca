import { isSpecialAddressHost } from './private-addresses';
import { isPrivateName } from './private-names';

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
 * Whether a URL's host, as written, names the user's own machine or network: a special-use address in any notation
 * (see private-addresses.ts) or a private name (see private-names.ts). Judged on the name; what it resolves to is the
 * address guard's part (address-guard.ts).
 */
export function isPrivateHost(hostname: string): boolean {
  const host = trimTrailingDots(hostname.toLowerCase());
  return isSpecialAddressHost(host) ?? isPrivateName(host);
}
