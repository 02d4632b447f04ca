import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, realTimeDeps } from '../../../utils/check/check-links';
import type { IgnoredLink } from '../../../utils/history/ignore';
import { MAX_KEPT_CHECKS, type MenuCheck, readMenuCheck } from '../../../utils/menu/menu-check';
import { type MenuCheckDeps, MenuChecks, UNWATCHED_STOP_MS } from '../../../utils/menu/menu-checks';
import type { AnswerServerMessage } from '../../../utils/menu/protocol';
import { SAVE_RETRY_MAX_MS, saveRetryMs } from '../../../utils/run/run-writer';
import { memoryArea } from '../../../utils/run/session-area';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { FoundLink } from '../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';
import { settle } from '../../support/fake-clock';
import { fakeTimers } from '../../support/fake-timers';
import { recordingArea } from '../../support/storage-area';
import { until } from '../../support/until';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

const PUBLIC_PAGE = 'https://news.example/article';
const LOCAL_PAGE = 'http://127.0.0.1/page.html';

/** The menu checks on the real engine with Node's fetch against the fixture server; the browser's parts recorded. */
function setup(options: { settings?: Partial<Settings>; selection?: unknown; ignored?: IgnoredLink[] } = {}) {
  const area = memoryArea();
  const shown: string[] = [];
  const awake: boolean[] = [];
  const collected: [number, number][] = [];
  let ids = 0;
  const deps: MenuCheckDeps = {
    area,
    readSettings: async () => ({ ...DEFAULT_SETTINGS, ...options.settings }),
    readIgnored: async () => options.ignored ?? [],
    check: (job) => checkLinks({ ...job, deps: realTimeDeps(fetch) }),
    async collectSelection(tabId, frameId) {
      collected.push([tabId, frameId]);
      if (options.selection instanceof Error) throw options.selection;
      return options.selection;
    },
    show: async (id, kind) => void shown.push(`${kind} ${id}`),
    keepAwake: (on) => void awake.push(on),
    timers: {
      now: Date.now,
      setTimeout: (run, ms) => setTimeout(run, ms),
      clearTimeout: (t) => clearTimeout(t as number),
    },
    newId: () => `check-${++ids}`,
    log: { warn() {}, error() {} },
  };
  return { area, shown, awake, collected, deps, checks: new MenuChecks(deps) };
}

/** Follows a check as the answer window does: `view.check` is what the window would show now. */
function follow(checks: MenuChecks, id: string) {
  const view: { check: MenuCheck | null; unavailable: boolean } = { check: null, unavailable: false };
  const stop = checks.watch(id, (message: AnswerServerMessage) => {
    if (message.type === 'answer') view.check = structuredClone(message.check);
    else if (message.type === 'answer-unavailable') view.unavailable = true;
    else if (view.check) {
      for (const [i, entry] of message.changes) view.check.entries[i] = entry;
      Object.assign(view.check, { state: message.state, finishedAt: message.finishedAt });
      if (message.problem) view.check.problem = message.problem;
    }
  });
  return { view, stop };
}

/** Follows a check until it has ended; returns the check as last sent. */
async function answerOf(checks: MenuChecks, id: string): Promise<MenuCheck> {
  const { view, stop } = follow(checks, id);
  await until(() => view.unavailable || (view.check !== null && view.check.state !== 'running'), `${id} ended`);
  stop();
  if (view.unavailable) throw new Error('no longer kept');
  return view.check as unknown as MenuCheck;
}

/** A stopped worker's check is on record (the next worker finds it through the list of kept checks). */
const keptInArea = (area: ReturnType<typeof memoryArea>, id: string) =>
  until(async () => {
    const kept = (await area.get('menu-checks'))['menu-checks'];
    return Array.isArray(kept) && kept.includes(id);
  }, `${id} is kept`);

const found = (url: string): FoundLink => ({ url, occurrences: 1, texts: [] });

