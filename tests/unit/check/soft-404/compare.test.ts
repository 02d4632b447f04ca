// The comparison on real-shaped pages (tests/fixtures/pages/soft-404/): a WordPress theme, a docs site, a shop whose pages
// all share one title and template, a single-page app, and the redirects sites use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type HostProfile, isDeepLink, judgeSoft404 } from '../../../../utils/check/soft-404/compare';
import { fingerprintPage, textSimilarity } from '../../../../utils/check/soft-404/page';
import { renderSitePage } from '../../../fixtures/soft-404-sites';

const PROBE = 'https://site.example/qhzkwmtrpxvbnyjdlcfs';

/** The page of a site at `path`, as a fingerprint (the path is what the page may echo). */
function pageAt(folder: string, content: string, title: string, path: string) {
  const url = `https://site.example${path}`;
  return fingerprintPage(renderSitePage(folder, content, title, path), [url]);
}

/** A host whose dead addresses answer 200 with `content` at the address itself. */
function softHost(folder: string, content: string, title: string): HostProfile {
  return {
    kind: 'soft',
    probeUrl: PROBE,
    finalUrl: PROBE,
    status: 200,
    redirected: false,
    page: fingerprintPage(renderSitePage(folder, content, title, new URL(PROBE).pathname), [PROBE]),
  };
}

const answer = (path: string, page: ReturnType<typeof pageAt>) => ({
  url: `https://site.example${path}`,
  finalUrl: `https://site.example${path}`,
  status: 200,
  redirected: false,
  page,
});

describe('judgeSoft404 on a WordPress blog that answers dead addresses with 200', () => {
  const host = softHost('wordpress', 'not-found', 'Page not found');

  it('calls the theme\'s "Nothing here" page at a dead post address a soft 404, and says why', () => {
    const dead = pageAt('wordpress', 'not-found', 'Page not found', '/2023/01/deleted-post/');
    const judgement = judgeSoft404(answer('/2023/01/deleted-post/', dead), host);
    expect(judgement).toEqual({
      kind: 'soft-404',
      why: { code: 'soft404-same-page', notFoundTitle: 'Page not found – Pulse Blog', pageTitle: null, percent: 100 },
    });
  });

  it.each([
    ['hello-world', 'Hello world: why this blog exists', '/2024/05/hello-world/'],
    ['about', 'About', '/about/'],
    ['404-errors-explained', '404 errors explained', '/2024/02/404-errors-explained/'],
  ])('does not call the %s page a soft 404, although it shares the theme', (content, title, path) => {
    const page = pageAt('wordpress', content, title, path);
    expect(judgeSoft404(answer(path, page), host)).toEqual({ kind: 'none' });
    expect(textSimilarity(page, host.kind === 'soft' && host.page ? host.page : page)).toBeLessThan(0.3);
  });

  it('reads the main text, not the sidebar and menus every page repeats', () => {
    const page = pageAt('wordpress', 'about', 'About', '/about/');
    expect(page.words.join(' ')).toContain('pulse blog is written by the three people');
    expect(page.words).not.toContain('proudly');
    expect(page.words).not.toContain('recent');
    expect(page.title).toBe('About – Pulse Blog');
  });

  it('without a main element, leaves out the header, navigation, sidebar and footer', () => {
    const html =
      '<title>T</title><body><header><a href="/">Brand</a></header><nav><a href="/x">Menu</a></nav>' +
      '<div><h1>Real</h1><p>Content &amp; more</p></div><aside>Widgets</aside><footer>Legal</footer></body>';
    expect(fingerprintPage(html, []).words).toEqual(['real', 'content', 'more']);
  });
});

