import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { realTimeDeps } from '../../../utils/check/check-links';
import { createLimiter } from '../../../utils/check/limiter';
import { createPageFetcher } from '../../../utils/crawl/fetch-page';
import { isHtmlType } from '../../../utils/crawl/page-links';
import { checkSite, type SiteCheckInput } from '../../../utils/crawl/site-check';
import type { CrawlLink, CrawlOptions, CrawlPage } from '../../../utils/crawl/types';
import type { Note } from '../../../utils/notes/note';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';
import { observerStub } from '../../support/observer-stub';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

const OPTIONS: CrawlOptions = {
  maxDepth: 3,
  maxPages: 500,
  samePathOnly: false,
  useSitemap: true,
  respectRobots: true,
  asMe: false,
};

/** Runs a site check to its end; returns what its events reported. */
async function siteCheck(input: Omit<SiteCheckInput, 'signal' | 'events'>) {
  const pages = new Map<string, CrawlPage>();
  const links = new Map<string, CrawlLink>();
  const notes: Note[] = [];
  await checkSite({
    ...input,
    signal: new AbortController().signal,
    events: {
      page: (p) => pages.set(p.url, { ...p }),
      link: (l) => links.set(l.url, structuredClone(l)),
      queued: () => {},
      note: (n) => notes.push(n),
    },
  });
  return { pages, links, notes };
}

/** Crawls the fixture site (tests/fixtures/site.ts) with Node's real fetch. */
function crawl(options: Partial<CrawlOptions> = {}, fetchImpl: typeof fetch = fetch) {
  return siteCheck({
    startUrl: server.url('/site/'),
    options: { ...OPTIONS, ...options },
    settings: DEFAULT_SETTINGS,
    limiter: createLimiter({ global: 64, perHost: 6 }),
    deps: realTimeDeps(fetchImpl),
  });
}

const u = (path: string) => server.url(path);