describe('Check this link', () => {
  it('checks the one link with the current settings and opens its answer', async () => {
    const { checks, shown, awake } = setup({ settings: { retries: 0 } });
    const url = server.url('/status/404');
    const id = await checks.start({ kind: 'link', url, pageUrl: LOCAL_PAGE });
    const answer = await answerOf(checks, id);
    expect(shown).toEqual([`link ${id}`]);
    expect(answer).toMatchObject({ kind: 'link', state: 'done', pageUrl: LOCAL_PAGE, settings: { retries: 0 } });
    expect(answer.entries).toHaveLength(1);
    expect(answer.entries[0]?.result).toMatchObject({ url, verdict: 'broken', status: 404, reason: 'status' });
    // One request: the settings said no retries.
    expect(server.requestsTo('/status/404')).toHaveLength(1);
    expect(awake).toEqual([true, false]);
  });

  it('sends nothing to a private address from a public page', async () => {
    const { checks } = setup();
    const url = server.url('/ok?private');
    const answer = await answerOf(checks, await checks.start({ kind: 'link', url, pageUrl: PUBLIC_PAGE }));
    expect(answer.entries[0]?.result).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
    expect(server.requestsTo('/ok?private')).toEqual([]);
  });

  it('asks afresh rather than taking a recent result', async () => {
    const { deps } = setup();
    const jobs: boolean[] = [];
    const checks = new MenuChecks({
      ...deps,
      check: (job) => {
        jobs.push(job.useCache === true);
        return deps.check(job);
      },
    });
    await answerOf(checks, await checks.start({ kind: 'link', url: server.url('/ok'), pageUrl: LOCAL_PAGE }));
    expect(jobs).toEqual([false]);
  });
});

describe('Check links in selection', () => {
  it('checks the links the page found in the selection of the clicked frame', async () => {
    const links = [found(server.url('/ok?sel')), found(server.url('/status/410?sel')), found('mailto:a@b.example')];
    const { checks, collected } = setup({
      settings: { retries: 0 },
      selection: { page: { url: LOCAL_PAGE, title: 'T' }, links, truncated: false, ms: 1 },
    });
    const id = await checks.start({ kind: 'selection', tabId: 4, frameId: 2, pageUrl: LOCAL_PAGE });
    const answer = await answerOf(checks, id);
    expect(collected).toEqual([[4, 2]]);
    expect(answer).toMatchObject({ kind: 'selection', state: 'done', truncated: false });
    expect(answer.entries.map((e) => [e.url, e.result?.verdict, e.result?.reason])).toEqual([
      [server.url('/ok?sel'), 'ok', ''],
      [server.url('/status/410?sel'), 'broken', 'status'],
      ['mailto:a@b.example', 'skipped', 'scheme'],
    ]);
  });

  it('skips the links ignored on the site, as a page check does', async () => {
    const ignoredUrl = server.url('/status/500?ignored');
    const { checks } = setup({
      selection: { page: { url: LOCAL_PAGE, title: '' }, links: [found(ignoredUrl)], truncated: false, ms: 1 },
      ignored: [{ site: '127.0.0.1', url: ignoredUrl, note: 'known', at: 1 }],
    });
    const answer = await answerOf(
      checks,
      await checks.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: LOCAL_PAGE }),
    );
    expect(answer.entries[0]?.result).toMatchObject({ verdict: 'skipped', reason: 'ignored' });
    expect(server.requestsTo('/status/500')).toEqual([]);
  });

  it('says so when the selection holds no link, or the page cannot be read', async () => {
    const none = setup({ selection: { page: { url: LOCAL_PAGE, title: '' }, links: [], truncated: false, ms: 1 } });
    const empty = await answerOf(
      none.checks,
      await none.checks.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: LOCAL_PAGE }),
    );
    expect(empty).toMatchObject({ state: 'done', entries: [] });
    expect(empty.problem).toEqual({ code: 'no-links' });
    const closed = setup({ selection: new Error('Cannot access contents of url "chrome://settings/"') });
    const refused = await answerOf(
      closed.checks,
      await closed.checks.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: 'chrome://settings/' }),
    );
    expect(refused.problem).toEqual({ code: 'unreadable', why: { kind: 'restricted' } });
  });

  it('keeps the truncation the page reported', async () => {
    const { checks } = setup({
      selection: { page: { url: LOCAL_PAGE, title: '' }, links: [found('mailto:x@y.example')], truncated: true, ms: 1 },
    });
    const answer = await answerOf(
      checks,
      await checks.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: LOCAL_PAGE }),
    );
    expect(answer.truncated).toBe(true);
  });
});