describe('judgeSoft404 on a shop whose pages all share one title and template', () => {
  const host = softHost('shop', 'not-found', 'Acme Shop');

  it('calls a dead product a soft 404 although the page echoes its own address', () => {
    const path = '/products/discontinued-kettle';
    const dead = pageAt('shop', 'not-found', 'Acme Shop', path);
    expect(dead.words.join(' ')).toContain('we could not find it may have sold out');
    expect(judgeSoft404(answer(path, dead), host).kind).toBe('soft-404');
  });

  it.each([
    ['blue-teapot', '/products/blue-teapot'],
    ['green-mug', '/products/green-mug'],
    ['home', '/collections/kitchen'],
  ])('does not call the %s page a soft 404: same title and template, other content', (content, path) => {
    const page = pageAt('shop', content, 'Acme Shop', path);
    expect(judgeSoft404(answer(path, page), host)).toEqual({ kind: 'none' });
  });

  it('does not call a login redirect (/account → /login?next=/account) a soft 404', () => {
    const login = pageAt('shop', 'login', 'Acme Shop', '/login');
    const link = {
      url: 'https://site.example/account',
      finalUrl: 'https://site.example/login?next=%2Faccount',
      status: 200,
      redirected: true,
      page: login,
    };
    expect(judgeSoft404(link, host)).toEqual({ kind: 'none' });
  });
});

describe('judgeSoft404 on a docs site that redirects dead addresses to a /404.html answering 200', () => {
  const host: HostProfile = {
    kind: 'soft',
    probeUrl: PROBE,
    finalUrl: 'https://site.example/404.html',
    status: 200,
    redirected: true,
    page: pageAt('docs', 'not-found', 'Tidewater Docs', '/404.html'),
  };

  it('calls a dead page that lands on the same /404.html a soft 404, without reading it', () => {
    const link = {
      url: 'https://site.example/docs/v1/old-guide/',
      finalUrl: 'https://site.example/404.html',
      status: 200,
      redirected: true,
    };
    expect(judgeSoft404(link, host)).toEqual({
      kind: 'soft-404',
      why: { code: 'soft404-same-place', finalUrl: 'https://site.example/404.html' },
    });
  });

  it('takes /404?from=<the address> for the same place as /404?from=<the probe>', () => {
    const echoing: HostProfile = { ...host, finalUrl: `https://site.example/404?from=${new URL(PROBE).pathname}` };
    const link = {
      url: 'https://site.example/docs/old/',
      finalUrl: 'https://site.example/404?from=/docs/old/',
      status: 200,
      redirected: true,
    };
    expect(judgeSoft404(link, echoing).kind).toBe('soft-404');
  });

  it.each([
    ['getting-started', 'Getting started', '/docs/getting-started/'],
    ['api', 'API reference', '/docs/api/'],
  ])('does not call the %s page a soft 404', (content, title, path) => {
    expect(judgeSoft404(answer(path, pageAt('docs', content, title, path)), host)).toEqual({ kind: 'none' });
  });
});

describe('judgeSoft404 on redirects to the front page', () => {
  const honest: HostProfile = { kind: 'honest', status: 404 };
  const toHome: HostProfile = {
    kind: 'soft',
    probeUrl: PROBE,
    finalUrl: 'https://site.example/',
    status: 200,
    redirected: true,
    page: null,
  };
  const redirect = (from: string, to: string) => ({
    url: `https://site.example${from}`,
    finalUrl: to.startsWith('http') ? to : `https://site.example${to}`,
    status: 200,
    redirected: true,
  });

  it('calls a deep link sent to the front page a soft 404 on a host that sends dead paths there', () => {
    expect(judgeSoft404(redirect('/services/old-offer/', '/'), toHome).kind).toBe('soft-404');
    // Another spelling of the same front page: www. or not.
    expect(judgeSoft404(redirect('/old', 'https://www.site.example/'), toHome)).toEqual({
      kind: 'soft-404',
      why: { code: 'soft404-front-page', finalUrl: 'https://www.site.example/' },
    });
    const toEnglish: HostProfile = { ...toHome, finalUrl: 'https://site.example/en/' };
    expect(judgeSoft404(redirect('/pricing-2019/', '/en/'), toEnglish).kind).toBe('soft-404');
  });

  it('only suspects a redirect to the front page where a path that does not exist is not sent there', () => {
    // A logged-out visitor sent home from /account looks the same as a dead page sent home.
    for (const profile of [honest, null, { kind: 'unknown', why: 'timeout' } as const]) {
      expect(judgeSoft404(redirect('/account', '/'), profile)).toEqual({
        kind: 'suspect',
        why: { code: 'suspect-front-page', finalUrl: 'https://site.example/' },
      });
    }
  });

  it('judges the same from the caller’s parse of the link as from its text', () => {
    const cases = [
      redirect('/services/old-offer/', '/'),
      redirect('/old', 'https://www.site.example/'),
      redirect('/', '/en/'),
      redirect('/shoes', '/?category=shoes'),
      { ...redirect('/kept', '/kept'), redirected: false },
    ];
    for (const link of cases) {
      for (const profile of [toHome, honest, null]) {
        expect(judgeSoft404(link, profile, new URL(link.url))).toEqual(judgeSoft404(link, profile));
      }
    }
  });

  it('does not call a language redirect of the front page, or of a page to its translation, a soft 404', () => {
    expect(judgeSoft404(redirect('/', '/en/'), toHome)).toEqual({ kind: 'none' });
    expect(judgeSoft404(redirect('/about/', '/en/about/'), toHome)).toEqual({ kind: 'none' });
    expect(judgeSoft404(redirect('/index.html', '/'), toHome)).toEqual({ kind: 'none' });
    expect(judgeSoft404(redirect('/de', '/de/'), toHome)).toEqual({ kind: 'none' });
  });

  it('only suspects a redirect to the front page of another site, or to a front page with a query', () => {
    expect(judgeSoft404(redirect('/old-page', 'https://elsewhere.example/'), toHome).kind).toBe('suspect');
    expect(judgeSoft404(redirect('/shoes', '/?category=shoes'), toHome).kind).toBe('suspect');
  });

  it('does not call a sign-in wall a soft 404, even when a path that does not exist lands there too', () => {
    const wall: HostProfile = {
      kind: 'soft',
      probeUrl: PROBE,
      finalUrl: `https://site.example/login?next=${encodeURIComponent(new URL(PROBE).pathname)}`,
      status: 200,
      redirected: true,
      page: null,
    };
    expect(judgeSoft404(redirect('/account/settings', '/login?next=%2Faccount%2Fsettings'), wall)).toEqual({
      kind: 'none',
    });
    expect(judgeSoft404(redirect('/billing', '/users/sign_in'), wall)).toEqual({ kind: 'none' });
  });
});

