import { isPrivateAddress } from './private-addresses';

/**
 * The private-network guard by address, for one run from a public page. The guard by name (private-network.ts) cannot
 * see a public name that resolves into the user's network (`127.0.0.1.nip.io`, `localtest.me`, DNS rebinding).
 * Chromium gives extensions no DNS: the server's address is known only from the first answer (`webRequest`'s `ip`).
 * So the first request to a host may reach it; once a host answers from a private address, that answer is not used
 * and nothing more is sent to the host in this run: GET fallback, retries, redirect hops, fragment reads.
 *
 * It protects the networks the page itself is not on: a page served from a private address (an intranet page, a dev
 * server, and the test pages on loopback) may check its own network, as the guard by name already allows; its
 * `*.test` pages are guarded by name only.
 */
export interface AddressGuard {
  /** Whether a request may still be sent to this host (`URL.host`): false once it answered from a private address. */
  mayContact(host: string): boolean;
  /**
   * After an answer from `host` at `address` (null when the browser did not say): whether it may be used. A private
   * address refuses it and closes the host for the rest of the run.
   */
  accept(host: string, address: string | null): Promise<boolean>;
}

/**
 * @param pageAddress the address the page itself was served from (looked up once, when a private address is first met;
 *   null when unknown, which counts as public: an unknown page must not open the user's network).
 */
export function createAddressGuard(pageAddress: () => Promise<string | null>): AddressGuard {
  const closed = new Set<string>();
  let pageOnPrivateNetwork: Promise<boolean> | null = null;
  return {
    mayContact: (host) => !closed.has(host),
    async accept(host, address) {
      if (closed.has(host)) return false;
      if (address === null || !isPrivateAddress(address)) return true;
      pageOnPrivateNetwork ??= pageAddress().then(
        (page) => page !== null && isPrivateAddress(page),
        () => false,
      );
      if (await pageOnPrivateNetwork) return true;
      closed.add(host);
      return false;
    },
  };
}
