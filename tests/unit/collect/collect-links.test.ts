// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { collectLinks } from '../../../utils/collect/collect-links';
import { moreCollectedLinks } from '../../../utils/collect/held-collections';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { AT_LIMIT_HREF, nameOf, OVER_LONG_HREF } from '../../support/over-long-href';

const anchorsOnly = DEFAULT_SETTINGS.collect;

function setPage(html: string, url = 'https://site.test/dir/page.html') {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  document.documentElement.innerHTML = html;
}

describe('collectLinks', () => {
  beforeEach(() => setPage('<head><title>Fixture</title></head><body></body>'));

  // <base> handling is the browser's own (`a.href`); the end-to-end page covers it in Chromium.
  it('resolves hrefs as the browser does, fragments kept', () => {
    setPage(`<head><title>T</title></head><body>
      <a href="rel">r</a><a href="/abs">a</a><a href="//other.test/x#frag">p</a><a href="https://x.test/?q=1#h">x</a></body>`);
    const { links, page } = collectLinks(anchorsOnly, 100);
    expect(page).toEqual({ url: 'https://site.test/dir/page.html', title: 'T' });
    expect(links.map((l) => l.url)).toEqual([
      'https://site.test/dir/rel',
      'https://site.test/abs',
      'https://other.test/x#frag',
      'https://x.test/?q=1#h',
    ]);
  });

  it('de-duplicates by absolute URL and counts occurrences, keeping distinct texts', () => {
    setPage(
      `<body><a href="/a">One</a><a href="https://site.test/a">Two</a><a href="/a">One</a><a href="/b">B</a></body>`,
    );
    const { links } = collectLinks(anchorsOnly, 100);
    expect(links).toHaveLength(2);
    expect(links[0]).toMatchObject({ url: 'https://site.test/a', occurrences: 3, texts: ['One', 'Two'] });
  });

  it('collects area links and links inside open shadow roots', () => {
    setPage(`<body><map name="m"><area href="/area" alt="Area"></map><div id="host"></div></body>`);
    const host = document.getElementById('host') as HTMLElement;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<a href="/in-shadow">Shadow</a><span id="inner"></span>';
    (shadow.getElementById('inner') as HTMLElement).attachShadow({ mode: 'open' }).innerHTML =
      '<a href="/deeper">D</a>';
    const urls = collectLinks(anchorsOnly, 100).links.map((l) => l.url);
    expect(urls).toEqual(
      expect.arrayContaining(['https://site.test/area', 'https://site.test/in-shadow', 'https://site.test/deeper']),
    );
    expect(urls).toHaveLength(3);
  });

  it('keeps non-HTTP links (to be reported as skipped) and ignores anchors without href', () => {
    setPage(`<body><a href="mailto:a@b.c">m</a><a href="javascript:void(0)">j</a><a name="x">no href</a></body>`);
    expect(collectLinks(anchorsOnly, 100).links.map((l) => l.url)).toEqual(['mailto:a@b.c', 'javascript:void(0)']);
  });

  it('judges fragments into the page itself on the live DOM', () => {
    setPage(`<body><h2 id="present">P</h2><a name="named"></a>
      <a href="#present">1</a><a href="#absent">2</a><a href="#named">3</a><a href="#">4</a><a href="other.html#x">5</a></body>`);
    const links = collectLinks(anchorsOnly, 100).links;
    const state = Object.fromEntries(links.map((l) => [l.url.split('/').pop(), l.samePageFragment]));
    expect(state).toEqual({
      'page.html#present': 'found',
      'page.html#absent': 'missing',
      'page.html#named': 'found',
      'page.html#': 'found',
      'other.html#x': undefined,
    });
  });

  it('collects only anchors by default, other resources when opted in', () => {
    setPage(`<head><link rel="stylesheet" href="/s.css"></head><body><img src="/i.png" srcset="/i2.png 2x">
      <script src="/app.js"></script><iframe src="/frame.html"></iframe><a href="/a">a</a></body>`);
    expect(collectLinks(anchorsOnly, 100).links).toHaveLength(1);
    const all = collectLinks({ images: true, scripts: true, stylesheets: true, media: true, iframes: true }, 100).links;
    expect(all.map((l) => l.url.replace('https://site.test', ''))).toEqual(
      expect.arrayContaining(['/s.css', '/i.png', '/i2.png', '/app.js', '/frame.html', '/a']),
    );
  });

  it('parses srcset as the HTML standard does: a URL keeps its commas, descriptors end at a comma outside parentheses', () => {
    const images = { ...anchorsOnly, images: true };
    const cloudinary = 'https://res.cloudinary.com/demo/image/upload';
    const gif = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    setPage(`<body>
      <img srcset="${cloudinary}/w_300,h_200,c_fill/a.jpg 1x, ${cloudinary}/w_600,h_400,c_fill/a.jpg 2x">
      <img srcset="${gif} 1x, /b.png 2x">
      <img srcset="/c.png 1x,/d.png 2x">
      <img srcset="/e.png,, /f.png future-descriptor(1, 2) 3x, /g.png">
      <img srcset="  ,/h.png">
    </body>`);
    expect(collectLinks(images, 100).links.map((l) => l.url.replace('https://site.test', ''))).toEqual([
      `${cloudinary}/w_300,h_200,c_fill/a.jpg`,
      `${cloudinary}/w_600,h_400,c_fill/a.jpg`,
      gif,
      '/b.png',
      '/c.png',
      '/d.png',
      '/e.png',
      '/f.png',
      '/g.png',
      '/h.png',
    ]);
  });

  it('stops at the cap and says so', () => {
    setPage(`<body>${Array.from({ length: 50 }, (_, i) => `<a href="/l${i}">${i}</a>`).join('')}</body>`);
    const result = collectLinks(anchorsOnly, 10);
    expect(result.links).toHaveLength(10);
    expect(result.truncated).toBe(true);
  });

  it('keeps a long href whole (a cut URL is another URL) and shortens long texts', () => {
    const path = `/${'x'.repeat(12 * 1024)}`;
    setPage(`<body><a href="${path}">${'word '.repeat(200)}</a></body>`);
    const [link] = collectLinks(anchorsOnly, 10).links;
    expect(link?.url).toBe(new URL(path, document.baseURI).href);
    expect(link?.texts[0]?.length).toBeLessThanOrEqual(120);
  });

  it("leaves out a link whose address is over the browser's limit, as the live watcher does, keeping one at the limit", () => {
    setPage(`<body><a href="/before">b</a><a href="${OVER_LONG_HREF}">over</a><a href="${AT_LIMIT_HREF}">at</a>
      <img src="${OVER_LONG_HREF}"><a href="/after">a</a></body>`);
    const result = collectLinks({ ...anchorsOnly, images: true }, 100);
    expect(result.links.map((l) => nameOf(l.url))).toEqual([
      'https://site.test/before',
      'at-limit',
      'https://site.test/after',
    ]);
    // Left out as the live watcher's reports leave it out: not a link past the cap.
    expect(result.truncated).toBe(false);
  });

  it('shortens an enormous page title, as it does link texts, and collapses its whitespace', () => {
    document.title = `  Start\n\t of ${'word '.repeat(100_000)}`;
    const { page } = collectLinks(anchorsOnly, 10);
    expect(page.title).toHaveLength(1000);
    expect(page.title.startsWith('Start of word word ')).toBe(true);
    expect(page.title.endsWith('…')).toBe(true);
    expect(page.title).not.toMatch(/\s{2}/);
  });

  it('keeps a short page title whole, its whitespace collapsed', () => {
    setPage('<head><title>  A\n  page   title </title></head><body></body>');
    expect(collectLinks(anchorsOnly, 10).page.title).toBe('A page title');
  });
});