describe('the answers kept', () => {
  it('stops a check on request, keeping what was answered', async () => {
    const { checks } = setup({
      selection: {
        page: { url: LOCAL_PAGE, title: '' },
        links: [found(server.url('/ok?quick')), found(server.url('/hang'))],
        truncated: false,
        ms: 1,
      },
    });
    const id = await checks.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: LOCAL_PAGE });
    const { view, stop } = follow(checks, id);
    await until(
      () => view.check?.entries[0]?.result !== undefined && server.requestsTo('/hang').length > 0,
      'one answered',
    );
    stop();
    checks.stop(id);
    const answer = await answerOf(checks, id);
    expect(answer.state).toBe('cancelled');
    expect(answer.entries.map((e) => e.result?.verdict ?? null)).toEqual(['ok', null]);
  });

  it('finishes, in a new worker, a check the stopped one left', async () => {
    const first = setup();
    const url = server.url('/ok?resumed');
    // A worker stopped before the engine ran: the check is stored as running, with no answer.
    const blocked = new MenuChecks({ ...first.deps, check: () => new Promise(() => {}) });
    const id = await blocked.start({ kind: 'link', url, pageUrl: LOCAL_PAGE });
    await keptInArea(first.area, id);
    const again = new MenuChecks({ ...first.deps });
    const answer = await answerOf(again, id);
    expect(answer).toMatchObject({ state: 'done' });
    expect(answer.entries[0]?.result).toMatchObject({ url, verdict: 'ok' });
  });

  it('does not read a selection again behind the person when the worker stopped before reading it', async () => {
    const first = setup({ selection: { page: { url: LOCAL_PAGE, title: '' }, links: [], truncated: false, ms: 1 } });
    const stuck = new MenuChecks({ ...first.deps, collectSelection: () => new Promise(() => {}) });
    void stuck.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: LOCAL_PAGE });
    const id = 'check-1';
    await keptInArea(first.area, id);
    const again = new MenuChecks({ ...first.deps });
    const answer = await answerOf(again, id);
    expect(answer).toMatchObject({ state: 'cancelled', entries: [] });
    expect(answer.problem).toEqual({ code: 'selection-lost' });
    expect(first.collected).toEqual([]);
  });

  it(`keeps the last ${MAX_KEPT_CHECKS} answers and says when one is gone`, async () => {
    const { checks, area } = setup();
    const ids: string[] = [];
    for (let i = 0; i <= MAX_KEPT_CHECKS; i++) {
      const id = await checks.start({ kind: 'link', url: 'mailto:x@y.example', pageUrl: LOCAL_PAGE });
      await answerOf(checks, id);
      ids.push(id);
    }
    const kept = await area.get('menu-checks');
    expect(kept['menu-checks']).toEqual(ids.slice(1));
    await expect(answerOf(checks, ids[0] as string)).rejects.toThrow(/no longer kept/);
    expect((await answerOf(checks, ids[1] as string)).state).toBe('done');
  });
});

