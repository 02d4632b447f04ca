import { CrawlStore } from '../../utils/crawl/crawl-store';
import { type CrawlLink, type CrawlMeta, type CrawlPage, crawlOptionsFrom } from '../../utils/crawl/types';
import { DEFAULT_SETTINGS } from '../../utils/settings';
import { openLinkpulseDb } from '../../utils/storage/database';
import type { Verdict } from '../../utils/types';
import { judged } from './kept-runs';

/** A checked link of a site check, found on one page. */
export function link(url: string, verdict: Verdict): CrawlLink {
  return { ...judged(url, verdict), sources: [{ page: 'https://s.test/', text: 'x' }], sourceCount: 1 };
}

/** A site check's meta in the given state (finished at `finishedAt` unless still running). */
export function crawl(
  crawlId: string,
  startUrl: string,
  finishedAt: number,
  state: CrawlMeta['state'] = 'done',
): CrawlMeta {
  return {
    crawlId,
    tabId: 1,
    startUrl,
    origin: new URL(startUrl).origin,
    options: crawlOptionsFrom(DEFAULT_SETTINGS),
    settings: DEFAULT_SETTINGS,
    state,
    paused: false,
    startedAt: finishedAt - 1,
    finishedAt: state === 'running' ? null : finishedAt,
    queued: 0,
    notes: [],
  };
}

export const page = (url: string): CrawlPage => ({
  url,
  depth: 0,
  status: 200,
  finalUrl: url,
  title: '',
  links: 1,
  note: '',
});

/** A site check as the crawl leaves it: its meta and rows written to the crawl stores. */
export async function writeCrawl(meta: CrawlMeta, links: CrawlLink[], pages = [page(meta.startUrl)]): Promise<void> {
  const store = new CrawlStore(await openLinkpulseDb());
  await store.saveMeta(meta);
  await store.saveRows(meta.crawlId, 'pages', pages);
  await store.saveRows(meta.crawlId, 'links', links);
}
