import { createBytePool } from '../check/body-pool';
import { type CheckLinksOptions, checkLinks, profileCacheOf, type RunScope } from '../check/check-links';
import type { TargetDeps } from '../check/check-target';
import type { Limiter } from '../check/limiter';
import type { NetObserver } from '../check/request';
import { createSoft404Detector, createSoft404Session, SOFT_404_BODY_CAP } from '../check/soft-404/detector';
import { fingerprintPage } from '../check/soft-404/page';
import type { IgnoredLink } from '../history/ignore';
import { createAddressGuard } from '../rules/address-guard';
import { createUrlRules, privateNetworkGuard, type Rule } from '../rules/url-rules';
import type { Settings } from '../settings';
import { type CrawlEvents, Crawler, type CrawlProgress, PAGE_BODY_BYTES } from './crawler';
import { createPageFetcher } from './fetch-page';
import { gunzipCapped, isGzipFile } from './gunzip';
import { isHtmlType, ownCopy } from './page-links';
import { ALLOW_ALL, parseRobots, ROBOTS_MAX_BYTES, type RobotsRules } from './robots';
import { parseSitemap, SITEMAP_MAX_BYTES } from './sitemap';
import type { CrawlOptions } from './types';

/** Sitemap files read at most (a sitemap index may list many): seeds are a help, not the crawl. */
const MAX_SITEMAP_FILES = 5;
const MAX_SITEMAP_URLS = 50_000;

export interface SiteCheckInput {
  startUrl: string;
  options: CrawlOptions;
  settings: Settings;
  limiter: Limiter;
  deps: TargetDeps & { observer?: NetObserver };
  cache?: CheckLinksOptions['cache'];
  signal: AbortSignal;
  events: CrawlEvents;
  /** Resolves when the crawl may go on (pause). */
  gate?: () => Promise<void>;
  /** Where an interrupted crawl stood: it goes on from there. */
  progress?: CrawlProgress;
  /** The crawler, once made: the caller reads its progress to save it. */
  onCrawler?: (crawler: Crawler) => void;
  /** The links the person ignored on this site, by URL: skipped rows, never requested, as in a page check. */
  ignored?: ReadonlyMap<string, IgnoredLink>;
}

/** The rules of a page's links with the site's ignored links first: those are `skipped` / `ignored`. */
function withIgnores(rule: (url: string) => Rule, ignored: ReadonlyMap<string, IgnoredLink> | undefined) {
  if (!ignored || ignored.size === 0) return rule;
  return (url: string): Rule => {
    const link = ignored.get(url);
    return link ? { action: 'skip', reason: 'ignored', detail: { code: 'ignored', note: link.note } } : rule(url);
  };
}

type FetchPage = ReturnType<typeof createPageFetcher>;

async function readText(fetchPage: FetchPage, url: string, max: number) {
  const answer = await fetchPage(url, max);
  return answer.kind === 'response' && answer.status >= 200 && answer.status < 300 && answer.body !== null
    ? answer.body
    : null;
}

/**
 * A sitemap's XML: a gzip file (`sitemap-1.xml.gz`, as sites list them in an index) is read as bytes and inflated, up
 * to the same cap as a plain one. Sitemaps are UTF-8 (the protocol).
 */
async function readSitemap(fetchPage: FetchPage, url: string): Promise<string | null> {
  const answer = await fetchPage(url, SITEMAP_MAX_BYTES, undefined, isGzipFile);
  if (answer.kind !== 'response' || answer.status < 200 || answer.status >= 300) return null;
  if (answer.bytes) return new TextDecoder().decode(await gunzipCapped(answer.bytes, SITEMAP_MAX_BYTES));
  return answer.body;
}

/**
 * A whole site check: robots.txt and the sitemap first (each optional), then the crawl. Pages and link checks share
 * the page check's limiter, rules, guard and result cache; the person's cookies go to the site's own requests only, and
 * only when they asked ("as me").
 */
