import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { checkLinks, realTimeDeps } from '@/utils/check/check-links';
import { createLimiter, sleepUnlessAborted } from '@/utils/check/limiter';
import { createNetObserver } from '@/utils/check/net-observer';
import { createResultCache } from '@/utils/check/result-cache';
import { COLLECT_SLICE_CHARS } from '@/utils/collect/collect-links';
import { moreCollectedLinks } from '@/utils/collect/held-collections';
import { historyAnnouncer } from '@/utils/history/history-changes';
import { createHistory, type History } from '@/utils/history/history-store';
import { readIgnored } from '@/utils/history/ignore-store';
import { PRUNE_LIMITS } from '@/utils/history/prune';
import { createRunHistory, keepRunEnds } from '@/utils/history/run-history';
import { LivePages } from '@/utils/live/live-pages';
import { portPeer } from '@/utils/port-senders';
import { isClientMessage } from '@/utils/protocol';
import { createPageAddresses } from '@/utils/rules/page-addresses';
import { COLLECT_TIMEOUT_MS, collectWithin, requireAccess } from '@/utils/run/collection';
import { RunLifecycle } from '@/utils/run/lifecycle';
import { realClock } from '@/utils/run/platform';
import { sessionArea } from '@/utils/run/session-area';
import type { KeyValueArea } from '@/utils/run/stored-run';
import { AUTO_GLOBAL_CONCURRENCY, DEFAULT_SETTINGS } from '@/utils/settings';
import { readSettings } from '@/utils/settings-store';
import { type LinkpulseDb, openLinkpulseDb } from '@/utils/storage/database';
import { iconPaths } from '@/utils/toolbar-icon';
import { VERDICT_PALETTE } from '@/utils/verdict-palette';
import { VerifyService } from '@/utils/verify/verify-service';
import { CRAWL_ALARM, createCrawls } from './crawls';
import { createMenus, MENU_ALARM } from './menus';
import { webRequestEvents } from './net-events';
import { createProtocolObserver } from './protocol-observer';
import { createVerifyTabs } from './verify-tabs';

const RESUME_ALARM = 'linkpulse-resume';
/** The live page script as WXT builds it (entrypoints/live.ts). */
const LIVE_SCRIPT = '/live.js';

