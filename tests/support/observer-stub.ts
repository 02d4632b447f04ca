import type { NetObserver, RequestWatch } from '../../utils/check/request';

/**
 * What webRequest would tell the worker about each request, without a browser: whether it saw the request go out
 * (`seen`, false for one the browser refused to send) and Chromium's error name. No redirects (Node's fetch hands over the 3xx itself).
 */
export function observerStub(
  options: { seen?: (url: string) => boolean; netError?: (url: string) => string | null } = {},
): NetObserver {
  return {
    watch(url: string): RequestWatch {
      return {
        seen: () => options.seen?.(url) ?? true,
        redirect: () => null,
        netError: () => options.netError?.(url) ?? null,
        settled: async () => {},
        dispose: () => {},
      };
    },
  };
}
