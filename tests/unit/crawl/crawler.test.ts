// The crawler on its own, over a fake site held in memory: pages, redirects and the order pages answer in are written
// per test, so that each case (a redirect into a page queued deeper, a crawl picked up after a restart…) is exact.
// The fixture server's site (site-check.test.ts) checks the whole site check with real requests.
import { describe, expect, it } from 'vitest';
import {
  type CrawlDeps,
  Crawler,
  type CrawlProgress,
  PAGE_URL_MAX,
  type PageFetch,
} from '../../../utils/crawl/crawler';
import { ALLOW_ALL } from '../../../utils/crawl/robots';
import type { CrawlLink, CrawlOptions, CrawlPage } from '../../../utils/crawl/types';
import { createUrlRules } from '../../../utils/rules/url-rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { Hop, LinkResult } from '../../../utils/types';
import { pageAnswer } from '../../support/page-answer';

const ORIGIN = 'https://s.example';
const u = (path: string) => `${ORIGIN}${path}`;

/** A page of the fake site: its HTML, or a redirect; `after`: asked for itself, it answers once that page was read. */
type FakePage = { html?: string; redirect?: string; status?: number; after?: string };
type FakeSite = Record<string, FakePage>;

const links = (...paths: string[]) => paths.map((path) => `<a href="${path}">${path}</a>`).join('');

const OPTIONS: CrawlOptions = {
  maxDepth: 3,
  maxPages: 500,
  samePathOnly: false,
  useSitemap: true,
  respectRobots: false,
  asMe: false,
};

/** The engine's answer for every link it checks in these tests. */
const okResult = (url: string): LinkResult => ({
  url,
  verdict: 'ok',
  reason: '',
  status: 200,
  finalUrl: url,
  ms: 1,
  attempts: 1,
  redirects: [],
  checkedAt: 0,
});

/** A 200 HTML answer with an empty body. */
const answer = (url: string): PageFetch => pageAnswer(url);

/** Something that happens once per path (a page asked for, read): `when` resolves once `signal` was called for it. */
function pathSignals() {
  const resolvers = new Map<string, () => void>();
  const promises = new Map<string, Promise<void>>();
  const when = (path: string) => {
    let promise = promises.get(path);
    if (!promise) {
      promise = new Promise<void>((resolve) => resolvers.set(path, resolve));
      promises.set(path, promise);
    }
    return promise;
  };
  return {
    when,
    signal(path: string) {
      void when(path);
      resolvers.get(path)?.();
    },
  };
}

/**
 * A crawler of the fake site from `/`: page fetches follow its redirects (each hop a 301); the engine's checks (links
 * that are not pages of the crawl) answer ok. Returns what was requested and what the events reported; `timeline`
 * says when each page was asked for (`GET /a`) and read (`read /a`).
 */
function crawlOf(
  site: FakeSite,
  options: Partial<CrawlOptions> = {},
  settings: Settings = DEFAULT_SETTINGS,
  more: Partial<CrawlDeps> = {},
) {
  const fetches: string[] = [];
  const timeline: string[] = [];
  const engine: string[] = [];
  const pages = new Map<string, CrawlPage>();
  const found = new Map<string, CrawlLink>();
  const read = pathSignals();
  const asked = pathSignals();
  const whenRead = read.when;
  const whenAsked = asked.when;
  const deps: CrawlDeps = {
    async fetchPage(url): Promise<PageFetch> {
      fetches.push(url);
      timeline.push(`GET ${new URL(url).pathname}`);
      asked.signal(new URL(url).pathname);
      const hops: Hop[] = [];
      let at = url;
      for (;;) {
        const page = site[new URL(at).pathname];
        if (page?.after && at === url) await whenRead(page.after);
        if (!page?.redirect) {
          return {
            kind: 'response',
            status: page ? (page.status ?? 200) : 404,
            finalUrl: at,
            redirected: hops.length > 0,
            hops,
            contentType: 'text/html',
            body: page?.html ?? '',
            bodyComplete: true,
            botChallenge: false,
            ms: 1,
            attempts: 1,
          };
        }
        hops.push({ url: at, status: 301 });
        at = new URL(page.redirect, at).href;
      }
    },
    async checkLinks(toCheck, _source, onResult) {
      for (const link of toCheck) {
        engine.push(link.url);
        onResult(okResult(link.url));
      }
    },
    rules: (page) => createUrlRules(page, settings),
    robots: ALLOW_ALL,
    now: () => 0,
    ...more,
  };
  const crawler = new Crawler(
    u('/'),
    { ...OPTIONS, ...options },
    deps,
    {
      page: (page) => {
        pages.set(page.url, { ...page });
        timeline.push(`read ${new URL(page.url).pathname}`);
        read.signal(new URL(page.url).pathname);
      },
      link: (link) => found.set(link.url, structuredClone(link)),
      queued: () => {},
      note: () => {},
    },
    new AbortController().signal,
  );
  return { crawler, fetches, timeline, engine, pages, links: found, whenAsked };
}

