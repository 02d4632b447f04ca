// Word that the history changed: whoever writes it says so once the write is there to read, and a page listening on
// the channel (a real BroadcastChannel, as between the worker and its pages) reads it again and finds it.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CrawlStore } from '../../../utils/crawl/crawl-store';
import { type CrawlMeta, crawlOptionsFrom } from '../../../utils/crawl/types';
import { historyAnnouncer, watchHistory } from '../../../utils/history/history-changes';
import { createHistory } from '../../../utils/history/history-store';
import { PRUNE_LIMITS } from '../../../utils/history/prune';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { openLinkpulseDb } from '../../../utils/storage/database';
import { donePageRun } from '../../support/kept-runs';

const PAGE = 'https://site.test/page';

const pageRun = (runId: string, finishedAt: number) => donePageRun(runId, PAGE, finishedAt);

function siteCheck(crawlId: string, finishedAt: number): CrawlMeta {
  return {
    crawlId,
    tabId: 1,
    startUrl: PAGE,
    origin: 'https://site.test',
    options: crawlOptionsFrom(DEFAULT_SETTINGS),
    settings: DEFAULT_SETTINGS,
    state: 'done',
    paused: false,
    startedAt: finishedAt - 1,
    finishedAt,
    queued: 0,
    notes: [],
  };
}

const opened: BroadcastChannel[] = [];
const open = (name: string) => {
  const channel = new BroadcastChannel(name);
  opened.push(channel);
  return channel;
};

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => {
  for (const channel of opened.splice(0)) channel.close();
});

/** Listens as an open history panel does: on each word, reads the page's kept checks; resolves with the first read. */
function readOnWord(read: () => Promise<string[]>): { heard: Promise<string[]>; stop: () => void } {
  let stop = () => {};
  const heard = new Promise<string[]>((resolve, reject) => {
    stop = watchHistory(() => void read().then(resolve, reject), open);
  });
  return { heard, stop };
}

describe('word that the history changed', () => {
  it('reaches a page that then reads the page check just kept', async () => {
    const history = createHistory(openLinkpulseDb(), PRUNE_LIMITS, historyAnnouncer(open));
    const { heard, stop } = readOnWord(async () => (await history.runsOf(PAGE)).map((r) => r.runId));
    await history.save(pageRun('first', 1), []);
    expect(await heard).toEqual(['first']);
    stop();
  });

  it('reaches a page that then reads the site check just kept', async () => {
    const history = createHistory(openLinkpulseDb(), PRUNE_LIMITS, historyAnnouncer(open));
    const meta = siteCheck('crawl-1', 1);
    await new CrawlStore(await openLinkpulseDb()).saveMeta(meta);
    const { heard, stop } = readOnWord(async () => (await history.siteChecksOf(PAGE)).map((r) => r.runId));
    await history.saveSiteCheck(meta, [], 1);
    expect(await heard).toEqual(['crawl-1']);
    stop();
  });

  it('is said only once what was kept is there to read: a read begun at the word finds it', async () => {
    const reads: Promise<string[]>[] = [];
    const history = createHistory(openLinkpulseDb(), PRUNE_LIMITS, () => {
      reads.push(history.runsOf(PAGE).then((runs) => runs.map((r) => r.runId)));
      reads.push(history.siteChecksOf(PAGE).then((runs) => runs.map((r) => r.runId)));
    });
    await history.save(pageRun('first', 1), []);
    const meta = siteCheck('crawl-1', 2);
    await new CrawlStore(await openLinkpulseDb()).saveMeta(meta);
    await history.saveSiteCheck(meta, [], 1);
    expect(await Promise.all(reads)).toEqual([['first'], [], ['first'], ['crawl-1']]);
  });

  it('is said when runs are removed (pruned or cleared), and not for a write that keeps nothing', async () => {
    let words = 0;
    const history = createHistory(openLinkpulseDb(), { perPage: { page: 1, site: 1 }, maxBytes: 1e9 }, () => words++);
    await history.save(pageRun('first', 1), []);
    expect(words).toBe(1);
    // The second run of the page pushes the first out: kept, then pruned.
    await history.save(pageRun('second', 2), []);
    expect(words).toBe(3);
    await history.clearPage(PAGE);
    expect(words).toBe(4);
    expect(await history.runsOf(PAGE)).toEqual([]);
    // Nothing kept to remove: nothing changed.
    await history.clearAll();
    await history.forgetSiteCheck('none');
    expect(words).toBe(4);
  });

  it('is not heard by a page that stopped listening', async () => {
    let heard = 0;
    const stop = watchHistory(() => heard++, open);
    stop();
    const announce = historyAnnouncer(open);
    announce();
    // A listener still open hears the next word: by then the first word would have reached the closed one.
    await new Promise<void>((resolve) => {
      watchHistory(resolve, open);
      announce();
    });
    expect(heard).toBe(0);
  });
});
