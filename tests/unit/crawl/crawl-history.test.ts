// The site-check lifecycle with the history: a new check of a start page is compared with the previous finished one,
// kept once done, and a check picked up after the worker restarted goes on comparing with the same one. A real local
// server and an in-memory IndexedDB; nothing of the browser.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { realTimeDeps } from '../../../utils/check/check-links';
import { createLimiter } from '../../../utils/check/limiter';
import { CrawlManager, type CrawlPlatform } from '../../../utils/crawl/crawl-manager';
import { CrawlStore } from '../../../utils/crawl/crawl-store';
import type { CrawlMeta, CrawlOptions } from '../../../utils/crawl/types';
import { entryChange } from '../../../utils/history/diff';
import { createHistory } from '../../../utils/history/history-store';
import type { IgnoredLink } from '../../../utils/history/ignore';
import { createSiteHistory } from '../../../utils/history/site-history';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { openLinkpulseDb } from '../../../utils/storage/database';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';
import { until } from '../../support/until';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const TAB = 7;
const OPTIONS: CrawlOptions = {
  maxDepth: 1,
  maxPages: 10,
  samePathOnly: false,
  useSitemap: false,
  respectRobots: false,
  asMe: false,
};
const start = () => server.url('/changing-page');
const link = (key: string) => server.url(`/changeable/${key}`);

let ids = 0;
let ended: (() => void) | null = null;

/**
 * A worker's life: a manager on the shared database; `finished()` resolves once a check has been handed over. A worker
 * that `stopsBeforeRecording` stops between a check's last write and the history hearing of it.
 */
function worker({
  stopsBeforeRecording = false,
  historyFull = false,
  ignored = [] as IgnoredLink[],
  recordsHeld = Promise.resolve(),
}: {
  stopsBeforeRecording?: boolean;
  historyFull?: boolean;
  ignored?: IgnoredLink[];
  /** Each record waits for this before it is written (a big check's last rows take a while to write). */
  recordsHeld?: Promise<void>;
} = {}) {
  const db = openLinkpulseDb();
  const history = createHistory(db);
  // A full disk: IndexedDB refuses the history's write as it does once its quota is reached.
  const refusing = {
    ...history,
    saveSiteCheck: async () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  };
  const slow = {
    ...history,
    saveSiteCheck: async (...args: Parameters<typeof history.saveSiteCheck>) => {
      await recordsHeld;
      return history.saveSiteCheck(...args);
    },
  };
  const site = createSiteHistory({
    history: historyFull ? refusing : slow,
    isPrivate: async () => false,
    log: historyFull ? { error: () => {} } : console,
  });
  const platform: CrawlPlatform = {
    store: async () => new CrawlStore(await db),
    readSettings: async () => DEFAULT_SETTINGS,
    tabUrl: async () => start(),
    limiter: createLimiter({ global: 16, perHost: 6 }),
    deps: realTimeDeps(fetch),
    keepAlive: () => {},
    newId: () => `crawl-${++ids}`,
    readIgnored: async () => ignored,
    history: {
      prepare: site.prepare,
      baselineOf: site.baselineOf,
      async ended(...args) {
        const handed = stopsBeforeRecording || (await site.ended(...args));
        ended?.();
        return handed;
      },
      endedBefore: site.endedBefore,
    },
  };
  const manager = new CrawlManager(platform);
  const finished = () =>
    new Promise<void>((resolve) => {
      ended = resolve;
    });
  return { manager, history, finished };
}

/** The changeable links of a stored check as key → change. */
async function changesOf(crawlId: string): Promise<Record<string, string>> {
  const stored = await new CrawlStore(await openLinkpulseDb()).load(crawlId);
  const rows = (stored?.links ?? []).filter((l) => l.url.includes('/changeable/'));
  return Object.fromEntries(rows.map((l) => [l.url.split('/').pop(), entryChange(l)]));
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  server.resetStats();
  server.setAnswer('stays', 200);
  server.setAnswer('breaks', 200);
  server.setAnswer('heals', 404);
  server.setChangingPage(['stays', 'breaks', 'heals', 'removed'].map(link));
});

/** The site changes between two checks: one link breaks, one heals, one goes and a broken one joins. */
function changeTheSite() {
  server.setAnswer('breaks', 500);
  server.setAnswer('heals', 200);
  server.setAnswer('joins', 404);
  server.setChangingPage(['stays', 'breaks', 'heals', 'joins'].map(link));
}

