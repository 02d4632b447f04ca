// A site check reaches the history exactly once, even when the worker stopped between its last write (state done or
// cancelled in the crawl store) and the history hearing of it: the next worker finds it and hands it over then.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import { CrawlStore } from '../../../utils/crawl/crawl-store';
import type { CrawlMeta } from '../../../utils/crawl/types';
import { createHistory } from '../../../utils/history/history-store';
import { createSiteHistory } from '../../../utils/history/site-history';
import { openLinkpulseDb } from '../../../utils/storage/database';
import { crawl, link, page, writeCrawl } from '../../support/stored-crawls';

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

/** A worker's history of site checks on the shared database, counting the records it writes. */
function setUp(isPrivate = false) {
  const history = createHistory(openLinkpulseDb());
  const errors: unknown[] = [];
  const saved: string[] = [];
  const site = createSiteHistory({
    history: {
      ...history,
      saveSiteCheck(meta, links, pages) {
        saved.push(meta.crawlId);
        return history.saveSiteCheck(meta, links, pages);
      },
    },
    isPrivate: async () => isPrivate,
    log: { error: (...args: unknown[]) => errors.push(args) },
  });
  return { history, site, saved, errors };
}

const links = [link('https://s.test/a', 'ok'), link('https://s.test/b', 'broken'), link('https://x.test/', 'error')];
const storedIds = async () => (await new CrawlStore(await openLinkpulseDb()).list()).map((m) => m.crawlId).sort();

describe('a site check whose worker stopped before the history heard of it', () => {
  it('is kept by the next worker as it would have been when it ended', async () => {
    const meta = crawl('c1', 'https://s.test/', 10);
    // On time: the worker hands the check over once its last rows are written.
    const onTime = setUp();
    await writeCrawl(meta, links);
    await onTime.site.ended(meta, [page(meta.startUrl)], links);
    const [expected] = await onTime.history.siteChecksOf(meta.startUrl);

    // Cut short: the rows and the done state are written, the record is not; a new worker finds the check.
    globalThis.indexedDB = new IDBFactory();
    await writeCrawl(meta, links);
    const next = setUp();
    expect(await next.history.siteChecksOf(meta.startUrl)).toEqual([]);
    await next.site.endedBefore(meta);
    const kept = await next.history.siteChecksOf(meta.startUrl);
    expect(kept).toEqual([expected]);
    expect(kept[0]).toMatchObject({ runId: 'c1', finishedAt: 10, pages: 1 });
    expect(kept[0]?.summary).toMatchObject({ total: 3, ok: 1, broken: 1, error: 1, state: 'done' });
    // And the next check of that start page compares with it.
    expect((await next.site.prepare(1, meta.startUrl)).meta).toEqual({ baseline: { crawlId: 'c1', finishedAt: 10 } });
    expect(next.errors).toEqual([]);
  });

  it('is recorded once: one already kept is not written again, and a second record leaves one', async () => {
    const { history, site, saved } = setUp();
    const meta = crawl('c1', 'https://s.test/', 10);
    await writeCrawl(meta, links);
    await site.ended(meta, [page(meta.startUrl)], links);
    // Every later worker start finds it stored and kept: none writes it again.
    await site.endedBefore(meta);
    await site.endedBefore(meta);
    expect(saved).toEqual(['c1']);

    // Kept late by one worker, then found again by the next: still one write.
    const late = crawl('c2', 'https://s.test/', 20);
    await writeCrawl(late, links);
    await site.endedBefore(late);
    await site.endedBefore(late);
    expect(saved).toEqual(['c1', 'c2']);

    // Handed over twice all the same (an earlier worker's record and a later one): one record.
    await site.ended(late, [page(late.startUrl)], links);
    expect((await history.records()).map((r) => r.runId).sort()).toEqual(['c1', 'c2']);
    expect((await history.siteChecksOf(late.startUrl)).map((r) => r.runId)).toEqual(['c2', 'c1']);
  });

  it('once kept on a later try, no longer says it could not be kept, on its crawl page or in its record', async () => {
    const { history, site } = setUp();
    // Storage refused the record when it ended: the crawl page's note says so, stored with the check.
    const meta: CrawlMeta = { ...crawl('c1', 'https://s.test/', 10), notes: [{ code: 'crawl-not-kept' }] };
    await writeCrawl(meta, links);
    await site.endedBefore(meta);
    expect((await history.siteChecksOf(meta.startUrl)).map((r) => r.runId)).toEqual(['c1']);
    // crawl.html?crawl=c1 shows the stored meta, the history's list the record's.
    expect((await history.loadSiteCheck('c1'))?.meta.notes).toEqual([]);
    expect((await history.siteChecksOf(meta.startUrl))[0]?.meta.notes).toEqual([]);
  });

  it('of a private window leaves nothing behind once the next worker finds it, finished or cancelled', async () => {
    const { history, site } = setUp();
    for (const state of ['done', 'cancelled'] as const) {
      const privately: CrawlMeta = { ...crawl(`private-${state}`, 'https://s.test/', 2, state), private: true };
      await writeCrawl(privately, links);
      await site.endedBefore(privately);
    }
    expect(await storedIds()).toEqual([]);
    expect(await (await openLinkpulseDb()).count('crawlChunks')).toBe(0);
    expect(await history.records()).toEqual([]);
  });

  it('is not kept when storage refused some of its rows (it would read as links gone)', async () => {
    const meta = {
      ...crawl('c1', 'https://s.test/', 10),
      notes: [{ code: 'crawl-not-saved' as const, error: 'QuotaExceededError' }],
    };
    await writeCrawl(meta, links.slice(0, 1));
    const next = setUp();
    await next.site.endedBefore(meta);
    expect(next.saved).toEqual([]);
    expect(await next.history.siteChecksOf(meta.startUrl)).toEqual([]);
  });

  it('is left as it is when it was cancelled (not history) or is still going (it resumes)', async () => {
    const { history, site, saved } = setUp();
    for (const state of ['cancelled', 'running'] as const) {
      const meta = crawl(state, 'https://s.test/', 3, state);
      await writeCrawl(meta, links);
      await site.endedBefore(meta);
    }
    const going: CrawlMeta = { ...crawl('private-running', 'https://s.test/', 4, 'running'), private: true };
    await writeCrawl(going, links);
    await site.endedBefore(going);
    expect(saved).toEqual([]);
    expect(await history.records()).toEqual([]);
    expect(await storedIds()).toEqual(['cancelled', 'private-running', 'running']);
  });

  it('says so in the console when the history cannot be read, and goes on', async () => {
    const history = createHistory(openLinkpulseDb());
    const errors: unknown[] = [];
    const site = createSiteHistory({
      history: { ...history, has: () => Promise.reject(new Error('closed')) },
      isPrivate: async () => false,
      log: { error: (...args: unknown[]) => errors.push(args) },
    });
    await expect(site.endedBefore(crawl('c1', 'https://s.test/', 1))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
