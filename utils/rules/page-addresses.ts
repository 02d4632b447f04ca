import type { NetObserver } from '../check/request';
import type { KeyValueArea } from '../run/stored-run';

const KEY = 'page-addresses';
/** Hosts remembered (the newest first): only the address of the page a run starts on is ever needed. */
const MAX_HOSTS = 200;

export interface PageAddresses {
  /** The browser loaded a page of this URL from this server address (a tab's main document). */
  record(url: string, address: string): void;
  /**
   * The address a page was served from: as recorded when the tab loaded it, or else asked of its server once per host
   * with a HEAD without cookies (a page loaded before the extension started), and remembered like a recorded one.
   * Lookups of one host at the same moment share that HEAD. Null when neither says.
   */
  lookup(pageUrl: string): Promise<string | null>;
}

export function createPageAddresses(area: KeyValueArea, fetchImpl: typeof fetch, observer: NetObserver): PageAddresses {
  const byHost = new Map<string, string>();
  const loaded = area
    .get(KEY)
    .then((stored) => {
      const list = stored[KEY];
      if (!Array.isArray(list)) return;
      for (const entry of list) {
        if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string') {
          if (!byHost.has(entry[0])) byHost.set(entry[0], entry[1]);
        }
      }
    })
    .catch(() => {});
  const save = () => area.set({ [KEY]: [...byHost] }).catch(() => {});
  const remember = (host: string, address: string) => {
    byHost.delete(host);
    byHost.set(host, address);
    for (const oldest of byHost.keys()) {
      if (byHost.size <= MAX_HOSTS) break;
      byHost.delete(oldest);
    }
    void save();
  };
  /** HEADs under way, by host: the pages of one site (a site check) ask together and get one answer. */
  const asking = new Map<string, Promise<string | null>>();
  const ask = async (page: URL): Promise<string | null> => {
    const watch = observer.watch(page.href);
    try {
      const response = await fetchImpl(page.href, {
        method: 'HEAD',
        credentials: 'omit',
        redirect: 'manual',
        cache: 'no-store',
        signal: AbortSignal.timeout(10_000),
      });
      response.body?.cancel().catch(() => {});
      const address = (await watch.address?.(1_000)) ?? null;
      // A tab's own load recorded meanwhile is the better witness: it stays.
      if (address && !byHost.has(page.host)) remember(page.host, address);
      return byHost.get(page.host) ?? address;
    } catch {
      return null;
    } finally {
      watch.dispose();
    }
  };
  return {
    record(url, address) {
      const host = URL.parse(url)?.host;
      if (!host) return;
      void loaded.then(() => remember(host, address));
    },
    async lookup(pageUrl) {
      const page = URL.parse(pageUrl);
      if (!page || (page.protocol !== 'http:' && page.protocol !== 'https:')) return null;
      await loaded;
      const known = byHost.get(page.host);
      if (known) return known;
      let pending = asking.get(page.host);
      if (!pending) {
        pending = ask(page).finally(() => asking.delete(page.host));
        asking.set(page.host, pending);
      }
      return pending;
    },
  };
}