describe('a site check of the fixture site', () => {
  it('fetches each page of depth 0–3 once, by GET, and never follows further', async () => {
    const { pages } = await crawl();
    const got = server.requests.filter((r) => r.path.startsWith('/site/'));
    const paths = got.map((r) => r.path);
    // Each page once: the loop between loop-a and loop-b, and the many links to Home, fetch nothing twice.
    expect(paths.filter((p) => p === '/site/')).toHaveLength(1);
    expect(paths.filter((p) => p === '/site/loop-a')).toHaveLength(1);
    expect(paths.filter((p) => p === '/site/loop-b')).toHaveLength(1);
    for (const depth of ['/site/d1', '/site/d2', '/site/d3']) {
      expect(got.filter((r) => r.path === depth).map((r) => r.method)).toEqual(['GET']);
      expect(pages.get(u(depth))?.status).toBe(200);
    }
    // d4 is linked from a depth-3 page: checked (not with a page fetch's GET), its own links never seen.
    expect(pages.has(u('/site/d4'))).toBe(false);
    expect(got.some((r) => r.path === '/site/d4')).toBe(true);
    expect(paths).not.toContain('/site/d5');
    expect(pages.get(u('/site/d1'))?.depth).toBe(1);
    expect(pages.get(u('/site/d3'))?.depth).toBe(3);
  });

  it('never requests state-changing, nofollow or robots-disallowed links, and says why each is skipped', async () => {
    const { links } = await crawl();
    const paths = server.requests.map((r) => r.path);
    for (const [path, reason] of [
      ['/site/logout', 'state-changing'],
      ['/site/account?action=delete', 'state-changing'],
      ['/site/nofollow-target', 'nofollow'],
      ['/site/private/secret', 'robots'],
    ] as const) {
      expect(paths).not.toContain(path);
      expect(links.get(u(path))?.result).toMatchObject({ verdict: 'skipped', reason });
    }
    // robots.txt rules for other crawlers do not apply to this one.
    expect(links.get(u('/site/about'))?.result?.verdict).toBe('ok');
  });

  it('judges every distinct link once, with the pages that hold it', async () => {
    const { links } = await crawl();
    const verdict = (path: string) => links.get(path.startsWith('/') ? u(path) : path)?.result;
    expect(verdict('/site/missing')).toMatchObject({ verdict: 'broken', status: 404 });
    expect(verdict('/site/moved')).toMatchObject({ verdict: 'redirected', status: 200, finalUrl: u('/site/about') });
    expect(verdict('/site/report.pdf')).toMatchObject({ verdict: 'ok', status: 200 });
    expect(verdict('/site/about#team')?.verdict).toBe('ok');
    expect(verdict('/site/about#nobody')).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    expect(verdict('/site/members')).toMatchObject({ verdict: 'blocked', status: 403 });
    expect(verdict(server.url('/status/404', 'localhost'))).toMatchObject({ verdict: 'broken', status: 404 });
    expect(verdict('mailto:someone@example.com')).toMatchObject({ verdict: 'skipped', reason: 'scheme' });
    // The docs page's <base href> resolves its relative link.
    expect(verdict('/site/docs/v2/intro')?.verdict).toBe('ok');
    // Home is linked from the start page's children: two pages hold it.
    const home = links.get(u('/site/'));
    expect(home?.sourceCount).toBeGreaterThanOrEqual(2);
    expect(home?.sources.map((s) => s.page)).toContain(u('/site/about'));
    // /site/about is judged from its page fetch: only GETs reach it (its own, and /site/moved's redirect hop).
    expect(new Set(server.requests.filter((r) => r.path === '/site/about').map((r) => r.method))).toEqual(
      new Set(['GET']),
    );
  });

  it('seeds from the sitemap (its own origin only) and follows the pages it lists', async () => {
    const { pages } = await crawl();
    expect(pages.get(u('/site/from-sitemap'))?.depth).toBe(1);
    expect(pages.get(u('/site/sitemap-child'))?.status).toBe(200);
    expect(server.requests.some((r) => r.host === 'elsewhere.test')).toBe(false);
    server.resetStats();
    const without = await crawl({ useSitemap: false });
    expect(without.pages.has(u('/site/from-sitemap'))).toBe(false);
    expect(server.requests.some((r) => r.path === '/sitemap.xml')).toBe(false);
  });

  it('honours a lower depth and page limit', async () => {
    const shallow = await crawl({ maxDepth: 1, useSitemap: false });
    expect(shallow.pages.has(u('/site/d1'))).toBe(true);
    expect(shallow.pages.has(u('/site/d2'))).toBe(false);
    expect(shallow.links.get(u('/site/d2'))?.result?.verdict).toBe('ok');
    server.resetStats();
    const few = await crawl({ maxPages: 3, useSitemap: false });
    expect(few.pages.size).toBeLessThanOrEqual(3);
    // Links beyond the page limit are still checked.
    expect([...few.links.values()].every((l) => l.result !== undefined)).toBe(true);
  });

  it("sends the person's cookies only as them, and only to the site itself", async () => {
    const withCookie: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      // Node's fetch has no cookie jar: "include" stands for the browser's session cookie.
      if (init?.credentials === 'include') headers.set('cookie', 'session=1');
      return fetch(input, { ...init, headers });
    };
    const asGuest = await crawl({ useSitemap: false }, withCookie);
    expect(asGuest.links.get(u('/site/members'))?.result?.verdict).toBe('blocked');
    expect(server.requests.every((r) => r.headers.cookie === undefined)).toBe(true);
    server.resetStats();
    const asMe = await crawl({ useSitemap: false, asMe: true }, withCookie);
    expect(asMe.links.get(u('/site/members'))?.result?.verdict).toBe('ok');
    expect(asMe.pages.get(u('/site/members/area'))?.status).toBe(200);
    const external = server.requests.filter((r) => r.host === 'localhost');
    expect(external.length).toBeGreaterThan(0);
    expect(external.every((r) => r.headers.cookie === undefined)).toBe(true);
  });
});

