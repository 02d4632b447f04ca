import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { openDB } from 'idb';
import { beforeEach, describe, expect, it } from 'vitest';
import { withBaseline } from '../../../utils/history/diff';
import { CHUNK_ROWS, createHistory, DB_VERSION, openHistoryDb } from '../../../utils/history/history-db';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry, Verdict } from '../../../utils/types';

function entry(url: string, verdict: Verdict): LinkEntry {
  return {
    url,
    occurrences: 1,
    texts: [],
    phase: 'done',
    result: { url, verdict, reason: '', status: 200, finalUrl: url, ms: 1, attempts: 1, redirects: [], checkedAt: 0 },
  };
}

function meta(runId: string, pageUrl: string, finishedAt: number): RunMeta {
  return {
    runId,
    tabId: 1,
    page: { url: pageUrl, title: 'T' },
    startedAt: finishedAt - 1,
    finishedAt,
    state: 'done',
    settings: DEFAULT_SETTINGS,
    total: 0,
    truncated: false,
  };
}

beforeEach(() => {
  // A fresh, empty IndexedDB for each test.
  globalThis.indexedDB = new IDBFactory();
});

describe('the history database', () => {
  it('keeps a run and gives it back whole, rows in order across chunks', async () => {
    const history = createHistory(openHistoryDb());
    const entries = Array.from({ length: CHUNK_ROWS * 2 + 5 }, (_, i) => entry(`https://a.test/${i}`, 'ok'));
    await history.save(meta('r1', 'https://a.test/page#top', 10), entries);
    const loaded = await history.load('r1');
    expect(loaded?.entries.map((e) => e.url)).toEqual(entries.map((e) => e.url));
    expect(loaded?.record).toMatchObject({ pageKey: 'https://a.test/page', site: 'a.test', chunks: 3 });
    expect(loaded?.record.summary).toMatchObject({ total: 2005, ok: 2005, newProblems: 0 });
  });

  it('lists a page’s runs newest first, a fragment of the URL making no other page', async () => {
    const history = createHistory(openHistoryDb());
    await history.save(meta('old', 'https://a.test/p', 1), [entry('https://a.test/x', 'ok')]);
    await history.save(meta('new', 'https://a.test/p#b', 2), [entry('https://a.test/x', 'broken')]);
    await history.save(meta('other', 'https://a.test/q', 3), [entry('https://a.test/x', 'ok')]);
    expect((await history.runsOf('https://a.test/p')).map((r) => r.runId)).toEqual(['new', 'old']);
  });

  it('keeps the new-problems count of a run against its baseline', async () => {
    const history = createHistory(openHistoryDb());
    const baseline = new Map<string, Verdict>([['https://a.test/x', 'ok']]);
    const entries = withBaseline([entry('https://a.test/x', 'broken'), entry('https://a.test/y', 'error')], baseline);
    const record = await history.save(meta('r', 'https://a.test/p', 1), entries);
    expect(record.summary.newProblems).toBe(2);
  });

  it('prunes a page to its last runs after each save, rows included', async () => {
    const history = createHistory(openHistoryDb(), { perPage: { page: 2, site: 1 }, maxBytes: 1e9 });
    for (let i = 1; i <= 3; i++)
      await history.save(meta(`r${i}`, 'https://a.test/p', i), [entry('https://a.test/x', 'ok')]);
    expect((await history.runsOf('https://a.test/p')).map((r) => r.runId)).toEqual(['r3', 'r2']);
    expect(await history.load('r1')).toBeUndefined();
    const db = await openHistoryDb();
    expect(await db.count('runLinks')).toBe(2);
  });

  it('clears one page, one site, or everything', async () => {
    const history = createHistory(openHistoryDb());
    await history.save(meta('a1', 'https://a.test/1', 1), [entry('https://a.test/x', 'ok')]);
    await history.save(meta('a2', 'https://a.test/2', 2), [entry('https://a.test/x', 'ok')]);
    await history.save(meta('b1', 'https://b.test/1', 3), [entry('https://b.test/x', 'ok')]);
    await history.save(meta('c1', 'https://c.test/1', 4), [entry('https://c.test/x', 'ok')]);
    expect(await history.clearPage('https://a.test/1#x')).toBe(1);
    expect((await history.records()).map((r) => r.runId).sort()).toEqual(['a2', 'b1', 'c1']);
    expect(await history.clearSite('b.test')).toBe(1);
    expect((await history.records()).map((r) => r.runId).sort()).toEqual(['a2', 'c1']);
    await history.clearAll();
    expect(await history.records()).toEqual([]);
    const db = await openHistoryDb();
    expect(await db.count('runLinks')).toBe(0);
  });
});

describe('the history schema', () => {
  it('is at the version its migrations reach', async () => {
    const db = await openHistoryDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['runLinks', 'runs']);
    expect([...db.transaction('runs').store.indexNames].sort()).toEqual(['byFinished', 'byPage', 'bySite']);
  });

  it('upgrades a version-1 database: kept runs stay and gain their site', async () => {
    const v1 = await openHistoryDb('linkpulse', 1);
    // What version 1 wrote: no `site` field.
    const old = { runId: 'r1', kind: 'page', pageKey: 'https://old.test:8080/p', finishedAt: 5, bytes: 2, chunks: 1 };
    await (v1 as unknown as Awaited<ReturnType<typeof openDB>>).put('runs', old);
    await (v1 as unknown as Awaited<ReturnType<typeof openDB>>).put('runLinks', {
      runId: 'r1',
      index: 0,
      entries: [entry('https://old.test:8080/x', 'broken')],
    });
    v1.close();
    const history = createHistory(openHistoryDb());
    const [record] = await history.runsOf('https://old.test:8080/p');
    expect(record).toMatchObject({ runId: 'r1', site: 'old.test:8080' });
    expect((await history.load('r1'))?.entries.map((e) => e.result?.verdict)).toEqual(['broken']);
    expect(await history.clearSite('old.test:8080')).toBe(1);
  });
});
