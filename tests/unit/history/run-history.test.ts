// History's part in a run's life, for links that join a run later (live pages): judged and marked as the first ones.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { entryChange } from '../../../utils/history/diff';
import { createHistory } from '../../../utils/history/history-store';
import type { IgnoredLink } from '../../../utils/history/ignore';
import { createRunHistory } from '../../../utils/history/run-history';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { openLinkpulseDb } from '../../../utils/storage/database';
import type { LinkEntry } from '../../../utils/types';
import { judged } from '../../support/kept-runs';

const PAGE = 'https://site.test/page';

const done = judged;
const queued = (url: string): LinkEntry => ({ url, occurrences: 1, texts: [], phase: 'queued' });

function meta(runId: string, extra: Partial<RunMeta> = {}): RunMeta {
  return {
    runId,
    tabId: 1,
    page: { url: PAGE, title: 'T' },
    startedAt: 1,
    finishedAt: 2,
    state: 'done',
    settings: DEFAULT_SETTINGS,
    total: 0,
    truncated: false,
    ...extra,
  };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

function setUp(ignored: IgnoredLink[] = [], isPrivate = false) {
  const history = createHistory(openLinkpulseDb());
  let reads = 0;
  const loads: string[] = [];
  const counted = {
    ...history,
    load: (runId: string) => {
      loads.push(runId);
      return history.load(runId);
    },
  };
  const runHistory = createRunHistory({
    history: counted,
    readIgnored: async () => {
      reads++;
      return ignored;
    },
    isPrivate: async () => isPrivate,
    now: () => 5,
    log: { error: () => {} },
  });
  return { history, runHistory, loads, reads: () => reads };
}

describe('links that join a run later', () => {
  it('are marked against the same previous run as the first links: new when they were not on the page then', async () => {
    const { history, runHistory, loads } = setUp();
    await history.save(meta('before'), [done('https://a.test/was-there', 'ok'), done('https://a.test/gone', 'ok')]);
    const prepared = await runHistory.prepare({ tabId: 1, pageUrl: PAGE, entries: [queued('https://a.test/gone')] });
    const run = meta('now', { ...prepared.meta, state: 'running', finishedAt: null });
    const joined = await runHistory.joined({
      meta: run,
      entries: [queued('https://a.test/was-there'), queued('https://a.test/added')],
    });
    expect(joined.map((e) => e.before)).toEqual(['ok', 'absent']);
    const judged = joined.map((e) => ({ ...e, result: done(e.url, 'broken').result }));
    expect(judged.map(entryChange)).toEqual(['newly-broken', 'new']);
    // Later links of the same run reuse what was read (the start of the run read it once, the first join once).
    await runHistory.joined({ meta: run, entries: [queued('https://a.test/later')] });
    expect(loads).toEqual(['before', 'before']);
  });

  it('carry no change when the run had nothing to compare with, or is in a private window', async () => {
    const { runHistory } = setUp();
    expect(await runHistory.joined({ meta: meta('now'), entries: [queued('https://a.test/x')] })).toEqual([
      queued('https://a.test/x'),
    ]);
    const privateRun = meta('now', { private: true, baseline: { runId: 'before', finishedAt: 1 } });
    expect((await runHistory.joined({ meta: privateRun, entries: [queued('https://a.test/x')] }))[0]?.before).toBe(
      undefined,
    );
  });

  it('are skipped as ignored when the person ignored them on this site', async () => {
    const ignored = [{ site: 'site.test', url: 'https://a.test/known', note: 'login', at: 1 }];
    const { runHistory } = setUp(ignored);
    const [known, other] = await runHistory.joined({
      meta: meta('now'),
      entries: [queued('https://a.test/known'), queued('https://a.test/other')],
    });
    expect(known).toMatchObject({ phase: 'done', result: { verdict: 'skipped', reason: 'ignored' } });
    expect(other).toEqual(queued('https://a.test/other'));
  });
});