describe('collectLinks within a budget of characters, answered in slices', () => {
  it('leaves out links past the budget, never cutting one, and hands the rest over slice by slice', () => {
    const urls = Array.from({ length: 10 }, (_, i) => `https://site.test/${i}?${'q'.repeat(1000)}`);
    setPage(`<body>${urls.map((u) => `<a href="${u}">l</a>`).join('')}</body>`);
    const first = collectLinks(anchorsOnly, 100, 6_000, 2_500, undefined, {}, false, 'selection');
    expect(first.truncated).toBe(true);
    const links = [...first.links];
    expect(first.remaining).toBeGreaterThan(0);
    for (let slice = moreCollectedLinks(links.length, 2_500, first.held); slice.length > 0; ) {
      links.push(...slice);
      slice = moreCollectedLinks(links.length, 2_500, first.held);
    }
    // Five whole links fit in 6 000 characters of URLs and texts; each is whole, in page order.
    expect(links.map((l) => l.url)).toEqual(urls.slice(0, links.length));
    expect(links.length).toBe(5);
    expect(links.length).toBe(first.links.length + (first.remaining ?? 0));
    // Read to its end, the collection is no longer held.
    expect(moreCollectedLinks(0, 2_500, first.held)).toEqual([]);
  });

  it('answers with every link and holds nothing when no holder asks for slices', () => {
    const urls = Array.from({ length: 4 }, (_, i) => `https://site.test/${i}?${'q'.repeat(1000)}`);
    setPage(`<body>${urls.map((u) => `<a href="${u}">l</a>`).join('')}</body>`);
    const all = collectLinks(anchorsOnly, 100, 100_000, 1_500);
    expect(all.links).toHaveLength(4);
    expect(all).toMatchObject({ remaining: 0, held: undefined });
  });

  it("keeps each holder's slices apart: a scan or another holder's collection in between takes none of them", () => {
    const urls = Array.from({ length: 6 }, (_, i) => `https://site.test/${i}?${'q'.repeat(1000)}`);
    setPage(`<body>${urls.map((u) => `<a href="${u}">l</a>`).join('')}</body>`);
    const selection = collectLinks(anchorsOnly, 100, 100_000, 1_500, undefined, {}, false, 'selection');
    const links = [...selection.links];
    // The watcher's scan (unsliced, no holder) and a live collection of the page, between two slices.
    collectLinks(anchorsOnly, 100, 100_000, Number.POSITIVE_INFINITY);
    const live = collectLinks(anchorsOnly, 100, 100_000, 1_500, undefined, {}, false, 'live');
    for (let slice = moreCollectedLinks(links.length, 1_500, selection.held); slice.length > 0; ) {
      links.push(...slice);
      slice = moreCollectedLinks(links.length, 1_500, selection.held);
    }
    expect(links.map((l) => l.url)).toEqual(urls);
    expect(moreCollectedLinks(live.links.length, 100_000, live.held).map((l) => l.url)).toEqual(urls.slice(1));
  });

  it("gives a replaced collection's reader nothing rather than the newer collection's links", () => {
    const urls = Array.from({ length: 3 }, (_, i) => `https://site.test/${i}?${'q'.repeat(1000)}`);
    setPage(`<body>${urls.map((u) => `<a href="${u}">l</a>`).join('')}</body>`);
    const older = collectLinks(anchorsOnly, 100, 100_000, 1_500, undefined, {}, false, 'selection');
    const newer = collectLinks(anchorsOnly, 100, 100_000, 1_500, undefined, {}, false, 'selection');
    expect(newer.held).not.toBe(older.held);
    expect(moreCollectedLinks(1, 100_000, older.held)).toEqual([]);
    expect(moreCollectedLinks(1, 100_000, newer.held)).toHaveLength(2);
  });
});

