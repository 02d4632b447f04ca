import { batch, computed, signal } from '@preact/signals';
import type { CrawlServerMessage } from '@/utils/crawl/protocol';
import type { CrawlLink, CrawlMeta, CrawlPage } from '@/utils/crawl/types';
import { summarize } from '@/utils/report/report';
import { crawlUnavailableText } from './unavailable-words';

/**
 * The crawl page's state, fed by the crawl port. Changes are applied to working copies and published at most once
 * per animation frame: a site check's rows stream in by the thousand.
 */
export function createCrawlSignals(schedule: (publish: () => void) => void = requestAnimationFrame) {
  const meta = signal<CrawlMeta | null>(null);
  const pages = signal<CrawlPage[]>([]);
  const links = signal<CrawlLink[]>([]);
  const unavailable = signal<string | null>(null);
  const summary = computed(() => summarize(links.value, meta.value?.state ?? 'running'));
  let workingPages = new Map<string, CrawlPage>();
  let workingLinks = new Map<string, CrawlLink>();
  let workingMeta: CrawlMeta | null = null;
  let scheduled = false;

  function publish() {
    scheduled = false;
    batch(() => {
      meta.value = workingMeta;
      pages.value = [...workingPages.values()];
      links.value = [...workingLinks.values()];
    });
  }

  function apply(message: CrawlServerMessage) {
    switch (message.type) {
      case 'crawl-snapshot':
        workingPages = new Map(message.pages.map((p) => [p.url, p]));
        workingLinks = new Map(message.links.map((l) => [l.url, l]));
        workingMeta = message.meta;
        unavailable.value = null;
        break;
      case 'crawl-update':
        // An update of another crawl (a newer one replaced it) starts over from the next snapshot.
        if (workingMeta && workingMeta.crawlId !== message.meta.crawlId) return;
        workingMeta = message.meta;
        for (const p of message.pages) workingPages.set(p.url, p);
        for (const l of message.links) workingLinks.set(l.url, l);
        break;
      case 'crawl-unavailable':
        unavailable.value = crawlUnavailableText(message.problem);
        return;
    }
    if (!scheduled) {
      scheduled = true;
      schedule(publish);
    }
  }

  return { meta, pages, links, summary, unavailable, apply };
}

export type CrawlSignals = ReturnType<typeof createCrawlSignals>;
