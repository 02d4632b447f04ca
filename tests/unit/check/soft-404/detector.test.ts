// Soft-404 detection as a run does it: the real checker with Node's fetch against real-shaped sites on loopback, one
// site per address (127.0.0.41, .42, …: distinct hosts, as in the benchmark), and what each host was sent.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, type ResultCache, type RunScope, realTimeDeps } from '../../../../utils/check/check-links';
import type { HostProfile } from '../../../../utils/check/soft-404/compare';
import { createSoft404Session, PROBE_MAX_REQUESTS } from '../../../../utils/check/soft-404/detector';
import { englishNotes } from '../../../../utils/notes/english';
import { DEFAULT_SETTINGS, type Settings } from '../../../../utils/settings';
import type { LinkResult } from '../../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../../fixtures/server';
import { SOFT_404_CASES, SOFT_404_SITES } from '../../../fixtures/soft-404-sites';

const SITES = Object.keys(SOFT_404_SITES);
const servers = new Map<string, FixtureServer>();
/** The default fixture routes: unknown paths answer an honest 404. */
let honest: FixtureServer;
const hostOf = (site: string) => `127.0.0.${41 + SITES.indexOf(site)}`;
const urlOf = (site: string, path: string) => (servers.get(site) as FixtureServer).url(path, hostOf(site));

beforeAll(async () => {
  honest = await startFixtureServer();
  for (const [i, site] of SITES.entries()) {
    const port = i === 0 ? undefined : servers.get(SITES[0] as string)?.port;
    servers.set(site, await startFixtureServer({ host: hostOf(site), port, site }));
  }
});
afterAll(async () => {
  await honest.close();
  for (const server of servers.values()) await server.close();
});
beforeEach(() => {
  honest.resetStats();
  for (const server of servers.values()) server.resetStats();
});

function memoryCache(): ResultCache & { profiles: Map<string, HostProfile> } {
  const results = new Map<string, LinkResult>();
  const profiles = new Map<string, HostProfile>();
  return {
    profiles,
    get: (url) => results.get(url),
    put: (result) => void results.set(result.url, result),
    getProfile: (key) => profiles.get(key),
    putProfile: (key, profile) => void profiles.set(key, profile),
  };
}

async function check(
  urls: string[],
  settings: Partial<Settings> = {},
  cache?: ResultCache,
  useCache = false,
  scope?: RunScope,
): Promise<Map<string, LinkResult>> {
  const results = new Map<string, LinkResult>();
  await checkLinks({
    pageUrl: 'http://127.0.0.1/page.html',
    links: urls.map((url) => ({ url, occurrences: 1, texts: [] })),
    settings: { ...DEFAULT_SETTINGS, ...settings },
    deps: realTimeDeps(fetch),
    signal: new AbortController().signal,
    cache,
    useCache,
    scope,
    onResult: (r) => results.set(r.url, r),
  });
  return results;
}

/** Requests a site's server got for paths that none of `linked` asked for, and that no link was redirected through. */
function unlinkedRequests(site: string, results: Map<string, LinkResult>) {
  const server = servers.get(site) as FixtureServer;
  const known = new Set<string>();
  for (const r of results.values()) {
    for (const u of [r.url, r.finalUrl ?? '', ...r.redirects.map((h) => h.url)]) {
      const parsed = URL.parse(u);
      if (parsed) known.add(parsed.pathname + parsed.search);
    }
  }
  return server.requests.filter((req) => !known.has(req.path));
}

