import { batch, signal } from '@preact/signals';
import type { CrawlServerMessage } from '@/utils/crawl/protocol';
import type { CrawlLink, CrawlMeta, CrawlPage } from '@/utils/crawl/types';
import { RunCounter } from '@/utils/report/report';
import { crawlUnavailableText } from './unavailable-words';

/**
 * Link changes shown per frame. The worker sends what changed every 200 ms, a few hundred links at a busy moment: drawn
 * in one frame, each of its rows is a row drawn once, and the page's style, layout, paint and commit run once for them,
 * not once per hundred rows over several frames. Measured (`npm run bench -- --only=crawl --profile`, CPU time of the
 * crawl page's main-thread tasks): 0.95–1.26 s at 100 a frame, 0.64–0.69 s at 400, its longest task 11 ms of CPU. Its
 * long tasks are mostly tasks that the other threads of a loaded 2-core machine held off (50 ms long, 4 ms of CPU):
 * less time in tasks leaves fewer chances of that. More than this wait for the next frames (a reopened page of
 * thousands of links).
 */
export const LINKS_PER_FRAME = 400;

/**
 * Runs `publish` once per frame, in a task of its own just after the frame: the rows it draws then are laid out and
 * painted by the next frame. Drawing inside the frame callback made one task of the script and the browser's style,
 * layout and paint together, the crawl page's long tasks (`npm run bench -- --only=crawl --profile`).
 */
function nextFrameTask(publish: () => void): void {
  requestAnimationFrame(() => setTimeout(publish, 0));
}

/**
 * The crawl page's state, fed by the crawl port. Changes are applied to working copies and published once per
 * animation frame, at most `perFrame` changed links at a time. Until every link received is shown, the published
 * state stays as it was (`running`): a check reads as done only once every row says so.
 */
export function createCrawlSignals(
  schedule: (publish: () => void) => void = nextFrameTask,
  perFrame = LINKS_PER_FRAME,
) {
  const meta = signal<CrawlMeta | null>(null);
  const pages = signal<CrawlPage[]>([]);
  /** Every link shown, in the order they arrived: a link keeps its index, and a changed link is a new object. */
  const links = signal<CrawlLink[]>([]);
  const unavailable = signal<string | null>(null);
  /** The shown links' counts, kept link by link as rows are published (RunCounter), with the state shown. */
  const counter = new RunCounter();
  const summary = signal(counter.summary('running'));
  let workingPages = new Map<string, CrawlPage>();
  let workingMeta: CrawlMeta | null = null;
  /** Links received and not shown yet, by URL, oldest first. */
  let waiting = new Map<string, CrawlLink>();
  let shown: CrawlLink[] = [];
  let shownAt = new Map<string, number>();
  /** A page arrived since the pages were last published (else the same list is published again: nothing redraws). */
  let pagesChanged = false;
  /** The working metadata the published one was copied from while rows are still being drawn. */
  let heldFrom: CrawlMeta | null = null;
  let scheduled = false;

  function publish() {
    scheduled = false;
    let left = perFrame;
    for (const [url, link] of waiting) {
      if (left-- === 0) break;
      waiting.delete(url);
      const at = shownAt.get(url);
      if (at === undefined) {
        shownAt.set(url, shown.length);
        shown.push(link);
        counter.add(link);
      } else {
        counter.replace(shown[at] as CrawlLink, link);
        shown[at] = link;
      }
    }
    const state = workingMeta;
    batch(() => {
      if (waiting.size > 0 && state) {
        // Still drawing the rows: the state shown stays what it was until they are all there. Made once per working
        // copy, so that a frame that only draws rows leaves the metadata (and what shows it) as it was.
        if (heldFrom !== state) {
          const held = meta.value?.crawlId === state.crawlId ? meta.value.state : 'running';
          meta.value = { ...state, state: held };
          heldFrom = state;
        }
      } else {
        meta.value = state;
        heldFrom = null;
      }
      if (pagesChanged) pages.value = [...workingPages.values()];
      pagesChanged = false;
      links.value = shown.slice();
      summary.value = counter.summary(meta.value?.state ?? 'running');
    });
    if (waiting.size > 0) later();
  }

  function later() {
    if (scheduled) return;
    scheduled = true;
    schedule(publish);
  }

  /** The rows sent ahead of the next snapshot or update, in parts (see inParts), and whose crawl they are. */
  let ahead: { crawlId: string; pages: CrawlPage[][]; links: CrawlLink[][] } | null = null;

  /** The message's rows, after any sent ahead of it for the same crawl. */
  function rowsOf(message: { meta: CrawlMeta; pages: CrawlPage[]; links: CrawlLink[] }) {
    const before = ahead?.crawlId === message.meta.crawlId ? ahead : null;
    ahead = null;
    if (!before) return message;
    return { pages: before.pages.flat().concat(message.pages), links: before.links.flat().concat(message.links) };
  }

  function apply(message: CrawlServerMessage) {
    switch (message.type) {
      case 'crawl-rows':
        if (ahead?.crawlId !== message.crawlId) ahead = { crawlId: message.crawlId, pages: [], links: [] };
        ahead.pages.push(message.pages);
        ahead.links.push(message.links);
        return;
      case 'crawl-snapshot': {
        // The same crawl again (the port reconnected after the worker stopped): its rows stay and are brought up to
        // date; another crawl starts from no rows.
        if (workingMeta?.crawlId !== message.meta.crawlId) {
          shown = [];
          shownAt = new Map();
          counter.reset([]);
        }
        const rows = rowsOf(message);
        workingPages = new Map(rows.pages.map((p) => [p.url, p]));
        pagesChanged = true;
        waiting = new Map(rows.links.map((l) => [l.url, l]));
        workingMeta = message.meta;
        unavailable.value = null;
        break;
      }
      case 'crawl-update': {
        // An update of another crawl (a newer one replaced it) starts over from the next snapshot.
        if (workingMeta && workingMeta.crawlId !== message.meta.crawlId) return;
        workingMeta = message.meta;
        const rows = rowsOf(message);
        for (const p of rows.pages) workingPages.set(p.url, p);
        if (rows.pages.length > 0) pagesChanged = true;
        // A link already waiting keeps its place (Map order): rows keep the order the links arrived in.
        for (const l of rows.links) waiting.set(l.url, l);
        break;
      }
      case 'crawl-unavailable':
        unavailable.value = crawlUnavailableText(message.problem);
        return;
    }
    later();
  }

  return { meta, pages, links, summary, unavailable, apply };
}

export type CrawlSignals = ReturnType<typeof createCrawlSignals>;