describe('the crawler: depth through redirects', () => {
  it('reads the links of a start page that redirects to a page the sitemap lists at depth 1, not at depth 2', async () => {
    const site: FakeSite = {
      '/': { redirect: '/home' },
      '/home': { html: links('/l1') },
      '/l1': { html: links('/l2') },
      '/l2': { html: links('/l3') },
      '/l3': { html: links('/l4') },
    };
    const { crawler, fetches, links: found } = crawlOf(site);
    await crawler.run([u('/home')]);
    // /l3 is three clicks from the start (a redirect adds none): fetched; /l4 is checked, not fetched.
    expect(fetches).toContain(u('/l3'));
    expect(fetches).not.toContain(u('/l4'));
    // Each page once: the redirect's body stands for /home, which is not fetched again.
    expect(fetches.filter((url) => url === u('/home'))).toHaveLength(0);
    expect(fetches.filter((url) => url === u('/'))).toHaveLength(1);
    expect(found.get(u('/l4'))?.result?.verdict).toBe('ok');
  });

  it('reads a redirect target queued one level deeper at the depth of the page that redirects to it', async () => {
    const site: FakeSite = {
      '/': { html: links('/a', '/b') },
      // /b is read first and queues /target at depth 2; /a (depth 1) redirects there.
      '/a': { redirect: '/target', after: '/b' },
      '/b': { html: links('/target') },
      '/target': { html: links('/c') },
      '/c': { html: links('/d') },
      '/d': { html: links('/e') },
    };
    const { crawler, fetches, links: found } = crawlOf(site);
    await crawler.run([]);
    expect(fetches).toContain(u('/d'));
    expect(fetches).not.toContain(u('/e'));
    // The target came with /a's redirect: it is not requested again.
    expect(fetches).not.toContain(u('/target'));
    // A link straight to the target is judged from the target's answer, not from /a's redirect.
    expect(found.get(u('/target'))?.result).toMatchObject({ verdict: 'ok', status: 200, redirects: [] });
    expect(found.get(u('/a'))?.result).toMatchObject({ verdict: 'redirected', finalUrl: u('/target') });
  });
});

describe('the crawler: fragments through a redirect', () => {
  // /a redirects to /b, which the start page links too: /b's links are read from /b's own fetch, and a fragment link
  // into /a is judged with /a's redirect and /b's ids, whichever of the two answers first.
  for (const [first, then] of [
    ['/b', '/a'],
    ['/a', '/b'],
  ] as const) {
    it(`judges /a#id by the ids of the page /a redirects to (${first} answers first)`, async () => {
      const site: FakeSite = {
        '/': { html: links('/b', '/a#nobody', '/a#here', '/a') },
        '/a': { redirect: '/b' },
        '/b': { html: '<h2 id="here">Here</h2>' },
      };
      site[then] = { ...site[then], after: first };
      const { crawler, links: found } = crawlOf(site);
      await crawler.run([]);
      expect(found.get(u('/a#nobody'))?.result).toMatchObject({
        verdict: 'broken',
        reason: 'fragment-missing',
        finalUrl: u('/b'),
      });
      expect(found.get(u('/a#here'))?.result).toMatchObject({ verdict: 'redirected', finalUrl: u('/b') });
      expect(found.get(u('/a#here'))?.result?.redirects).toEqual([{ url: u('/a'), status: 301 }]);
      expect(found.get(u('/a'))?.result?.verdict).toBe('redirected');
    });
  }
});

describe('the crawler: soft 404s', () => {
  it('judges a page that redirects by its own answer, and a link straight to where it lands by that one', async () => {
    const site: FakeSite = {
      '/': { html: links('/old', '/b') },
      // /old is read first and lands on /landing, which /b links at depth 2: /landing is read with /old's redirect.
      '/old': { redirect: '/landing' },
      '/b': { html: links('/landing'), after: '/old' },
      '/landing': { html: '<p>Not here</p>' },
    };
    const asked: string[] = [];
    // Stands for the detector: a redirected answer is the host's not-found page.
    const judgeSoft404: CrawlDeps['judgeSoft404'] = async (answer) => {
      asked.push(`${new URL(answer.url).pathname} ${answer.redirected}`);
      return answer.redirected
        ? { kind: 'soft-404', why: { code: 'soft404-same-place', finalUrl: answer.finalUrl } }
        : { kind: 'none' };
    };
    const { crawler, fetches, links: found } = crawlOf(site, {}, DEFAULT_SETTINGS, { judgeSoft404 });
    await crawler.run([]);
    expect(found.get(u('/old'))?.result).toMatchObject({ verdict: 'broken', reason: 'soft-404' });
    expect(found.get(u('/old'))?.result?.notes).toEqual([{ code: 'soft404-same-place', finalUrl: u('/landing') }]);
    expect(found.get(u('/landing'))?.result).toMatchObject({ verdict: 'ok', redirects: [] });
    expect(found.get(u('/b'))?.result?.verdict).toBe('ok');
    expect(fetches).not.toContain(u('/landing'));
    expect(asked).toContain('/landing false');
  });
});