describe('site checks through their lifecycle, with the history', () => {
  it('keeps a finished check, and compares the next one of the same start page with it', async () => {
    const { manager, history, finished } = worker();
    let done = finished();
    await manager.start(TAB, OPTIONS);
    await done;
    const [first] = await history.siteChecksOf(start());
    expect(first?.summary).toMatchObject({ state: 'done', broken: 1, newProblems: 0 });
    expect(await changesOf(first?.runId ?? '')).toEqual({ stays: '', breaks: '', heals: '', removed: '' });

    changeTheSite();
    done = finished();
    await manager.start(TAB, OPTIONS);
    await done;
    const [second, older] = await history.siteChecksOf(start());
    expect(older?.runId).toBe(first?.runId);
    expect(second?.meta.baseline).toEqual({ crawlId: first?.runId, finishedAt: first?.finishedAt });
    expect(await changesOf(second?.runId ?? '')).toEqual({
      stays: '',
      breaks: 'newly-broken',
      heals: 'fixed',
      joins: 'new',
    });
    expect(second?.summary.newProblems).toBe(2);
  });

  it('skips the links the person ignored on the site, without a request, as a page check does', async () => {
    const site = new URL(start()).host;
    const { manager, history, finished } = worker({
      ignored: [
        { site, url: link('heals'), note: 'known', at: 1 },
        // Ignored on another site only: checked here.
        { site: 'elsewhere.test', url: link('stays'), note: '', at: 1 },
      ],
    });
    const done = finished();
    await manager.start(TAB, OPTIONS);
    await done;
    const [kept] = await history.siteChecksOf(start());
    const stored = await new CrawlStore(await openLinkpulseDb()).load(kept?.runId ?? '');
    const verdicts = Object.fromEntries(
      (stored?.links ?? [])
        .filter((l) => l.url.includes('/changeable/'))
        .map((l) => [l.url.split('/').pop(), `${l.result?.verdict} ${l.result?.reason}`]),
    );
    expect(verdicts).toEqual({ stays: 'ok ', breaks: 'ok ', heals: 'skipped ignored', removed: 'ok ' });
    expect(server.requestsTo('/changeable/heals')).toEqual([]);
    expect(kept?.summary).toMatchObject({ broken: 0, skipped: 1 });
  });

  it('compares a check started as the previous one ended, before the history had written it, with that one', async () => {
    let release = () => {};
    const recordsHeld = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { manager, history } = worker({ recordsHeld });
    const states = new Map<string, string>();
    manager.watch({
      tabId: TAB,
      post: (m) => {
        if (m.type === 'crawl-snapshot' || m.type === 'crawl-update') states.set(m.meta.crawlId, m.meta.state);
      },
    });
    await manager.start(TAB, OPTIONS);
    const first = [...states.keys()][0] as string;
    // The crawl page says done: "Check again" is there to click, while the history still writes the first.
    await until(async () => states.get(first) === 'done', 'the first check is done');
    changeTheSite();
    await manager.start(TAB, OPTIONS);
    release();
    await until(async () => (await history.siteChecksOf(start())).length === 2, 'both checks are kept');
    const [second] = await history.siteChecksOf(start());
    expect(second?.meta.baseline?.crawlId).toBe(first);
    expect(await changesOf(second?.runId ?? '')).toEqual({
      stays: '',
      breaks: 'newly-broken',
      heals: 'fixed',
      joins: 'new',
    });
  });

  it('says on its crawl page when storage refused to keep a finished check in the history', async () => {
    const { manager, history, finished } = worker({ historyFull: true });
    const done = finished();
    await manager.start(TAB, OPTIONS);
    await done;
    expect(await history.siteChecksOf(start())).toEqual([]);
    const store = new CrawlStore(await openLinkpulseDb());
    await until(async () => ((await store.list())[0]?.notes.length ?? 0) > 0, 'the note is stored');
    const [meta] = await store.list();
    expect(meta).toMatchObject({ state: 'done', notes: [{ code: 'crawl-not-kept' }] });
  });

  it('goes on comparing with the same check after the worker restarted mid-crawl', async () => {
    const before = worker();
    const done = before.finished();
    await before.manager.start(TAB, OPTIONS);
    await done;
    const [first] = await before.history.siteChecksOf(start());
    changeTheSite();
    // What a worker stopped just after the start page was found leaves behind: a running check, nothing fetched yet.
    const store = new CrawlStore(await openLinkpulseDb());
    const running: CrawlMeta = {
      crawlId: 'resumed',
      tabId: TAB + 1,
      startUrl: start(),
      origin: new URL(start()).origin,
      options: OPTIONS,
      settings: DEFAULT_SETTINGS,
      state: 'running',
      paused: false,
      startedAt: 1,
      finishedAt: null,
      queued: 1,
      notes: [],
      baseline: { crawlId: first?.runId ?? '', finishedAt: first?.finishedAt ?? 0 },
    };
    await store.saveMeta(running);
    await store.saveRows('resumed', 'pending', [{ url: start(), depth: 0 }]);

    const after = worker();
    const resumed = after.finished();
    await after.manager.restored;
    await resumed;
    expect(await changesOf('resumed')).toEqual({ stays: '', breaks: 'newly-broken', heals: 'fixed', joins: 'new' });
    expect((await after.history.siteChecksOf(start())).map((r) => r.runId)).toEqual(['resumed', first?.runId]);
  });

  it('keeps a check the worker finished but stopped before recording, once the next worker starts', async () => {
    const before = worker({ stopsBeforeRecording: true });
    const done = before.finished();
    await before.manager.start(TAB, OPTIONS);
    await done;
    const [stored] = await new CrawlStore(await openLinkpulseDb()).list();
    expect(stored?.state).toBe('done');
    const id = stored?.crawlId;
    expect(await before.history.siteChecksOf(start())).toEqual([]);

    const after = worker();
    await after.manager.restored;
    const [first] = await after.history.siteChecksOf(start());
    expect(first).toMatchObject({ runId: id, finishedAt: stored?.finishedAt });
    expect(first?.summary).toMatchObject({ state: 'done', broken: 1 });

    // The next check compares with it, and each is kept once however often a worker starts.
    changeTheSite();
    const next = after.finished();
    await after.manager.start(TAB, OPTIONS);
    await next;
    await worker().manager.restored;
    const [second, older] = await after.history.siteChecksOf(start());
    expect(older?.runId).toBe(id);
    expect(second?.meta.baseline).toEqual({ crawlId: id, finishedAt: first?.finishedAt });
    expect(await changesOf(second?.runId ?? '')).toMatchObject({
      breaks: 'newly-broken',
      heals: 'fixed',
      joins: 'new',
    });
    expect((await after.history.records()).map((r) => r.runId)).toHaveLength(2);
  });
});