describe('soft-404 detection against real-shaped sites', () => {
  it('finds every planted soft 404 and calls none of the traps one', async () => {
    const urls = SOFT_404_CASES.map((c) => urlOf(c.site, c.path));
    const results = await check(urls);
    for (const c of SOFT_404_CASES) {
      const result = results.get(urlOf(c.site, c.path));
      const seen = `${c.site}${c.path} (${c.what}): ${result?.verdict} ${result?.reason} ${englishNotes(result ?? {})}`;
      if (c.soft404) {
        expect(result?.verdict, seen).toBe('broken');
        expect(result?.reason, seen).toBe('soft-404');
        expect(englishNotes(result ?? {}), seen).toMatch(/^Soft 404: /);
      } else {
        expect(['ok', 'redirected'], seen).toContain(result?.verdict);
      }
    }
  });

  it('says why: the title of the not-found page and how alike the texts are', async () => {
    const url = urlOf('wp-blog', '/2023/01/deleted-post/');
    const result = (await check([url])).get(url);
    expect(englishNotes(result ?? {})).toBe(
      "Soft 404: same page as a path that does not exist: title 'Page not found – Pulse Blog', 100 % similar.",
    );
    expect(result?.status).toBe(200);
  });

  it('calls a dead address a soft 404 although each not-found page quotes a reference and time of its own', async () => {
    const dead = urlOf('helpdesk', '/articles/tariffs-2019/');
    const live = urlOf('helpdesk', '/articles/meter-reading/');
    const results = await check([dead, live]);
    expect(results.get(dead), englishNotes(results.get(dead) ?? {})).toMatchObject({
      verdict: 'broken',
      reason: 'soft-404',
    });
    expect(results.get(live)?.verdict).toBe('ok');
  });

  it('does not call a short page a soft 404 because a large template shared with the not-found page dwarfs its text', async () => {
    const dead = urlOf('homewares', '/products/linen-apron');
    const short = urlOf('homewares', '/products/gift-card');
    const results = await check([dead, short, urlOf('homewares', '/products/stoneware-teapot-sage')]);
    expect(results.get(dead)?.reason).toBe('soft-404');
    expect(results.get(short)?.verdict, englishNotes(results.get(short) ?? {})).toBe('ok');
    expect(results.get(urlOf('homewares', '/products/stoneware-teapot-sage'))?.verdict).toBe('ok');
  });

  it('reads a Japanese page as words, not as one word a sentence: its not-found page is found, its pages are not it', async () => {
    const dead = [urlOf('clinic', '/treatment/implant-campaign/'), urlOf('clinic', '/お知らせ/夏季休診のご案内/')];
    const live = urlOf('clinic', '/treatment/whitening/');
    const results = await check([...dead, live]);
    for (const url of dead) {
      expect(results.get(url), englishNotes(results.get(url) ?? {})).toMatchObject({
        verdict: 'broken',
        reason: 'soft-404',
      });
    }
    expect(results.get(live)?.verdict).toBe('ok');
  });

  it('keeps a page that is only somewhat like the not-found page ok, with the suspicion in the details', async () => {
    const url = urlOf('wp-blog', '/tag/kettles/');
    const result = (await check([url])).get(url);
    expect(result?.verdict).toBe('ok');
    expect(englishNotes(result ?? {})).toMatch(
      /^Possibly a soft 404: looks somewhat like this host's page for a path that does not exist: title 'Page not found – Pulse Blog' \(this page: title 'Kettles – Pulse Blog'\), \d\d % similar\.$/,
    );
  });

  it('learns each host with at most three requests to paths the page does not link, redirect hops included', async () => {
    const urls = SOFT_404_CASES.map((c) => urlOf(c.site, c.path));
    const results = await check(urls);
    for (const site of new Set(SOFT_404_CASES.map((c) => c.site))) {
      const extra = unlinkedRequests(site, results);
      expect(extra.length, `${site}: ${extra.map((r) => r.path).join(', ')}`).toBeGreaterThanOrEqual(1);
      expect(extra.length, site).toBeLessThanOrEqual(PROBE_MAX_REQUESTS);
    }
  });

  it('stops a probe after three requests when a host redirects on and on, and learns nothing from it', async () => {
    const url = urlOf('long-chain', '/gone');
    const results = await check([url]);
    const extra = unlinkedRequests('long-chain', results);
    expect(extra.map((r) => r.path)).toEqual([expect.stringMatching(/^\/[a-z]{20}$/), '/hop/1', '/hop/2']);
    expect(results.get(url)?.verdict).toBe('ok');
  });

  it('probes an honest host once and reads none of its pages', async () => {
    const urls = ['/ok', '/doc-with-ids', '/status/404'].map((p) => honest.url(p));
    const results = await check(urls);
    expect(results.get(honest.url('/ok'))?.verdict).toBe('ok');
    const unlinked = honest.requests.filter((r) => !['/ok', '/doc-with-ids', '/status/404'].includes(r.path));
    expect(unlinked).toHaveLength(1);
    expect(unlinked[0]?.path).toMatch(/^\/[a-z]{20}$/);
    // The links themselves were asked once each (GET, body cancelled after the headers): no page was read again for
    // a comparison.
    const linked = honest.requests.filter((r) => r !== unlinked[0]).map((r) => r.path);
    expect(linked.sort()).toEqual(['/doc-with-ids', '/ok', '/status/404']);
  });

  it('sends no probe and calls nothing a soft 404 when the option is off', async () => {
    const url = urlOf('wp-blog', '/2023/01/deleted-post/');
    const results = await check([url], { detectSoft404: false });
    expect(results.get(url)?.verdict).toBe('ok');
    expect(servers.get('wp-blog')?.requests.map((r) => r.path)).toEqual(['/2023/01/deleted-post/']);
  });

  it('never probes a host whose links are all its front page', async () => {
    const url = urlOf('wp-blog', '/');
    await check([url]);
    expect(servers.get('wp-blog')?.requests.map((r) => r.path)).toEqual(['/']);
  });

  it('keeps what it learned with the result cache, and a re-check learns afresh with a new path', async () => {
    const cache = memoryCache();
    const dead = urlOf('docs-site', '/docs/v1/old-guide/');
    const other = urlOf('docs-site', '/docs/old-faq/');
    await check([dead], {}, cache, true);
    const firstProbe = servers.get('docs-site')?.requests.find((r) => /^\/[a-z]{20}$/.test(r.path));
    expect(firstProbe).toBeDefined();
    expect([...cache.profiles.values()][0]).toMatchObject({ kind: 'soft', redirected: true });
    servers.get('docs-site')?.resetStats();
    const cached = await check([other], {}, cache, true);
    expect(cached.get(other)?.reason).toBe('soft-404');
    expect(servers.get('docs-site')?.requests.some((r) => /^\/[a-z]{20}$/.test(r.path))).toBe(false);
    servers.get('docs-site')?.resetStats();
    await check([other], {}, cache, false);
    const again = servers.get('docs-site')?.requests.find((r) => /^\/[a-z]{20}$/.test(r.path));
    expect(again?.path).toBeDefined();
    expect(again?.path).not.toBe(firstProbe?.path);
  });

  it('probes a host once per run, however many jobs check it (page after page of a crawl, links a live page adds)', async () => {
    const probes = () => (servers.get('wp-blog')?.requests ?? []).filter((r) => /^\/[a-z]{20}$/.test(r.path));
    const scope: RunScope = {};
    await check([urlOf('wp-blog', '/about/')], {}, undefined, false, scope);
    const second = await check([urlOf('wp-blog', '/2023/01/deleted-post/')], {}, undefined, false, scope);
    expect(second.get(urlOf('wp-blog', '/2023/01/deleted-post/'))?.reason).toBe('soft-404');
    expect(probes()).toHaveLength(1);
    // Without a scope each call is a run of its own, and learns the host again.
    await check([urlOf('wp-blog', '/about/')]);
    expect(probes()).toHaveLength(2);
  });

  it('sends no probe where the session may not (a site check keeps to robots.txt), and then calls nothing a soft 404', async () => {
    const session = createSoft404Session(() => false);
    const results = await check(
      [urlOf('wp-blog', '/2023/01/deleted-post/'), urlOf('corp-home', '/services/old-offer/')],
      {},
      undefined,
      false,
      { soft404Session: session },
    );
    expect(results.get(urlOf('wp-blog', '/2023/01/deleted-post/'))?.verdict).toBe('ok');
    // Nothing learned: a redirect to the front page is only a suspicion.
    expect(results.get(urlOf('corp-home', '/services/old-offer/'))).toMatchObject({ verdict: 'redirected' });
    expect(englishNotes(results.get(urlOf('corp-home', '/services/old-offer/')) ?? {})).toMatch(
      /^Possibly a soft 404: /,
    );
    for (const site of ['wp-blog', 'corp-home']) {
      expect(servers.get(site)?.requests.some((r) => /^\/[a-z]{20}$/.test(r.path))).toBe(false);
    }
  });

  it('does not call a language switch a soft 404 on a host that sends dead paths to its English home page', async () => {
    const dead = urlOf('lang-site', '/pricing-2019/');
    const lang = urlOf('lang-site', '/lang/de');
    const results = await check([dead, lang]);
    expect(results.get(dead)?.reason).toBe('soft-404');
    expect(results.get(lang), englishNotes(results.get(lang) ?? {})).toMatchObject({ verdict: 'redirected' });
  });

  it('does not call a page moved to a section of the front page (/team/ → /#team) a soft 404', async () => {
    const dead = urlOf('corp-home', '/services/old-offer/');
    const moved = urlOf('corp-home', '/team/');
    const results = await check([dead, moved]);
    expect(results.get(dead)?.reason).toBe('soft-404');
    expect(results.get(moved), englishNotes(results.get(moved) ?? {})).toMatchObject({ verdict: 'redirected' });
  });

  it('does not call a page without words a soft 404 because the not-found page has none either', async () => {
    const urls = [urlOf('studio', '/contact/'), urlOf('studio', '/work/harbour-at-dawn/')];
    const results = await check(urls);
    for (const url of urls) {
      expect(results.get(url)?.verdict, `${url}: ${englishNotes(results.get(url) ?? {})}`).toBe('ok');
    }
  });

  it('does not call a copy of the front page a soft 404 on a host that sends dead paths to its front page', async () => {
    const dead = urlOf('corp-home', '/services/old-offer/');
    const copy = urlOf('corp-home', '/spring/');
    const results = await check([dead, copy]);
    expect(results.get(dead)?.reason).toBe('soft-404');
    expect(results.get(copy)?.verdict, englishNotes(results.get(copy) ?? {})).toBe('ok');
  });

  it('reads no file that is not a page: a page of downloads leaves the budget for the pages to compare', async () => {
    const files = Array.from({ length: 140 }, (_, i) => urlOf('wp-blog', `/download/${i + 1}`));
    const dead = urlOf('wp-blog', '/2023/01/deleted-post/');
    const results = await check([...files, dead]);
    expect(results.get(files[0] as string)?.verdict).toBe('ok');
    expect(results.get(dead), englishNotes(results.get(dead) ?? {})).toMatchObject({ reason: 'soft-404' });
  });

  it('does not call a page behind a sign-in form shown in place a soft 404, although dead paths show the same form', async () => {
    const urls = [urlOf('walled-forum', '/t/shift-swaps/118'), urlOf('walled-forum', '/u/maria/summary')];
    const results = await check(urls);
    for (const url of urls) {
      expect(results.get(url)?.status, url).toBe(200);
      expect(results.get(url)?.verdict, `${url}: ${englishNotes(results.get(url) ?? {})}`).toBe('ok');
    }
  });

  it('does not call a page of a single-page app a soft 404 when its shell carries a banner, header and footer as text', async () => {
    const urls = [
      urlOf('spa-prerendered', '/notes/2024/harbor-survey'),
      urlOf('spa-prerendered', '/teams/north/members'),
    ];
    const results = await check(urls);
    for (const url of urls) {
      expect(results.get(url)?.status, url).toBe(200);
      expect(results.get(url)?.verdict, `${url}: ${englishNotes(results.get(url) ?? {})}`).toBe('ok');
    }
  });

  it('reads at most 64 kB of a page, and only on hosts whose probe answered 2xx with a page of its own', async () => {
    const results = await check([urlOf('wp-blog', '/about/'), urlOf('corp-home', '/services/consulting/')]);
    expect(results.get(urlOf('wp-blog', '/about/'))?.attempts).toBe(2);
    // corp-home's probe is redirected to its front page (2xx): that is no not-found page to compare with, and its pages
    // are not read.
    expect(results.get(urlOf('corp-home', '/services/consulting/'))?.attempts).toBe(1);
  });
});
