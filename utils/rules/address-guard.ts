import { isPrivateAddress } from './private-addresses';

/**
 * The private-network guard by address, for one run from a public page. The guard by name (private-network.ts) cannot
 * see a public name that resolves into the user's network (`127.0.0.1.nip.io`, `localtest.me`, DNS rebinding).
 * Chromium gives extensions no DNS: the server's address is known only from the first answer (`webRequest`'s `ip`).
 * So the first request to a host may reach it; once a host answers from a private address, that answer is not used
 * and nothing more is sent to the host in this run: GET fallback, retries, redirect hops, fragment reads. Where the
 * browser can be told which address space a request must reach (Chromium's `targetAddressSpace`, verified on
 * Chromium 156: a request naming `public` whose server's address is loopback or private fails with `net::ERR_FAILED`
 * once connected, before anything of it is sent), requests name `public` and even that first one goes nowhere.
 *
 * It protects the networks the page itself is not on: a page served from a private address (an intranet page, a dev
 * server, and the test pages on loopback) may check its own network, as the guard by name already allows; its
 * `*.test` pages are guarded by name only.
 */
export interface AddressGuard {
  /** Whether a request may still be sent to this host (`URL.host`): false once it answered from a private address. */
  mayContact(host: string): boolean;
  /**
   * Before a request to `url`: whether it may be sent. Where the browser resolves names for extensions (Firefox's
   * `dns.resolve`), the name is resolved first and a private answer closes the host before anything is sent.
   */
  beforeSend(url: URL): Promise<boolean>;
  /**
   * After an answer from `host` at `address` (null when the browser did not say): whether it may be used. A private
   * address refuses it and closes the host for the rest of the run.
   */
  accept(host: string, address: string | null): Promise<boolean>;
  /**
   * The address space a request must name (`targetAddressSpace`): `public` where the browser enforces it and the page
   * is not known to be on a private network; undefined otherwise (Firefox resolves names first instead).
   */
  addressSpace(): 'public' | undefined;
  /**
   * The browser refused a request to `host` that named `public`: its server is not at a public address. True when
   * the page is public (the host is closed for the run, nothing was sent); false when the page is itself on a private
   * network, which it may check: the request is to be sent again naming no space, as every later one is.
   */
  refusedAsNotPublic(host: string): Promise<boolean>;
  /**
   * Whether an answer from `host` was taken only because the page is itself on a private network: from a private
   * address, or from one the browser did not say once the page was known to be private. Such an answer is this
   * network's, and no public page's (the result cache keeps it apart).
   */
  answeredForPageOnly(host: string): boolean;
  /** Whether the page is on a private network (its address looked up once, as for the requests). */
  pageOnPrivateNetwork(): Promise<boolean>;
}

export interface AddressGuardOptions {
  /** A name's addresses, where the browser can tell before a request (Firefox); absent in Chromium. */
  resolve?: (hostname: string) => Promise<string[]>;
  /** The browser refuses a request naming an address space its server is not in (Chromium's `targetAddressSpace`). */
  addressSpaces?: boolean;
  /** How long a host's requests wait for its lookup (see LOOKUP_TIMEOUT_MS). */
  lookupTimeoutMs?: number;
}

/** How long requests to a host wait for its name lookup (Firefox's `dns.resolve`), which may never answer. */
const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * @param pageAddress the address the page itself was served from (looked up once: when a private address is first met,
 *   or at once where address spaces are named; null when unknown, which counts as public: an unknown page must not
 *   open the user's network).
 */
export function createAddressGuard(
  pageAddress: () => Promise<string | null>,
  { resolve, addressSpaces = false, lookupTimeoutMs = LOOKUP_TIMEOUT_MS }: AddressGuardOptions = {},
): AddressGuard {
  const closed = new Set<string>();
  /** Hosts whose answer was taken for the page's own network (bounded by the run's hosts). */
  const forPageOnly = new Set<string>();
  const resolved = new Map<string, Promise<boolean>>();
  let pageOnPrivateNetwork: Promise<boolean> | null = null;
  /** Set once the page is known to be on a private network: requests then name no address space. */
  let pageKnownPrivate = false;
  const pageIsPrivate = () => {
    pageOnPrivateNetwork ??= pageAddress().then(
      (page) => {
        pageKnownPrivate = page !== null && isPrivateAddress(page);
        return pageKnownPrivate;
      },
      () => false,
    );
    return pageOnPrivateNetwork;
  };
  const accept = async (host: string, address: string | null) => {
    if (closed.has(host)) return false;
    if (address === null) {
      if (pageKnownPrivate) forPageOnly.add(host);
      return true;
    }
    if (!isPrivateAddress(address)) return true;
    if (await pageIsPrivate()) {
      forPageOnly.add(host);
      return true;
    }
    closed.add(host);
    return false;
  };
  // Naming `public` on the requests of a page on a private network costs each first one a refusal: where spaces are
  // named, the page's address is looked up at once (it is usually recorded from its tab's load: no request).
  if (addressSpaces) void pageIsPrivate();
  return {
    mayContact: (host) => !closed.has(host),
    accept,
    answeredForPageOnly: (host) => forPageOnly.has(host),
    pageOnPrivateNetwork: pageIsPrivate,
    addressSpace: () => (addressSpaces && !pageKnownPrivate ? 'public' : undefined),
    async refusedAsNotPublic(host) {
      if (await pageIsPrivate()) return false;
      closed.add(host);
      return true;
    },
    async beforeSend(url) {
      if (closed.has(url.host)) return false;
      // An IP literal is the guard by name's to judge; a name is resolved once per run.
      if (!resolve || url.hostname.startsWith('[') || /^[\d.]+$/.test(url.hostname)) return true;
      let allowed = resolved.get(url.host);
      if (!allowed) {
        const lookup = resolve(url.hostname).then(
          async (addresses) => {
            for (const address of addresses) if (!(await accept(url.host, address))) return false;
            return true;
          },
          // A name that does not resolve is the request's own failure to report (dns).
          () => true,
        );
        // Every request to the host waits for this one lookup: one that does not answer must not hold them all. Past
        // the bound they go, and the guard by the answer's address stands; a late private answer still closes the host.
        allowed = new Promise<boolean>((settle) => {
          const timer = setTimeout(() => settle(true), lookupTimeoutMs);
          void lookup.then((ok) => {
            clearTimeout(timer);
            settle(ok);
          });
        });
        resolved.set(url.host, allowed);
      }
      return allowed;
    },
  };
}
