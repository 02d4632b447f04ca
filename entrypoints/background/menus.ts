import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { COLLECT_MAX_MS, COLLECT_SLICE_CHARS, collectLinks } from '@/utils/collect/collect-links';
import { moreCollectedLinks } from '@/utils/collect/held-collections';
import { readIgnored } from '@/utils/history/ignore-store';
import { MAX_SELECTION_CHARS, MAX_SELECTION_LINKS } from '@/utils/menu/menu-check';
import { MenuChecks } from '@/utils/menu/menu-checks';
import { MENU_ITEMS, type MenuClick, readMenuClick } from '@/utils/menu/menu-items';
import { isAnswerClientMessage } from '@/utils/menu/protocol';
import { COLLECT_TIMEOUT_MS, collectWithin } from '@/utils/run/collection';
import type { CheckJob } from '@/utils/run/platform';
import type { KeyValueArea } from '@/utils/run/stored-run';
import { readSettings } from '@/utils/settings-store';

export const MENU_ALARM = 'linkpulse-menu-checks';
/** A selection check reads anchors and areas only: the resource kinds are a page check's options. */
const ANCHORS_ONLY = { images: false, scripts: false, stylesheets: false, media: false, iframes: false };

/**
 * The context menu: its entries, its clicks, and the answer window. Built in the worker's main(); `clicked` and the
 * answer port are wired there synchronously, `install` from runtime.onInstalled (menus persist across restarts).
 */
export function createMenus(area: KeyValueArea, check: (job: CheckJob) => Promise<void>) {
  const checks = new MenuChecks({
    area,
    readSettings,
    readIgnored,
    check,
    collectSelection: (tabId, frameId) =>
      collectWithin(
        COLLECT_TIMEOUT_MS,
        async () => {
          const [injection] = await browser.scripting.executeScript({
            target: { tabId, frameIds: [frameId] },
            func: collectLinks,
            args: [
              ANCHORS_ONLY,
              MAX_SELECTION_LINKS,
              MAX_SELECTION_CHARS,
              COLLECT_SLICE_CHARS,
              COLLECT_MAX_MS,
              {},
              true,
              'selection',
            ],
          });
          return injection?.result;
        },
        async (from, held) => {
          const [injection] = await browser.scripting.executeScript({
            target: { tabId, frameIds: [frameId] },
            func: moreCollectedLinks,
            args: [from, COLLECT_SLICE_CHARS, held],
          });
          return injection?.result;
        },
      ),
    async show(id, kind) {
      // A small window of its own: it stays while the person reads it, unlike the toolbar popup, which closes on the
      // first click elsewhere (and, opened, starts a check of the whole page).
      await browser.windows.create({
        url: browser.runtime.getURL(`/answer.html?id=${encodeURIComponent(id)}`),
        type: 'popup',
        ...(kind === 'link' ? { width: 520, height: 440 } : { width: 720, height: 640 }),
      });
    },
    keepAwake(on) {
      if (on) browser.alarms.create(MENU_ALARM, { periodInMinutes: 0.5 });
      else browser.alarms.clear(MENU_ALARM).catch(() => {});
    },
    timers: {
      now: Date.now,
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (t) => clearTimeout(t as number),
    },
    newId: () => crypto.randomUUID(),
    log: console,
  });
  return {
    checks,
    /** Registers the entries afresh (an update may change them). */
    async install() {
      await browser.contextMenus.removeAll();
      for (const { id, titleKey, contexts } of MENU_ITEMS) {
        browser.contextMenus.create({ id, title: i18n.t(titleKey), contexts });
      }
    },
    /** A click on an entry: ours start a check; a click the browser could not describe says why in the console. */
    clicked(info: MenuClick, tabId: number | undefined) {
      const request = readMenuClick(info, tabId);
      if (request === null) return;
      if (typeof request === 'string') {
        console.warn(`Linkpulse: ${request}`);
        return;
      }
      void checks.start(request);
    },
    /** The answer window's port: it follows one check, and may stop it. */
    connect(port: {
      postMessage(message: unknown): void;
      onMessage: { addListener(listener: (message: unknown) => void): void };
      onDisconnect: { addListener(listener: () => void): void };
    }) {
      let unwatch: (() => void) | null = null;
      port.onMessage.addListener((message) => {
        if (!isAnswerClientMessage(message)) return;
        if (message.type === 'answer-stop') checks.stop(message.id);
        else if (unwatch === null) unwatch = checks.watch(message.id, (m) => port.postMessage(m));
      });
      port.onDisconnect.addListener(() => unwatch?.());
    },
  };
}
