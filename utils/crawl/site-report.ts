import { englishStoredNote } from '../notes/english';
import { type Report, summarize, toReportLink } from '../report/report';
import type { Settings } from '../settings';
import type { CrawlLink, CrawlMeta, CrawlPage } from './types';

/**
 * A site check as the export schema has it: the page report's fields (the start page as `page`), each link with the
 * pages that hold it, and `site` with the options and every crawled page. The same four writers write it.
 */
export function buildSiteReport(meta: CrawlMeta, settings: Settings, pages: CrawlPage[], links: CrawlLink[]): Report {
  const start = pages.find((p) => p.url === meta.startUrl);
  return {
    tool: 'Linkpulse',
    version: 1,
    page: { url: meta.startUrl, title: start?.title ?? '' },
    startedAt: new Date(meta.startedAt).toISOString(),
    finishedAt: meta.finishedAt === null ? null : new Date(meta.finishedAt).toISOString(),
    settings: structuredClone(settings),
    summary: summarize(links, meta.state),
    links: links.map((link) => ({
      ...toReportLink(link),
      sources: link.sources.map((s) => ({ page: s.page, text: s.text })),
      sourceCount: link.sourceCount,
    })),
    site: {
      origin: meta.origin,
      startUrl: meta.startUrl,
      options: { ...meta.options },
      pages: pages.map((p) => ({ ...p, note: englishStoredNote(p.note) })),
    },
  };
}