export async function checkSite(input: SiteCheckInput): Promise<void> {
  const { startUrl, options, settings, limiter, deps, signal, events } = input;
  const origin = new URL(startUrl).origin;
  const allowRedirect = privateNetworkGuard(startUrl, settings);
  // One guard by address for the whole crawl, its pages and its links alike: a host found answering from the user's
  // network is closed for the rest of it, not once per page. The start page's address tells what network the site is on.
  const { pageAddress } = deps;
  const addressGuard =
    allowRedirect && pageAddress
      ? createAddressGuard(() => pageAddress(startUrl), {
          resolve: deps.resolveHost,
          addressSpaces: deps.addressSpaces,
        })
      : undefined;
  const fetchPage = createPageFetcher({
    settings,
    limiter,
    deps,
    signal,
    cookieOrigin: options.asMe ? origin : null,
    allowRedirect,
    addressGuard,
    bodyPool: createBytePool(PAGE_BODY_BYTES),
  });
  let robots: RobotsRules = ALLOW_ALL;
  if (options.respectRobots) {
    const text = await readText(fetchPage, `${origin}/robots.txt`, ROBOTS_MAX_BYTES);
    if (text !== null) robots = parseRobots(text);
  }
  const seeds: string[] = [];
  if (options.useSitemap && !input.progress) {
    const queue = [`${origin}/sitemap.xml`];
    for (let files = 0; queue.length > 0 && files < MAX_SITEMAP_FILES && !signal.aborted; files++) {
      const url = queue.shift() as string;
      const xml = await readSitemap(fetchPage, url);
      if (xml === null) continue;
      const found = parseSitemap(xml, MAX_SITEMAP_URLS - seeds.length);
      seeds.push(...found.pages);
      // Only the site's own sitemaps: an index cannot send the crawl elsewhere.
      queue.push(...found.sitemaps.filter((s) => URL.parse(s)?.origin === origin));
    }
  }
  const engineSettings = (sameSite: boolean): Settings => ({ ...settings, sendCookies: sameSite && options.asMe });
  // One soft-404 probe per host for the whole crawl, not per page; on the site itself, only where robots.txt allows.
  const scope: RunScope = {
    addressGuard,
    soft404Session: createSoft404Session((url) => {
      const parsed = URL.parse(url);
      return parsed !== null && (parsed.origin !== origin || robots.allows(parsed));
    }),
    probesOutliveJobs: true,
  };
  // The site's own pages are judged for soft 404s by the detector the engine uses, in the same session: one probe per
  // host for the crawl and its link checks together, with the cookies the site's pages go with.
  const soft404 =
    settings.detectSoft404 && scope.soft404Session
      ? createSoft404Detector({
          settings: engineSettings(true),
          limiter,
          deps,
          signal,
          allowRedirect,
          addressGuard,
          session: scope.soft404Session,
          cache: options.asMe ? undefined : profileCacheOf(input.cache),
          useCache: !options.asMe,
          cookieOrigin: origin,
        })
      : null;
  const crawler = new Crawler(
    startUrl,
    options,
    {
      // A page is read only when it is HTML: its links are all the crawl wants of it.
      fetchPage: (url, maxBytes) => fetchPage(url, maxBytes, isHtmlType),
      robots,
      now: deps.now,
      rules: (page) => withIgnores(createUrlRules(page, settings), input.ignored),
      judgeSoft404: soft404
        ? ({ body, bodyComplete, ...answer }) => {
            // The page in hand stands for the one the detector would read: as much of it as it would read. The
            // judgement may wait for the host's probe while the crawl goes on: it holds 64 kB of the page at most.
            const read =
              body === null ? null : body.length > SOFT_404_BODY_CAP ? ownCopy(body.slice(0, SOFT_404_BODY_CAP)) : body;
            const truncated = !bodyComplete || (body !== null && body.length > SOFT_404_BODY_CAP);
            const page = read === null ? null : fingerprintPage(read, [answer.url, answer.finalUrl], truncated);
            return soft404.inspect({ ...answer, page }).then((inspection) => inspection.judgement);
          }
        : undefined,
      async checkLinks(links, sourcePage, onResult) {
        // Cookies (when "as me") for the site's own links only, never for where they redirect; a result asked with
        // cookies is never cached.
        const own = links.filter((l) => URL.parse(l.url)?.origin === origin);
        const others = links.filter((l) => URL.parse(l.url)?.origin !== origin);
        const run = (group: typeof links, sameSite: boolean) =>
          group.length === 0
            ? Promise.resolve()
            : checkLinks({
                pageUrl: sourcePage,
                links: group,
                settings: engineSettings(sameSite),
                deps,
                signal,
                limiter,
                scope,
                cookieOrigin: origin,
                cache: sameSite && options.asMe ? undefined : input.cache,
                useCache: !(sameSite && options.asMe),
                onResult,
              });
        await Promise.all([run(own, true), run(others, false)]);
      },
    },
    events,
    signal,
    input.gate,
  );
  input.onCrawler?.(crawler);
  await crawler.run(seeds, input.progress);
}
