import { describe, expect, it } from 'vitest';
import { parsePage } from '../../../utils/crawl/page-links';
import { matchesPattern, parseRobots } from '../../../utils/crawl/robots';
import { parseSitemap } from '../../../utils/crawl/sitemap';
import { isStateChanging } from '../../../utils/rules/state-changing';

describe('robots.txt', () => {
  const robots = parseRobots(
    [
      'User-agent: googlebot',
      'Disallow: /',
      '',
      'User-agent: other',
      'User-agent: *',
      'Disallow: /private/',
      'Allow: /private/open',
      'Disallow: /*.pdf$',
      'Disallow: /tmp # a comment',
      'Disallow:',
    ].join('\n'),
  );
  const allows = (path: string) => robots.allows(new URL(path, 'https://site.example'));

  it.each([
    ['/', true],
    ['/private/x', false],
    ['/private/open/page', true],
    ['/docs/file.pdf', false],
    ['/docs/file.pdf?download=1', true],
    ['/tmp/a', false],
    ['/tmpfile', false],
  ])('%s → %s (the longest matching rule decides, Allow wins a tie)', (path, allowed) => {
    expect(allows(path)).toBe(allowed);
  });

  it('ignores the groups of other crawlers, and allows everything without rules for *', () => {
    expect(parseRobots('User-agent: bad\nDisallow: /').allows(new URL('https://s.example/x'))).toBe(true);
    expect(parseRobots('garbage\n\u0000\n').allows(new URL('https://s.example/x'))).toBe(true);
  });

  it('compares paths percent-encoded, as RFC 9309 asks: a rule in UTF-8 or lower-case hex matches the URL as sent', () => {
    const rules = parseRobots('User-agent: *\nDisallow: /café\nDisallow: /a%3cb\nAllow: /café/menü');
    const allowsUrl = (path: string) => rules.allows(new URL(path, 'https://s.example'));
    expect(allowsUrl('/caf%C3%A9')).toBe(false);
    expect(allowsUrl('/café/carte')).toBe(false);
    expect(allowsUrl('/caf%c3%a9/menu')).toBe(false);
    expect(allowsUrl('/café/menü')).toBe(true);
    expect(allowsUrl('/cafe')).toBe(true);
    expect(allowsUrl('/a%3Cb')).toBe(false);
    expect(allowsUrl('/a%3cb')).toBe(false);
    expect(allowsUrl('/a%3Cc')).toBe(true);
  });

  it("ends a group's user-agent lines only at a rule: other lines between them (Crawl-delay, Sitemap) do not", () => {
    const allowsX = (text: string) => parseRobots(text).allows(new URL('https://s.example/x'));
    expect(allowsX('User-agent: *\nCrawl-delay: 5\nUser-agent: bot\nDisallow: /x')).toBe(false);
    expect(allowsX('User-agent: bot\nSitemap: https://s.example/s.xml\nUser-agent: *\nDisallow: /x')).toBe(false);
    expect(allowsX('User-agent: *\nDisallow: /y\nCrawl-delay: 5\nUser-agent: bot\nDisallow: /x')).toBe(true);
  });

  it('matches a hostile pattern against a long path (a backtracking matcher would not return in this lifetime)', () => {
    // 500 stars against 5 000 characters: exponential for a naive matcher, pattern × path steps for this one.
    expect(matchesPattern(`/${'*a'.repeat(500)}b`, `/${'a'.repeat(5000)}`)).toBe(false);
    expect(matchesPattern(`/${'*a'.repeat(500)}`, `/${'a'.repeat(5000)}`)).toBe(true);
  });

  it('matches as a regular expression of the same pattern would, stars and a final $ included', () => {
    // The RFC's reading, written plainly: `*` is `.*`, a final `$` is the end, the rest is literal; a prefix match.
    const reference = (pattern: string, path: string) => {
      const anchored = pattern.endsWith('$');
      const body = (anchored ? pattern.slice(0, -1) : pattern)
        .split('*')
        .map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
      return new RegExp(`^${body}${anchored ? '$' : ''}`, 's').test(path);
    };
    // Every pattern of up to 5 of a, b and * (with and without a final $) against every path of up to 4 of a, b and /.
    const words = (letters: string, n: number): string[] =>
      n === 0
        ? ['']
        : [...words(letters, n - 1), ...words(letters, n - 1).flatMap((w) => [...letters].map((c) => w + c))];
    const paths = [...new Set(words('ab/', 4))].map((w) => `/${w}`);
    const patterns = [...new Set(words('ab*', 5))].flatMap((w) => [`/${w}`, `/${w}$`]);
    for (const pattern of patterns) {
      for (const path of paths) {
        expect(matchesPattern(pattern, path), `${pattern} against ${path}`).toBe(reference(pattern, path));
      }
    }
  });

  it('judges a long path against many hostile rules in time linear in the path (pattern × path was hours)', () => {
    // 256 rules of 2 000 characters (the most kept) that almost match a path of 100 000: each rule's pieces are looked for once.
    const rule = `Disallow: /*${'a'.repeat(1_997)}b`;
    const robots = parseRobots(`User-agent: *\n${Array.from({ length: 256 }, () => rule).join('\n')}`);
    expect(robots.allows(new URL(`https://s.example/${'a'.repeat(100_000)}`))).toBe(true);
    expect(robots.allows(new URL(`https://s.example/${'a'.repeat(100_000)}b`))).toBe(false);
  });
});

