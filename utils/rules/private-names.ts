/**
 * Names that only mean something inside the user's own machine or network. A name is private when it is one of these
 * or ends with `.` + one of these (`printer.local`, `nas.home.arpa`), and whenever it has a single label (`router`,
 * `wiki`: a search-domain name that the user's resolver completes inside the local network; no public name is dotless).
 * The table is the one place this list lives; SECURITY.md and the README point here.
 */
export const PRIVATE_NAME_SUFFIXES: readonly (readonly [suffix: string, why: string])[] = [
  ['localhost', 'RFC 6761: the loopback interface, by definition'],
  ['localdomain', 'Unix default domain: `localhost.localdomain`'],
  ['local', 'RFC 6762: multicast DNS, answered by devices on the local link'],
  ['home.arpa', 'RFC 8375: home networks'],
  ['internal', 'reserved by ICANN (2024) for private use, never delegated'],
  ['intranet', 'common private-use suffix, not delegated'],
  ['lan', 'router default on many home networks, not delegated'],
  ['home', 'ICANN name-collision list: never delegated, widely used at home'],
  ['corp', 'ICANN name-collision list: never delegated, widely used in companies'],
  ['mail', 'ICANN name-collision list: never delegated'],
  ['private', 'common private-use suffix, not delegated'],
  ['priv', 'common private-use suffix, not delegated'],
  ['fritz.box', 'AVM FRITZ!Box routers answer for it inside the network'],
  ['speedport.ip', 'Telekom Speedport routers'],
  ['routerlogin.net', 'Netgear routers answer for it inside the network'],
  ['routerlogin.com', 'Netgear routers answer for it inside the network'],
  ['tplinkwifi.net', 'TP-Link routers answer for it inside the network'],
  ['tplinklogin.net', 'TP-Link routers answer for it inside the network'],
  ['router.asus.com', 'ASUS routers answer for it inside the network'],
];

/** Whether a DNS name (lower case, no trailing dot, not an IP literal) names something in the user's own network. */
export function isPrivateName(name: string): boolean {
  // `localhost`, `ip6-localhost`, `ip6-loopback`, `router`: a single label.
  if (!name.includes('.')) return true;
  return PRIVATE_NAME_SUFFIXES.some(([suffix]) => name === suffix || name.endsWith(`.${suffix}`));
}