describe('a check whose save storage refused', () => {
  const link = { kind: 'link', url: 'mailto:x@y.example', pageUrl: LOCAL_PAGE } as const;

  /**
   * Menu checks on an area that can refuse writes, on fake time. The engine judges the link without a request (a
   * scheme it does not check), once the test calls `answer`; `jobs` lists the links it was given.
   */
  function refusingStorage() {
    const { deps } = setup();
    const storage = recordingArea();
    const timers = fakeTimers();
    const jobs: string[] = [];
    let answer = () => {};
    const answering = new Promise<void>((resolve) => {
      answer = resolve;
    });
    const check: MenuCheckDeps['check'] = async (job) => {
      jobs.push(...job.links.map((l) => l.url));
      await answering;
      return deps.check(job);
    };
    const worker = { ...deps, area: storage.area, check };
    return { worker, storage, timers, jobs, answer, checks: new MenuChecks({ ...worker, timers: timers.timers }) };
  }

  it('is shown finished meanwhile and written once storage takes it again, so no worker checks it again', async () => {
    const { worker, storage, timers, jobs, answer, checks } = refusingStorage();
    const id = await checks.start(link);
    await settle();
    // Storage refuses writes (full, or briefly gone) just as the answer comes.
    storage.setFull(true);
    answer();
    await settle();
    const stored = async () => readMenuCheck((await storage.area.get(`menu-check:${id}`))[`menu-check:${id}`]);
    expect((await stored())?.state).toBe('running');
    // A window opened now (a reload of the answer window) shows the finished check, not the stale one kept.
    const reopened = follow(checks, id);
    await settle();
    expect(reopened.view.check).toMatchObject({ state: 'done', entries: [{ url: link.url, phase: 'done' }] });
    reopened.stop();
    // Nor does a wake-up of this worker take it for one a stopped worker left.
    checks.wake();
    await settle();
    expect(jobs).toEqual([link.url]);
    storage.setFull(false);
    timers.advance(saveRetryMs(1));
    await settle();
    expect((await stored())?.state).toBe('done');
    // A worker started afresh finds the answer kept, and does not ask it again.
    const fresh = new MenuChecks({ ...worker, timers: fakeTimers().timers });
    await fresh.restored;
    const kept = follow(fresh, id);
    await settle();
    expect(kept.view.check).toMatchObject({ state: 'done', entries: [{ result: { verdict: 'skipped' } }] });
    expect(jobs).toEqual([link.url]);
  });

  it('is not written back once newer answers pushed it out of the kept ones', async () => {
    const { storage, timers, answer, checks } = refusingStorage();
    const first = await checks.start(link);
    await settle();
    storage.setFull(true);
    answer();
    await settle();
    storage.setFull(false);
    for (let i = 0; i < MAX_KEPT_CHECKS; i++) await checks.start(link);
    await settle();
    expect((await storage.area.get('menu-checks'))['menu-checks']).not.toContain(first);
    timers.advance(SAVE_RETRY_MAX_MS);
    await settle();
    expect(await storage.keys()).not.toContain(`menu-check:${first}`);
    const gone = follow(checks, first);
    await settle();
    expect(gone.view.unavailable).toBe(true);
  });
});

describe('a check nobody follows', () => {
  const slowSelection = () => ({
    page: { url: LOCAL_PAGE, title: '' },
    links: [found(server.url('/hang?unwatched'))],
    truncated: false,
    ms: 1,
  });

  it('stops once its window has closed, and sends no more', async () => {
    const { deps } = setup({ selection: slowSelection() });
    const timers = fakeTimers();
    const manual = new MenuChecks({ ...deps, timers: { ...timers.timers, now: Date.now } });
    const id = await manual.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: LOCAL_PAGE });
    const window = follow(manual, id);
    await until(() => server.requestsTo('/hang?unwatched').length > 0, 'the link was sent');
    window.stop();
    timers.advance(UNWATCHED_STOP_MS - 1);
    const reopened = follow(manual, id);
    await until(() => reopened.view.check !== null, 'the answer is shown again');
    expect(reopened.view.check?.state).toBe('running');
    reopened.stop();
    timers.advance(UNWATCHED_STOP_MS);
    const last = follow(manual, id);
    await until(() => last.view.check?.state === 'cancelled', 'the check stopped');
    last.stop();
  });

  it('goes on while its window is reloaded', async () => {
    const { deps } = setup({ selection: slowSelection() });
    const timers = fakeTimers();
    const manual = new MenuChecks({ ...deps, timers: { ...timers.timers, now: Date.now } });
    const id = await manual.start({ kind: 'selection', tabId: 1, frameId: 0, pageUrl: LOCAL_PAGE });
    const before = follow(manual, id);
    await until(() => before.view.check !== null, 'the answer is shown');
    before.stop();
    const after = follow(manual, id);
    timers.advance(UNWATCHED_STOP_MS * 2);
    await until(() => after.view.check !== null, 'the answer is shown again');
    expect(after.view.check?.state).toBe('running');
    manual.stop(id);
    after.stop();
  });
});