describe('collectLinks in SVG and frames', () => {
  beforeEach(() => setPage('<head><title>Fixture</title></head><body></body>'));

  it('collects SVG links written with href and with xlink:href, resolved against the page', () => {
    setPage(`<body><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
      <a href="/svg-href"><text>plain</text></a><a xlink:href="svg-xlink"><text>old</text></a><a><text>none</text></a>
      </svg></body>`);
    const { links } = collectLinks(anchorsOnly, 100);
    expect(links.map((l) => l.url)).toEqual(['https://site.test/svg-href', 'https://site.test/dir/svg-xlink']);
    expect(links[0]?.texts).toEqual(['plain']);
    expect(links[0]?.frames).toBeUndefined();
  });

  // Reading a same-origin frame needs a real browser (tests/e2e/live.e2e.test.ts); here the frame never loads, as one
  // from another site looks to a content script.
  it('counts a frame whose document it cannot read, and hands each root and frame to the hooks', () => {
    setPage('<body><a href="/top">top</a><iframe id="f" src="https://other.test/"></iframe></body>');
    const roots: unknown[] = [];
    const frames: unknown[] = [];
    const result = collectLinks(anchorsOnly, 100, undefined, undefined, undefined, {
      onRoot: (r) => roots.push(r),
      onFrame: (f) => frames.push(f),
    });
    expect(result.links.map((l) => l.url)).toEqual(['https://site.test/top']);
    expect(result.crossOriginFrames).toBe(1);
    expect(roots).toEqual([document]);
    expect(frames).toEqual([document.getElementById('f')]);
  });
});