describe('judgeSoft404 on a single-page app', () => {
  const shell = readFileSync(join(import.meta.dirname, '../../../fixtures/pages/soft-404/spa/index.html'), 'utf8');

  it('sees the shell as a shell, and never calls it a soft 404 though every path gets the same one', () => {
    const probePage = fingerprintPage(shell, [PROBE]);
    expect(probePage.shell).toBe(true);
    const host: HostProfile = {
      kind: 'soft',
      probeUrl: PROBE,
      finalUrl: PROBE,
      status: 200,
      redirected: false,
      page: probePage,
    };
    const page = fingerprintPage(shell, ['https://site.example/dashboard']);
    expect(judgeSoft404(answer('/dashboard', page), host)).toEqual({ kind: 'none' });
  });

  it('does not take a small not-found page with a script for a shell', () => {
    const page = fingerprintPage(renderSitePage('docs', 'not-found', 'Tidewater Docs', '/404.html'), []);
    expect(page.shell).toBe(false);
  });
});

describe('judgeSoft404 on weak likeness', () => {
  it('keeps a page that is only somewhat like the not-found page, with the likeness in the note', () => {
    const host = softHost('wordpress', 'not-found', 'Page not found');
    const page = pageAt('wordpress', 'empty-tag', 'Kettles', '/tag/kettles/');
    const judgement = judgeSoft404(answer('/tag/kettles/', page), host);
    expect(judgement.kind).toBe('suspect');
    expect(judgement.kind === 'suspect' && judgement.why).toMatchObject({
      code: 'suspect-like-page',
      notFoundTitle: 'Page not found – Pulse Blog',
      pageTitle: 'Kettles – Pulse Blog',
    });
    const percent = judgement.kind === 'suspect' && 'percent' in judgement.why ? judgement.why.percent : 0;
    expect(percent).toBeGreaterThanOrEqual(70);
    expect(percent).toBeLessThan(90);
  });
});

describe('isDeepLink', () => {
  it('tells pages below the front page from the front page and its aliases', () => {
    expect(isDeepLink('https://a.example/docs/x')).toBe(true);
    expect(isDeepLink('https://a.example/blog')).toBe(true);
    for (const front of ['/', '/index.html', '/en/', '/pt-br', '/home', '/en/index.php', '/?page=2']) {
      expect(isDeepLink(`https://a.example${front}`)).toBe(false);
    }
  });
});
