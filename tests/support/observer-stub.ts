import type { NetObserver, RequestWatch } from '../../utils/check/request';

/**
 * What webRequest would tell the worker about each request, without a browser: whether it saw the request go out
 * (`seen`, false for one the browser refused to send), Chromium's error name, and with `address` the server's address
 * (what a name "resolved" to, for the guard by address). No redirects (Node's fetch hands over the 3xx itself).
 */
export function observerStub(
  options: {
    seen?: (url: string) => boolean;
    netError?: (url: string) => string | null;
    address?: (url: string) => string | null;
  } = {},
): NetObserver {
  const { address } = options;
  return {
    watch(url: string): RequestWatch {
      return {
        seen: () => options.seen?.(url) ?? true,
        redirect: () => null,
        netError: () => options.netError?.(url) ?? null,
        settled: async () => {},
        ...(address ? { address: async () => address(url) } : {}),
        dispose: () => {},
      };
    },
  };
}