describe('collectLinks of the selection only', () => {
  const selectionOf = (build: (range: Range) => void) => {
    const range = document.createRange();
    build(range);
    const selection = document.getSelection() as Selection;
    selection.removeAllRanges();
    selection.addRange(range);
  };
  const only = () => collectLinks(anchorsOnly, 100, undefined, undefined, undefined, {}, true).links.map((l) => l.url);

  beforeEach(() =>
    setPage(`<body><p id="before"><a href="/before">before</a></p>
      <p id="picked"><a id="first" href="/first">first link</a> text <a href="/inner">inner</a>
      <a id="last" href="/last">last link</a></p><p><a href="/after">after</a></p></body>`),
  );

  it('takes the links the selection covers, and those it covers in part', () => {
    selectionOf((range) => range.selectNodeContents(document.getElementById('picked') as HTMLElement));
    expect(only()).toEqual(['https://site.test/first', 'https://site.test/inner', 'https://site.test/last']);
    selectionOf((range) => {
      range.setStart(document.getElementById('first')?.firstChild as Text, 3);
      range.setEnd(document.getElementById('last')?.firstChild as Text, 2);
    });
    expect(only()).toEqual(['https://site.test/first', 'https://site.test/inner', 'https://site.test/last']);
  });

  it('takes a link when the selection is inside its text', () => {
    selectionOf((range) => {
      range.setStart(document.getElementById('last')?.firstChild as Text, 1);
      range.setEnd(document.getElementById('last')?.firstChild as Text, 4);
    });
    expect(only()).toEqual(['https://site.test/last']);
  });

  it('takes nothing without a selection, and everything without the option', () => {
    document.getSelection()?.removeAllRanges();
    expect(only()).toEqual([]);
    expect(collectLinks(anchorsOnly, 100).links).toHaveLength(5);
  });

  it("leaves out a selected link whose address is over the browser's limit", () => {
    setPage(`<body><p id="picked"><a href="${OVER_LONG_HREF}">over</a> <a href="/kept">kept</a></p></body>`);
    selectionOf((range) => range.selectNodeContents(document.getElementById('picked') as HTMLElement));
    expect(only().map(nameOf)).toEqual(['https://site.test/kept']);
  });

  it('takes the links of a component selected whole, and the areas of a selected image map', () => {
    setPage(`<body><p id="around"><span id="host"></span><img usemap="#m" alt="map"></p>
      <map name="m"><area href="/area" alt="area"></map><a href="/outside">outside</a></body>`);
    const host = document.getElementById('host') as HTMLElement;
    host.attachShadow({ mode: 'open' }).innerHTML = '<a href="/in-shadow">in a shadow root</a>';
    selectionOf((range) => range.selectNodeContents(document.getElementById('around') as HTMLElement));
    expect(only()).toEqual(['https://site.test/area', 'https://site.test/in-shadow']);
  });
});