export default defineBackground({
  type: 'module',
  main() {
    // Every listener is registered synchronously here: one added after an await would miss the event that woke us.
    // Feature-detected: where a browser lacks storage.session, runs live in memory (said in the console).
    const area = sessionArea(browser.storage.session as KeyValueArea | undefined);
    const cache = createResultCache(area);
    const observer = createNetObserver(webRequestEvents(), new URL(browser.runtime.getURL('/')).origin);
    // The guard by address protects the networks the page is not on: it needs the address each tab's page came from.
    const pageAddresses = createPageAddresses(area, fetch, observer);
    browser.webRequest.onResponseStarted.addListener(
      (d) => {
        if (d.ip) pageAddresses.record(d.url, d.ip);
      },
      { urls: ['<all_urls>'], types: ['main_frame'] },
    );
    // Firefox resolves names for extensions (the `dns` permission): a private answer stops a host before any request.
    const resolveHost = import.meta.env.FIREFOX
      ? async (hostname: string) => {
          // Firefox's own API, absent from Chromium's types.
          const { dns } = browser as unknown as { dns: { resolve(name: string): Promise<{ addresses: string[] }> } };
          return (await dns.resolve(hostname)).addresses;
        }
      : undefined;
    // Which hosts answer over HTTP/2 or 3 (a higher per-host limit where the person allows it): the browser says.
    const protocolOf = createProtocolObserver();
    // Chromium refuses a request naming `targetAddressSpace: 'public'` whose server is not public, before sending it.
    const addressSpaces = 'targetAddressSpace' in Request.prototype;
    const deps = {
      ...realTimeDeps(fetch),
      observer,
      pageAddress: pageAddresses.lookup,
      resolveHost,
      addressSpaces,
      protocolOf,
    };
    // One limiter for all runs: two tabs checking one host share its limit. Each run joins it with its own settings
    // (its own global throttle; the strictest per-host limit of the runs going); in all, at most the automatic cap.
    const limiter = createLimiter({ global: AUTO_GLOBAL_CONCURRENCY, perHost: DEFAULT_SETTINGS.perHostConcurrency });
    // IndexedDB and the kept history over it, one of each for page checks and site checks, opened on first use, not
    // here: a worker woken for anything else does not touch IndexedDB. An open report or crawl page lists a check
    // kept after it ended once the history says it changed.
    let db: Promise<LinkpulseDb> | undefined;
    const database = () => {
      db ??= openLinkpulseDb();
      return db;
    };
    let history: History | undefined;
    const keptHistory = () => {
      history ??= createHistory(database(), PRUNE_LIMITS, historyAnnouncer());
      return history;
    };
    const runHistory = createRunHistory({
      get history() {
        return keptHistory();
      },
      readIgnored,
      isPrivate: (tabId) => browser.tabs.get(tabId).then((tab) => tab.incognito),
      now: Date.now,
      log: console,
    });
    const runs = new RunLifecycle({
      area,
      prepare: () => cache.load(),
      readSettings,
      // The live content script collects (its first slice, then the rest as the page holds it), then follows the page
      // while the run goes on or a page shows it.
      collect: (tabId, settings, maxLinks) =>
        collectWithin(
          COLLECT_TIMEOUT_MS,
          async () => {
            requireAccess((await browser.tabs.get(tabId)).url);
            return live.collect(tabId, settings, maxLinks);
          },
          async (from, held) => {
            const [injection] = await browser.scripting.executeScript({
              target: { tabId, frameIds: [0] },
              func: moreCollectedLinks,
              args: [from, COLLECT_SLICE_CHARS, held],
            });
            return injection?.result;
          },
        ),
      check: (job) => checkLinks({ ...job, deps, limiter, cache }),
      setBadge(tabId, broken) {
        browser.action.setBadgeText({ tabId, text: broken > 0 ? String(broken) : '' }).catch(() => {});
        browser.action.setBadgeBackgroundColor({ tabId, color: VERDICT_PALETTE.light.broken }).catch(() => {});
      },
      setIcon(tabId, state) {
        browser.action.setIcon({ tabId, path: iconPaths(state) }).catch(() => {});
      },
      keepAwake(on) {
        // The alarm exists only while a run is going: waking a stopped worker is enough, its runs resume on their own.
        if (on) browser.alarms.create(RESUME_ALARM, { periodInMinutes: 0.5 });
        else browser.alarms.clear(RESUME_ALARM).catch(() => {});
      },
      clock: realClock,
      newRunId: () => crypto.randomUUID(),
      log: console,
      prepareRun: (run) => runHistory.prepare(run),
      prepareJoined: (run) => runHistory.joined(run),
    });
    keepRunEnds(runs, runHistory);
    const tabs = createVerifyTabs(area);
    const verifier = new VerifyService(runs, {
      tabs,
      closeLeftovers: () => tabs.closeLeftovers(),
      clock: { now: () => Date.now(), sleep: sleepUnlessAborted },
      area,
      log: console,
    });
    void verifier.resume();
    const crawls = createCrawls({ limiter, cache, deps, database, history: keptHistory });
    // The context menu's checks: the same engine, limiter and cache as page checks.
    const menus = createMenus(area, (job) => checkLinks({ ...job, deps, limiter, cache }));
    // Absent where a browser has no context menu for extensions (Firefox for Android): the rest works without it.
    const contextMenus = browser.contextMenus as typeof browser.contextMenus | undefined;
    if (contextMenus) {
      browser.runtime.onInstalled.addListener(() => void menus.install());
      contextMenus.onClicked.addListener((info, tab) => menus.clicked(info, tab?.id));
    }
    const live = new LivePages(runs, {
      async inject(tabId) {
        await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: [LIVE_SCRIPT] });
      },
      command: (tabId, command) => browser.tabs.sendMessage(tabId, command, { frameId: 0 }),
      tabUrl: (tabId) => browser.tabs.get(tabId).then((tab) => tab.url),
      newToken: () => crypto.randomUUID(),
      area,
      sleep: (ms) => new Promise((resolve) => setTimeout(() => resolve(undefined), ms)),
      log: console,
    });
    browser.runtime.onConnect.addListener((port) => {
      const peer = portPeer(port.name, port.sender, { id: browser.runtime.id, origin: browser.runtime.getURL('/') });
      // The live content script of a tab's top frame reports links its page gained; it names nothing else, and what
      // it reports goes through the same rules as collected links (utils/live/live-pages.ts).
      if (peer.kind === 'live') {
        const tabId = peer.tabId;
        live.attached(tabId, port);
        port.onMessage.addListener((message: unknown) => void live.receive(tabId, port, message));
        port.onDisconnect.addListener(() => live.detached(tabId, port));
        return;
      }
      if (peer.kind === 'crawl') {
        crawls.connect(port);
        return;
      }
      if (peer.kind === 'answer') {
        menus.connect(port);
        return;
      }
      if (peer.kind !== 'run') {
        port.disconnect();
        return;
      }
      const connection = runs.connect({ post: (message) => port.postMessage(message) });
      // A page watches the one tab its first message names (as the lifecycle holds it): the page is followed meanwhile.
      let watched: number | null = null;
      port.onMessage.addListener((message: unknown) => {
        if (watched === null && isClientMessage(message)) {
          watched = message.tabId;
          live.pageOpened(watched);
        }
        void connection.receive(message);
      });
      port.onMessage.addListener(async (message: unknown) => {
        await runs.restored;
        if (!isClientMessage(message) || message.type !== 'verify') return;
        if (message.action === 'start') verifier.start(message.tabId);
        else verifier.stop(message.tabId);
      });
      port.onDisconnect.addListener(() => {
        connection.disconnect();
        if (watched !== null) live.pageClosed(watched);
      });
    });
    browser.tabs.onRemoved.addListener((tabId) => void runs.forget(tabId));
    browser.tabs.onUpdated.addListener((tabId, change, tab) => {
      if (change.url) void live.navigated(tabId, change.url);
      // A page outside the host access loads with no address at all (neither in the change nor on the tab).
      else if (change.status === 'loading' && tab.url === undefined) void runs.leftForHiddenPage(tabId);
      if (change.status === 'complete' && tab.url) void live.loaded(tabId, tab.url);
    });
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === RESUME_ALARM) runs.wake();
      if (alarm.name === CRAWL_ALARM) crawls.wake();
      if (alarm.name === MENU_ALARM) menus.checks.wake();
    });
  },
});
