import { type Browser, browser } from 'wxt/browser';
import type { ResultCache } from '@/utils/check/check-links';
import type { TargetDeps } from '@/utils/check/check-target';
import type { Limiter } from '@/utils/check/limiter';
import type { NetObserver } from '@/utils/check/request';
import { CrawlManager } from '@/utils/crawl/crawl-manager';
import { CrawlStore } from '@/utils/crawl/crawl-store';
import { type CrawlServerMessage, inParts, isCrawlClientMessage } from '@/utils/crawl/protocol';
import type { History } from '@/utils/history/history-store';
import { readIgnored } from '@/utils/history/ignore-store';
import { createSiteHistory } from '@/utils/history/site-history';
import { readSettings } from '@/utils/settings-store';
import type { LinkpulseDb } from '@/utils/storage/database';

export const CRAWL_ALARM = 'linkpulse-crawl';
/** An extension API call this often keeps Chrome from stopping the worker mid-crawl (it stops after 30 s idle). */
const HEARTBEAT_MS = 20_000;

/** Site checks: the crawl lifecycle (utils/crawl) wired to IndexedDB, tabs, alarms and the crawl page's port. */
export function createCrawls(shared: {
  limiter: Limiter;
  cache: ResultCache;
  deps: TargetDeps & { observer?: NetObserver };
  /** IndexedDB and the kept history, the worker's one of each, opened on first use (see index.ts). */
  database: () => Promise<LinkpulseDb>;
  history: () => History;
}) {
  let store: Promise<CrawlStore> | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  const manager = new CrawlManager({
    store: () => {
      store ??= shared.database().then((d) => new CrawlStore(d));
      return store;
    },
    history: createSiteHistory({
      get history() {
        return shared.history();
      },
      isPrivate: (tabId) => browser.tabs.get(tabId).then((tab) => tab.incognito),
      log: console,
    }),
    readSettings,
    readIgnored,
    tabUrl: (tabId) =>
      browser.tabs.get(tabId).then(
        (tab) => tab.url ?? null,
        () => null,
      ),
    limiter: shared.limiter,
    cache: shared.cache,
    deps: shared.deps,
    keepAlive(on) {
      if (on) {
        browser.alarms.create(CRAWL_ALARM, { periodInMinutes: 0.5 });
        heartbeat ??= setInterval(() => void browser.runtime.getPlatformInfo().catch(() => {}), HEARTBEAT_MS);
      } else {
        browser.alarms.clear(CRAWL_ALARM).catch(() => {});
        if (heartbeat) clearInterval(heartbeat);
        heartbeat = null;
      }
    },
    newId: () => crypto.randomUUID(),
  });
  return {
    connect(port: Browser.runtime.Port): void {
      let tabId: number | null = null;
      let unwatch: (() => void) | null = null;
      // A big crawl's rows go in parts: one port message holds at most 64 MiB.
      const post = (m: CrawlServerMessage) => {
        for (const part of inParts(m)) port.postMessage(part);
      };
      port.onMessage.addListener((message: unknown) => {
        if (!isCrawlClientMessage(message)) return;
        // One port watches one tab.
        if (tabId === null) {
          tabId = message.tabId;
          unwatch = manager.watch({
            tabId,
            post: (m) => {
              try {
                post(m);
              } catch {
                // The page closed between two batches: the crawl goes on.
              }
            },
          });
        }
        if (message.tabId !== tabId) return;
        manager.handle({ tabId, post }, message).catch((error) => {
          // The page closed meanwhile, most likely; anything else is for the console, not an unhandled rejection.
          console.error('Linkpulse: could not answer the crawl page', error);
        });
      });
      port.onDisconnect.addListener(() => unwatch?.());
    },
    /** Woken by the alarm: the manager's constructor has already picked up any crawl left running. */
    wake(): void {
      void manager.restored;
    },
  };
}