describe('the crawler: pages in flight', () => {
  it("asks for 12 pages at once, twice a host's 6 connections, so its slots stay full while pages are read", async () => {
    const paths = Array.from({ length: 30 }, (_, i) => `/p${i}`);
    let open = 0;
    let most = 0;
    const fetchPage: CrawlDeps['fetchPage'] = async (url) => {
      open += 1;
      most = Math.max(most, open);
      // Each page answers in a later task: every page the crawler asks for at once is asked for by then.
      if (new URL(url).pathname !== '/') await new Promise((resolve) => setTimeout(resolve, 0));
      open -= 1;
      const html = new URL(url).pathname === '/' ? links(...paths) : '';
      return { ...answer(url), body: html };
    };
    const { crawler, pages } = crawlOf({}, {}, DEFAULT_SETTINGS, { fetchPage });
    await crawler.run([]);
    expect(pages.size).toBe(31);
    expect(most).toBe(12);
  });
});

describe('the crawler: soft 404s, judged beside the crawl', () => {
  it("reads a page's links while its host's probe is under way; links into it wait for its judgement", async () => {
    const site: FakeSite = { '/': { html: links('/a') }, '/a': { html: links('/', '/b') }, '/b': { html: '' } };
    let crawl: ReturnType<typeof crawlOf> | undefined;
    // The start page's judgement comes only once /b (found on /a) was asked for: a crawl that waited for it to read
    // the start page's links would never end.
    const judgeSoft404: CrawlDeps['judgeSoft404'] = async (page) => {
      if (new URL(page.url).pathname !== '/') return { kind: 'none' };
      await crawl?.whenAsked('/b');
      return { kind: 'soft-404', why: { code: 'soft404-same-place', finalUrl: page.finalUrl } };
    };
    crawl = crawlOf(site, {}, DEFAULT_SETTINGS, { judgeSoft404 });
    await crawl.crawler.run([]);
    expect(crawl.fetches).toEqual([u('/'), u('/a'), u('/b')]);
    // The link to the start page was found on /a before the start page's judgement came: it got that judgement.
    expect(crawl.links.get(u('/'))?.result).toMatchObject({ verdict: 'broken', reason: 'soft-404' });
    expect(crawl.links.get(u('/a'))?.result?.verdict).toBe('ok');
  });
});

/** A page read before the worker restarted, as the stored crawl keeps it. */
const storedPage = (path: string, depth: number): CrawlPage => ({
  url: u(path),
  depth,
  status: 200,
  finalUrl: u(path),
  title: '',
  links: 1,
  note: '',
});
/** A link found before the restart on the page at `source`, still waiting for its verdict. */
const storedLink = (path: string, source: string): CrawlLink => ({
  url: u(path),
  occurrences: 1,
  texts: [],
  phase: 'queued',
  sources: [{ page: u(source), text: '' }],
  sourceCount: 1,
});