describe('a site check of a public site whose pages redirect elsewhere', () => {
  // A small public site on a local server: its pages redirect into the user's network (a public name the browser found
  // answering from 127.0.0.1, as 127.0.0.1.nip.io does) and out to another site. Every name reaches the local server.
  const hits: { host: string; path: string; cookie: string | undefined }[] = [];
  let site: Server;
  let port = 0;
  const at = (host: string, path: string) => `http://${host}:${port}${path}`;
  beforeAll(async () => {
    site = createServer((req, res) => {
      const host = String(req.headers['x-host']);
      const path = req.url ?? '/';
      hits.push({ host, path, cookie: req.headers.cookie });
      const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(body);
      if (path === '/') {
        return html(['/p0', '/p1', '/p2', '/out', '/link-out'].map((p) => `<a href="${p}">${p}</a>`).join(''));
      }
      if (path.startsWith('/p')) return res.writeHead(302, { location: at('rebind.test', `/admin${path}`) }).end();
      if (path === '/out') return res.writeHead(302, { location: at('other.test', '/landing') }).end();
      if (path === '/link-out') return html(`<a href="/bounce">bounce</a>`);
      if (path === '/files/big.zip')
        return res.writeHead(200, { 'content-type': 'application/zip' }).end('PK'.repeat(1 << 20));
      if (path === '/bounce') return res.writeHead(302, { location: at('other.test', '/account') }).end();
      return html('<p>a page</p>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    port = (site.address() as AddressInfo).port;
  });
  afterAll(() => site.close());
  beforeEach(() => {
    hits.length = 0;
  });

  const toSite: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    headers.set('x-host', url.hostname);
    // Node's fetch has no cookie jar: "include" stands for the browser's session cookie.
    if (init?.credentials === 'include') headers.set('cookie', 'session=1');
    url.hostname = '127.0.0.1';
    return fetch(url, { ...init, headers });
  };
  const ADDRESSES: Record<string, string> = { 'www.public.test': '93.184.216.50', 'rebind.test': '127.0.0.1' };
  const observer = observerStub({ address: (url) => ADDRESSES[new URL(url).hostname] ?? '93.184.216.34' });

  function crawlSite(options: Partial<CrawlOptions>, perHost = 6, detectSoft404 = false) {
    return siteCheck({
      startUrl: at('www.public.test', '/'),
      options: { ...OPTIONS, useSitemap: false, respectRobots: false, ...options },
      settings: { ...DEFAULT_SETTINGS, detectSoft404 },
      limiter: createLimiter({ global: 64, perHost }),
      deps: { ...realTimeDeps(toSite), observer, pageAddress: async () => '93.184.216.50' },
    });
  }

  it('sends one request at most to a host found answering from the user’s network, for the whole crawl', async () => {
    // One request at a time to a host: requests in flight together before the first answer all reach it (the browser
    // says a server's address only with its answer).
    const { links } = await crawlSite({}, 1);
    // Three pages redirect there; the first answer from 127.0.0.1 closes the host for every page after it.
    expect(hits.filter((h) => h.host === 'rebind.test')).toHaveLength(1);
    for (const page of ['/p0', '/p1', '/p2']) {
      expect(links.get(at('www.public.test', page))?.result).toMatchObject({
        verdict: 'skipped',
        reason: 'private-network',
        status: null,
      });
    }
  });

  it('as me, never takes the person’s cookies to where a page of the site redirects', async () => {
    await crawlSite({ asMe: true });
    const own = hits.filter((h) => h.host === 'www.public.test');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((h) => h.cookie === 'session=1')).toBe(true);
    // /out is a page of the site and /bounce one of a page it links: each redirects to another site.
    const elsewhere = () => hits.filter((h) => h.host === 'other.test');
    expect(
      elsewhere()
        .map((h) => h.path)
        .sort(),
    ).toEqual(['/account', '/landing']);
    expect(elsewhere().every((h) => h.cookie === undefined)).toBe(true);
    // At depth 0 the start page's links are checked, not crawled: the same holds for the checks' redirects.
    hits.length = 0;
    const { pages } = await crawlSite({ asMe: true, maxDepth: 0 });
    expect([...pages.keys()]).toEqual([at('www.public.test', '/')]);
    expect(elsewhere().map((h) => h.path)).toEqual(['/landing']);
    expect(elsewhere().every((h) => h.cookie === undefined)).toBe(true);
    expect(hits.filter((h) => h.host === 'www.public.test').every((h) => h.cookie === 'session=1')).toBe(true);
  });

  it('as me, finding soft 404s, takes no cookie to another site: not in its probe, not in a second look', async () => {
    await crawlSite({ asMe: true }, 6, true);
    const elsewhere = hits.filter((h) => h.host === 'other.test');
    // The redirects' landings, and the soft-404 probe of that site (a made-up address) with a second look at a page.
    expect(elsewhere.length).toBeGreaterThan(2);
    expect(elsewhere.filter((h) => !['/account', '/landing'].includes(h.path)).length).toBeGreaterThan(0);
    expect(elsewhere.every((h) => h.cookie === undefined)).toBe(true);
    expect(hits.filter((h) => h.host === 'www.public.test').every((h) => h.cookie === 'session=1')).toBe(true);
  });

  it('reads a page only when it is HTML: a zip among the pages is not downloaded', async () => {
    const fetchPage = createPageFetcher({
      settings: DEFAULT_SETTINGS,
      limiter: createLimiter({ global: 8, perHost: 6 }),
      deps: realTimeDeps(toSite),
      signal: new AbortController().signal,
      cookieOrigin: null,
    });
    const zip = await fetchPage(at('www.public.test', '/files/big.zip'), 4 << 20, isHtmlType);
    expect(zip).toMatchObject({ kind: 'response', status: 200, contentType: 'application/zip', body: null });
    const page = await fetchPage(at('www.public.test', '/link-out'), 4 << 20, isHtmlType);
    expect(page).toMatchObject({ kind: 'response', body: '<a href="/bounce">bounce</a>' });
    // robots.txt and sitemaps ask for no type: read whatever comes.
    const any = await fetchPage(at('www.public.test', '/files/big.zip'), 4 << 20);
    expect(any.kind === 'response' && any.body?.length).toBe(2 << 20);
  });
});

describe('a site check of a small site whose answers each test writes', () => {
  // A small site on a local server whose answers each test writes: path → what it answers.
  type Answer = { status?: number; type?: string; location?: string; body?: string | Uint8Array };
  let routes: Record<string, Answer> = {};
  /** What a path no route names answers. */
  let otherwise: Answer = { status: 404, body: '<p>No such page</p>' };
  const asked: string[] = [];
  let site: Server;
  let origin = '';
  beforeAll(async () => {
    site = createServer((req, res) => {
      const path = req.url ?? '/';
      asked.push(path);
      const answer = routes[path] ?? otherwise;
      const headers: Record<string, string> = { 'content-type': answer.type ?? 'text/html' };
      if (answer.location) headers.location = answer.location;
      res.writeHead(answer.status ?? (answer.location ? 301 : 200), headers).end(answer.body ?? '');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  afterAll(() => site.close());
  beforeEach(() => {
    routes = {};
    otherwise = { status: 404, body: '<p>No such page</p>' };
    asked.length = 0;
  });

  function crawlSite(options: Partial<CrawlOptions> = {}, settings = DEFAULT_SETTINGS) {
    return siteCheck({
      startUrl: `${origin}/`,
      options: { ...OPTIONS, respectRobots: false, useSitemap: false, ...options },
      settings,
      limiter: createLimiter({ global: 16, perHost: 6 }),
      deps: realTimeDeps(fetch),
    });
  }
  const html = (...hrefs: string[]) => ({ body: hrefs.map((h) => `<a href="${h}">${h}</a>`).join('') });

  it('does not judge a link’s fragment when the page it leads to redirects with a fragment of its own', async () => {
    routes = {
      '/': html('/moved#gone', '/moved', '/plain#gone'),
      '/moved': { location: '/doc#intro' },
      '/plain': { location: '/doc' },
      '/doc': { body: '<h2 id="intro">Intro</h2>' },
    };
    const { links } = await crawlSite();
    const result = links.get(`${origin}/moved#gone`)?.result;
    expect(result).toMatchObject({ verdict: 'redirected', status: 200, finalUrl: `${origin}/doc` });
    expect(result?.notes).toContainEqual({ code: 'fragment-from-redirect', fragment: 'intro' });
    // A redirect that names no fragment keeps the link's, which is judged as before.
    expect(links.get(`${origin}/plain#gone`)?.result).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    // /moved is fetched once, as a page: the fragment link is judged from that fetch.
    expect(asked.filter((p) => p === '/moved')).toHaveLength(1);
  });

  it('reads gzipped sitemaps an index lists, by their type or their .gz name', async () => {
    const urlset = (...paths: string[]) =>
      `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${origin}${p}</loc></url>`).join('')}</urlset>`;
    const gzip = (xml: string) => new Uint8Array(gzipSync(xml));
    routes = {
      '/': html(),
      '/sitemap.xml': {
        type: 'application/xml',
        body: `<sitemapindex>${['/sitemap-1.xml.gz', '/sitemap-2', '/sitemap-3.xml.gz'].map((p) => `<sitemap><loc>${origin}${p}</loc></sitemap>`).join('')}</sitemapindex>`,
      },
      '/sitemap-1.xml.gz': { type: 'application/x-gzip', body: gzip(urlset('/from-gzip-1')) },
      '/sitemap-2': { type: 'application/gzip', body: gzip(urlset('/from-gzip-2')) },
      // Only the name says it is gzip.
      '/sitemap-3.xml.gz': { type: 'application/octet-stream', body: gzip(urlset('/from-gzip-3')) },
      '/from-gzip-1': html(),
      '/from-gzip-2': html(),
      '/from-gzip-3': html(),
    };
    const { pages } = await crawlSite({ useSitemap: true });
    for (const path of ['/from-gzip-1', '/from-gzip-2', '/from-gzip-3']) {
      expect(pages.get(`${origin}${path}`)).toMatchObject({ status: 200, depth: 1 });
    }
  });

  it('reads a gzipped sitemap up to the sitemap size cap, however far it would inflate', async () => {
    // 64 MB of spaces after the first page: a few kilobytes sent, far more than SITEMAP_MAX_BYTES once inflated.
    const bomb = Buffer.concat([
      Buffer.from(`<urlset><url><loc>${origin}/first</loc></url>`),
      Buffer.alloc(64 * 1024 * 1024, 0x20),
      Buffer.from(`<url><loc>${origin}/past-the-cap</loc></url></urlset>`),
    ]);
    routes = {
      '/': html(),
      '/sitemap.xml': { type: 'application/x-gzip', body: new Uint8Array(gzipSync(bomb)) },
      '/first': html(),
      '/past-the-cap': html(),
    };
    const { pages } = await crawlSite({ useSitemap: true });
    expect(pages.has(`${origin}/first`)).toBe(true);
    expect(asked).not.toContain('/past-the-cap');
  });

  describe('soft 404s among the site’s own pages', () => {
    const front = `<html><head><title>The shop</title></head><body><main><h1>Welcome to the shop</h1>
      <p>Tea, coffee and cocoa from small farms, roasted here every week and sent the same day.</p></main></body></html>`;
    const notFound = `<html><head><title>Page not found</title></head><body><main><h1>Sorry</h1>
      <p>We looked everywhere but this page is not here any more. Try the search.</p></main></body></html>`;
    const about = `<html><head><title>About us</title></head><body><main><h1>About us</h1>
      <p>A family business since 1952, three generations of roasters in the old harbour quarter.</p></main></body></html>`;
    /** Paths a probe sends: twenty random letters at the root. */
    const probes = () => asked.filter((p) => /^\/[a-z]{20}$/.test(p));

    it('calls a deep link redirected to the front page a soft 404, as a page check does, with one probe', async () => {
      // Every dead address goes to the front page, the probe's too.
      otherwise = { location: '/' };
      routes = {
        '/': { body: front.replace('</main>', `${html('/old-product', '/about', '/old-product#specs').body}</main>`) },
        '/about': { body: about },
      };
      const { links, pages } = await crawlSite();
      expect(links.get(`${origin}/old-product`)?.result).toMatchObject({ verdict: 'broken', reason: 'soft-404' });
      expect(links.get(`${origin}/old-product`)?.result?.notes).toContainEqual({
        code: 'soft404-same-place',
        finalUrl: `${origin}/`,
      });
      expect(links.get(`${origin}/old-product#specs`)?.result).toMatchObject({ verdict: 'broken', reason: 'soft-404' });
      expect(links.get(`${origin}/about`)?.result).toMatchObject({ verdict: 'ok' });
      // Pages are still fetched once; the host's not-found page is learned with one probe (and its redirect hop).
      expect(pages.get(`${origin}/old-product`)?.status).toBe(200);
      expect(asked.filter((p) => p === '/old-product')).toHaveLength(1);
      expect(asked.filter((p) => p === '/about')).toHaveLength(1);
      expect(probes()).toHaveLength(1);
    });

    it('does not call a page merged into a section of the front page (/team → /#team) a soft 404', async () => {
      otherwise = { location: '/' };
      routes = {
        '/': {
          body: front.replace('</main>', `<h2 id="team">Our team</h2>${html('/team', '/old-product').body}</main>`),
        },
        '/team': { location: '/#team' },
      };
      const { links } = await crawlSite();
      expect(links.get(`${origin}/old-product`)?.result).toMatchObject({ verdict: 'broken', reason: 'soft-404' });
      expect(links.get(`${origin}/team`)?.result).toMatchObject({ verdict: 'redirected' });
    });

    it('calls a page that is the host’s not-found page a soft 404, without asking for it again', async () => {
      otherwise = { body: notFound };
      routes = {
        '/': { body: front.replace('</main>', `${html('/gone', '/about').body}</main>`) },
        '/about': { body: about },
      };
      const { links } = await crawlSite();
      expect(links.get(`${origin}/gone`)?.result).toMatchObject({ verdict: 'broken', reason: 'soft-404' });
      expect(links.get(`${origin}/about`)?.result).toMatchObject({ verdict: 'ok' });
      expect(asked.filter((p) => p === '/gone')).toHaveLength(1);
      expect(probes()).toHaveLength(1);
    });

    it('sends no probe where robots.txt disallows it, nor when soft-404 detection is off', async () => {
      otherwise = { location: '/' };
      routes = {
        '/': { body: front.replace('</main>', `${html('/old-product').body}</main>`) },
        '/robots.txt': { type: 'text/plain', body: 'User-agent: *\nAllow: /old-product\nAllow: /$\nDisallow: /' },
      };
      const robots = await crawlSite({ respectRobots: true });
      expect(robots.links.get(`${origin}/old-product`)?.result).toMatchObject({ verdict: 'redirected' });
      expect(probes()).toHaveLength(0);
      const off = await crawlSite({}, { ...DEFAULT_SETTINGS, detectSoft404: false });
      expect(off.links.get(`${origin}/old-product`)?.result).toMatchObject({ verdict: 'redirected' });
      expect(probes()).toHaveLength(0);
    });
  });
});