describe('sitemaps', () => {
  it('reads the locations of a urlset and of a sitemap index, up to a maximum', () => {
    const urlset = parseSitemap(
      '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://s.example/a </loc></url><url><loc>https://s.example/b?x=1&amp;y=2</loc></url></urlset>',
      10,
    );
    expect(urlset).toEqual({ pages: ['https://s.example/a', 'https://s.example/b?x=1&y=2'], sitemaps: [] });
    const index = parseSitemap(
      '<sitemapindex><sitemap><loc>https://s.example/s1.xml</loc></sitemap><sitemap><loc>https://s.example/s2.xml</loc></sitemap></sitemapindex>',
      1,
    );
    expect(index).toEqual({ pages: [], sitemaps: ['https://s.example/s1.xml'] });
  });

  it('reads only the <loc> of a <url> or <sitemap>, not the images a page lists (image sitemaps, as Yoast writes them)', () => {
    const urlset = parseSitemap(
      `<?xml version="1.0"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
        <url><loc>https://s.example/post</loc>
          <image:image><image:loc>https://s.example/img/photo.jpg</image:loc></image:image>
          <image:loc>https://s.example/img/stray.jpg</image:loc>
          <other:loc xmlns:other="https://other.example/ns">https://s.example/other</other:loc>
        </url>
        <image:image><loc>https://s.example/img/outside.jpg</loc></image:image>
        <sm:url xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:loc>https://s.example/prefixed</sm:loc></sm:url>
      </urlset>`,
      10,
    );
    expect(urlset).toEqual({ pages: ['https://s.example/post', 'https://s.example/prefixed'], sitemaps: [] });
  });
});

describe('links that change state', () => {
  it.each([
    ['https://s.example/logout', '', true],
    ['https://s.example/user/sign-out?next=/', '', true],
    ['https://s.example/account?action=delete&id=3', '', true],
    ['https://s.example/newsletter/unsubscribe', '', true],
    ['https://s.example/page', 'Log out', true],
    ['https://s.example/page', 'Sign out of all devices', true],
    ['https://s.example/blog/logging-outdoors', '', false],
    ['https://s.example/docs/deleted-items-explained', 'Deleted items', false],
    ['https://s.example/about', 'About us', false],
  ])('%s (%s) → %s', (url, text, changing) => {
    expect(isStateChanging(new URL(url), text)).toBe(changing);
  });
});

describe('reading a crawled page', () => {
  it('resolves links against the first <base href>, keeps nofollow, texts, ids and a[name]', () => {
    const page = parsePage(
      `<html><head><title> My
         page </title><base href="/docs/v2/"><base href="/ignored/"></head><body>
        <a href="intro#x" rel="external nofollow"> Intro <b>now</b></a>
        <map><area href="/map" alt="A map"></map>
        <a name="legacy">old</a><h2 id="sec">S</h2><meta name="description">
        <a href="http://[bad">bad</a><a>no href</a></body></html>`,
      'https://s.example/start',
      100,
    );
    expect(page.title).toBe('My page');
    expect(page.links).toEqual([
      { url: 'https://s.example/docs/v2/intro#x', href: 'intro#x', text: 'Intro now', nofollow: true },
      { url: 'https://s.example/map', href: '/map', text: 'A map', nofollow: false },
      { url: null, href: 'http://[bad', text: 'bad', nofollow: false },
    ]);
    expect([...page.anchors].sort()).toEqual(['legacy', 'sec']);
    expect(page.truncated).toBe(false);
  });

  it('resolves every link against the first <base href>, even one that comes after it, as a browser does', () => {
    const page = parsePage(
      '<a href="before">b</a><p><base href="/dir/"></p><a href="after">a</a><base href="/late/">',
      'https://s.example/a/b',
      10,
    );
    expect(page.links.map((l) => l.url)).toEqual(['https://s.example/dir/before', 'https://s.example/dir/after']);
  });

  it('keeps at most the given number of links and says so', () => {
    const page = parsePage('<a href="/1">1</a><a href="/2">2</a><a href="/3">3</a>', 'https://s.example/', 2);
    expect(page.links.map((l) => l.url)).toEqual(['https://s.example/1', 'https://s.example/2']);
    expect(page.truncated).toBe(true);
  });
});