describe('the crawler: picked up after the worker restarted', () => {
  it('judges a new link into a page read before the restart (with the engine: its answer was not kept)', async () => {
    const site: FakeSite = { '/': { html: links('/p') }, '/p': { html: links('/', '/#top') } };
    const { crawler, fetches, engine, links: found } = crawlOf(site);
    const progress: CrawlProgress = {
      pages: [storedPage('/', 0)],
      pending: [{ url: u('/p'), depth: 1 }],
      links: [storedLink('/p', '/')],
    };
    await crawler.run([], progress);
    expect(fetches).toEqual([u('/p')]);
    expect(found.get(u('/p'))?.result?.verdict).toBe('ok');
    for (const url of [u('/'), u('/#top')]) {
      expect(found.get(url)?.result?.verdict).toBe('ok');
      expect(engine).toContain(url);
    }
  });

  it('judges a fragment link into a redirect to a page read before the restart', async () => {
    const site: FakeSite = { '/a': { redirect: '/b' }, '/b': { html: '<h2 id="here">Here</h2>' } };
    const { crawler, fetches, engine, links: found } = crawlOf(site);
    await crawler.run([], {
      pages: [storedPage('/', 0), storedPage('/b', 1)],
      pending: [{ url: u('/a'), depth: 1 }],
      links: [storedLink('/a#here', '/')],
    });
    expect(fetches).toEqual([u('/a')]);
    expect(engine).toEqual([u('/a#here')]);
    expect(found.get(u('/a#here'))?.result?.verdict).toBe('ok');
  });

  it('goes on level by level: the pending pages of the lowest depth first, the deeper ones with the next level', async () => {
    const site: FakeSite = { '/a': { html: links('/y') }, '/x': { html: links('/y') }, '/y': { html: '' } };
    const { crawler, fetches, timeline, pages } = crawlOf(site, { maxDepth: 2 });
    await crawler.run([], {
      pages: [storedPage('/', 0), storedPage('/b', 1)],
      pending: [
        { url: u('/a'), depth: 1 },
        { url: u('/x'), depth: 2 },
      ],
      links: [storedLink('/a', '/'), storedLink('/b', '/'), storedLink('/x', '/b')],
    });
    // /x (depth 2) waits for its level: read with /a's, it could find /y first and take it for depth 3.
    expect(timeline.indexOf('GET /x')).toBeGreaterThan(timeline.indexOf('read /a'));
    expect(fetches).toContain(u('/y'));
    expect(pages.get(u('/y'))?.depth).toBe(2);
    expect(pages.get(u('/x'))?.depth).toBe(2);
  });

  it('does not fetch again a pending page that the stored pages hold already', async () => {
    const site: FakeSite = { '/p': { html: links('/q') }, '/q': { html: '' } };
    const { crawler, fetches, links: found } = crawlOf(site);
    await crawler.run([], {
      pages: [storedPage('/', 0), storedPage('/p', 1)],
      // A stale stored list of pending pages.
      pending: [{ url: u('/p'), depth: 1 }],
      links: [storedLink('/p', '/'), { ...storedLink('/q', '/p'), phase: 'done', result: okResult(u('/q')) }],
    });
    expect(fetches).toEqual([]);
    expect(found.get(u('/q'))?.occurrences ?? 1).toBe(1);
  });
});

describe('the crawler: sitemap pages', () => {
  it("never fetches a sitemap page that signs out or unsubscribes, nor one the person's exclusions name", async () => {
    const site: FakeSite = {
      '/': { html: links('/about') },
      '/about': { html: '' },
      '/account/logout': { html: 'Signed out' },
      '/newsletter/unsubscribe': { html: 'Unsubscribed' },
      '/drafts/next': { html: '' },
      '/listed': { html: '' },
    };
    const settings = { ...DEFAULT_SETTINGS, excludePatterns: ['*/drafts/*'] };
    const { crawler, fetches } = crawlOf(site, {}, settings);
    await crawler.run(['/account/logout', '/newsletter/unsubscribe', '/drafts/next', '/listed'].map(u));
    expect(fetches).toContain(u('/listed'));
    expect(fetches).not.toContain(u('/account/logout'));
    expect(fetches).not.toContain(u('/newsletter/unsubscribe'));
    expect(fetches).not.toContain(u('/drafts/next'));
  });
});

describe('the crawler: page addresses', () => {
  it('crawls a page of the site only when its address is at most 2 048 characters; a longer one is checked as a link', async () => {
    // Each link keeps the addresses of the pages that hold it: a site of pages with huge addresses must not make
    // each link weigh megabytes.
    const long = `/long?q=${'x'.repeat(PAGE_URL_MAX)}`;
    const fits = `/fits?q=${'y'.repeat(PAGE_URL_MAX - u('/fits?q=').length)}`;
    const site: FakeSite = {
      '/': { html: links(long, fits) },
      '/long': { html: links('/from-long') },
      '/fits': { html: links('/from-fits') },
      '/from-long': { html: '' },
      '/from-fits': { html: '' },
    };
    const { crawler, fetches, engine } = crawlOf(site);
    // The sitemap's pages too.
    await crawler.run([u('/listed'), u(`/seed?q=${'z'.repeat(PAGE_URL_MAX)}`)]);
    expect(u(fits)).toHaveLength(PAGE_URL_MAX);
    expect(fetches).toContain(u(fits));
    expect(fetches).toContain(u('/from-fits'));
    expect(fetches).toContain(u('/listed'));
    expect(fetches.filter((f) => f.length > PAGE_URL_MAX)).toEqual([]);
    expect(engine).toContain(u(long));
    expect(fetches).not.toContain(u('/from-long'));
  });
});
