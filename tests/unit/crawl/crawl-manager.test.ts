// The site-check lifecycle on its own: starting, replacing and cancelling the check of a tab. An in-memory IndexedDB and
// a fetch that never answers (each request waits until it is aborted), so a request still open is a check still going.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { realTimeDeps } from '../../../utils/check/check-links';
import { createLimiter } from '../../../utils/check/limiter';
import { CrawlManager, type CrawlPlatform } from '../../../utils/crawl/crawl-manager';
import { CrawlStore } from '../../../utils/crawl/crawl-store';
import type { CrawlMeta, CrawlOptions } from '../../../utils/crawl/types';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { openLinkpulseDb } from '../../../utils/storage/database';
import { crawl, page } from '../../support/stored-crawls';
import { until } from '../../support/until';

const TAB = 3;
const OPTIONS: CrawlOptions = {
  maxDepth: 3,
  maxPages: 500,
  samePathOnly: false,
  useSitemap: false,
  respectRobots: false,
  asMe: false,
};

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** A manager whose requests hang until aborted; `open()` lists those not aborted. */
function silentSite() {
  const requests: { url: string; signal: AbortSignal }[] = [];
  const hang: typeof fetch = (input, init) =>
    new Promise((_, reject) => {
      const signal = init?.signal ?? new AbortController().signal;
      requests.push({ url: String(input), signal });
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  const db = openLinkpulseDb();
  let ids = 0;
  const platform: CrawlPlatform = {
    store: async () => new CrawlStore(await db),
    readSettings: async () => DEFAULT_SETTINGS,
    tabUrl: async () => 'https://s.example/',
    limiter: createLimiter({ global: 16, perHost: 6 }),
    deps: realTimeDeps(hang),
    keepAlive: () => {},
    newId: () => `crawl-${++ids}`,
  };
  const open = () => requests.filter((r) => !r.signal.aborted).map((r) => r.url);
  return { manager: new CrawlManager(platform), platform, open };
}

/**
 * The platform's storage made to refuse every save while `full` (as IndexedDB refuses one past its quota), counting
 * the saves refused and done; `real` opens the store as it is.
 */
function quotaStore(platform: CrawlPlatform, full: boolean) {
  const state = { full, failed: 0, saved: 0 };
  const real = platform.store;
  platform.store = async () => {
    const store = await real();
    const save = store.save.bind(store);
    store.save = async (...args) => {
      if (state.full) {
        state.failed += 1;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      await save(...args);
      state.saved += 1;
    };
    return store;
  };
  return { state, real };
}

describe('the site checks of a tab', () => {
  it('cancels the check it replaces even when two starts come at once (a double click on "Check again")', async () => {
    const { manager, platform, open } = silentSite();
    const watcher = { tabId: TAB, post: () => {} };
    const start = { type: 'crawl-start', tabId: TAB, options: OPTIONS } as const;
    await Promise.all([manager.handle(watcher, start), manager.handle(watcher, start)]);
    await until(() => open().length > 0, 'a check asks for the start page');
    await manager.handle(watcher, { type: 'crawl-cancel', tabId: TAB });
    const store = await platform.store();
    const states = async () => Object.fromEntries((await store.list()).map((m) => [m.crawlId, m.state]));
    await until(async () => (await states())['crawl-2'] === 'cancelled', 'the second check is stored cancelled');
    // Nothing is left fetching once Cancel has been pressed, and the first check ended as cancelled, not forgotten.
    expect(open()).toEqual([]);
    expect(await states()).toEqual({ 'crawl-1': 'cancelled', 'crawl-2': 'cancelled' });
  });

  it('cancels the check a start still under way sets, when Cancel comes before it has set it', async () => {
    const { manager, platform, open } = silentSite();
    const watcher = { tabId: TAB, post: () => {} };
    const start = { type: 'crawl-start', tabId: TAB, options: OPTIONS } as const;
    await manager.handle(watcher, start);
    await until(() => open().length > 0, 'the first check asks for the start page');
    // "Check again", then Cancel while the new start still waits for the tab's address.
    const tabUrl = platform.tabUrl;
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    platform.tabUrl = async (tabId) => {
      await released;
      return tabUrl(tabId);
    };
    const restarted = manager.handle(watcher, start);
    const cancelled = manager.handle(watcher, { type: 'crawl-cancel', tabId: TAB });
    release();
    await Promise.all([restarted, cancelled]);
    const store = await platform.store();
    const states = async () => Object.fromEntries((await store.list()).map((m) => [m.crawlId, m.state]));
    await until(async () => (await states())['crawl-2'] !== undefined, 'the second check is stored');
    await until(() => open().length === 0, 'nothing is left fetching', 2_000);
    expect(await states()).toEqual({ 'crawl-1': 'cancelled', 'crawl-2': 'cancelled' });
  });
});

describe('a site check that storage will not take', () => {
  it('says so on its crawl page while its saves fail, and stops saying so once one goes through', async () => {
    const { manager, platform, open } = silentSite();
    // Storage full until it is said otherwise: every save fails as IndexedDB fails when its quota is reached.
    const storage = quotaStore(platform, true);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    /** What the crawl page was sent, each with how many saves had failed by then. */
    const posted: { notes: unknown[]; failed: number }[] = [];
    manager.watch({
      tabId: TAB,
      post: (m) => {
        if (m.type === 'crawl-update' || m.type === 'crawl-snapshot')
          posted.push({ notes: m.meta.notes, failed: storage.state.failed });
      },
    });
    const watcher = { tabId: TAB, post: () => {} };
    await manager.handle(watcher, { type: 'crawl-start', tabId: TAB, options: OPTIONS });
    await until(() => open().length > 0, 'the check asks for the start page');
    const notSaved = { code: 'crawl-not-saved', error: 'QuotaExceededError' };
    manager.flush(true);
    await until(
      () => posted.at(-1)?.notes.some((n) => JSON.stringify(n) === JSON.stringify(notSaved)) === true,
      'told',
    );
    // Failing again says it once, not once per save, and never drops it in between.
    manager.flush(true);
    await until(() => storage.state.failed >= 2, 'a second save failed');
    manager.flush(true);
    await until(() => (posted.at(-1)?.failed ?? 0) >= 2, 'the page was sent something since');
    expect(posted.filter((p) => p.failed >= 1).map((p) => p.notes)).toEqual(
      posted.filter((p) => p.failed >= 1).map(() => [notSaved]),
    );
    storage.state.full = false;
    manager.flush(true);
    await until(() => posted.at(-1)?.notes.length === 0, 'the note goes once a save is through');
    // What storage now holds is the check without the note: it was saved after all.
    const store = await storage.real();
    const [stored] = await store.list();
    expect(stored?.crawlId).toBe('crawl-1');
    expect(stored?.notes).toEqual([]);
    // The worker's console has it once too, with the storage's own words.
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
    await manager.handle(watcher, { type: 'crawl-cancel', tabId: TAB });
  });
});

describe('a site check the worker stops and starts again', () => {
  const START = 'https://s.example/';
  const meta = (crawlId: string): CrawlMeta => ({
    ...crawl(crawlId, START, 1, 'running'),
    tabId: TAB,
    options: { ...OPTIONS, respectRobots: true },
  });
  it('keeps the pages it was to fetch as its resume point while robots.txt is still being read', async () => {
    const store = new CrawlStore(await openLinkpulseDb());
    const pending = ['a', 'b', 'c'].map((p) => ({ url: `${START}${p}`, depth: 1 }));
    await store.save(meta('picked-up'), [
      { kind: 'pages', rows: [page(START)] },
      { kind: 'links', rows: [] },
      { kind: 'pending', rows: pending },
    ]);
    const { manager, platform, open } = silentSite();
    const storage = quotaStore(platform, false);
    await manager.restored;
    await until(() => open().includes(`${START}robots.txt`), 'robots.txt is asked for again');
    manager.flush(true);
    await until(() => storage.state.saved > 0, 'a save went through');
    // A worker stopped now still knows where to go on from.
    expect((await store.load('picked-up'))?.pending).toEqual(pending);
    await manager.handle({ tabId: TAB, post: () => {} }, { type: 'crawl-cancel', tabId: TAB });
  });

  it('starts again from the start page when it was stopped before reading it', async () => {
    // What a site check saves while its robots.txt and sitemap are read: no page yet, none pending.
    const store = new CrawlStore(await openLinkpulseDb());
    await store.save({ ...meta('not-started'), options: OPTIONS }, [
      { kind: 'pages', rows: [] },
      { kind: 'links', rows: [] },
      { kind: 'pending', rows: [] },
    ]);
    const { manager, open } = silentSite();
    await manager.restored;
    await until(() => open().includes(START), 'the start page is asked for');
    expect((await store.list()).map((m) => m.state)).toEqual(['running']);
    await manager.handle({ tabId: TAB, post: () => {} }, { type: 'crawl-cancel', tabId: TAB });
  });

  it('is not run again once cancelled while storage was full: its end is saved, then its rows, then the history hears', async () => {
    const { manager, platform, open } = silentSite();
    const storage = quotaStore(platform, false);
    // The history hears of the check's end, and what storage held of it then.
    const handed: number[] = [];
    platform.history = {
      prepare: async () => ({ meta: {}, baseline: null }),
      baselineOf: async () => null,
      ended: async () => {
        handed.push(storage.state.saved);
        return true;
      },
      endedBefore: async () => {},
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const watcher = { tabId: TAB, post: () => {} };
    await manager.handle(watcher, { type: 'crawl-start', tabId: TAB, options: OPTIONS });
    await until(() => open().length > 0, 'the check asks for the start page');
    storage.state.full = true;
    await manager.handle(watcher, { type: 'crawl-cancel', tabId: TAB });
    const store = await storage.real();
    // Its state at once, alone, though its rows could not be written: the next worker must not pick it up, nor keep
    // it in the history as it is (the note says its stored rows are not the whole check).
    await until(async () => (await store.list())[0]?.state === 'cancelled', 'the end is saved');
    expect((await store.list())[0]?.notes).toEqual([{ code: 'crawl-not-saved', error: 'QuotaExceededError' }]);
    expect(handed).toEqual([]);
    // Then the rest, by the manager's own timer, once storage takes it (nothing here asks it to flush); only then
    // does the history hear of it.
    const before = storage.state.saved;
    storage.state.full = false;
    await until(() => handed.length > 0, 'the history hears of it', 5_000);
    expect(handed).toEqual([before + 1]);
    expect((await store.list())[0]).toMatchObject({ state: 'cancelled', notes: [] });
    logged.mockRestore();
  });
});
