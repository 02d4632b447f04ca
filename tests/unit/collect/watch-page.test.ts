// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { COLLECT_SLICE_CHARS, type Collection } from '../../../utils/collect/collect-links';
import { moreCollectedLinks } from '../../../utils/collect/held-collections';
import { createPageWatcher, type LiveFind, newLinks } from '../../../utils/collect/watch-page';
import { collectWithin } from '../../../utils/run/collection';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { FoundLink } from '../../../utils/types';
import { fakeTimers } from '../../support/fake-timers';
import { nameOf, OVER_LONG_HREF } from '../../support/over-long-href';

const link = (url: string): FoundLink => ({ url, occurrences: 1, texts: [] });

describe('newLinks', () => {
  it('gives the links not seen yet, and learns them', () => {
    const seen = { urls: new Set(['https://a.test/1']), chars: 0 };
    const found = newLinks(seen, { links: [link('https://a.test/1'), link('https://a.test/2')], truncated: false }, 10);
    expect(found).toEqual({ links: [link('https://a.test/2')], truncated: false });
    expect(newLinks(seen, { links: [link('https://a.test/2')], truncated: false }, 10).links).toEqual([]);
  });

  it('stops at the cap across calls and says so', () => {
    const seen = { urls: new Set(['https://a.test/1', 'https://a.test/2']), chars: 0 };
    const found = newLinks(seen, { links: [link('https://a.test/3'), link('https://a.test/4')], truncated: false }, 3);
    expect(found).toEqual({ links: [link('https://a.test/3')], truncated: true });
    expect(seen.urls.size).toBe(3);
  });

  it('keeps the size budget across calls: characters of URLs and texts, never cutting a link', () => {
    const seen = { urls: new Set<string>(), chars: 0 };
    const long = (i: number) => ({ url: `https://a.test/${i}/${'x'.repeat(80)}`, occurrences: 1, texts: ['abc'] });
    expect(newLinks(seen, { links: [long(1)], truncated: false }, 100, 250).links).toHaveLength(1);
    const found = newLinks(seen, { links: [long(2), long(3)], truncated: false }, 100, 250);
    expect(found.links.map((l) => l.url)).toEqual([long(2).url]);
    expect(found.truncated).toBe(true);
  });
});

describe('createPageWatcher', () => {
  const flushObserver = () => new Promise((resolve) => setTimeout(resolve, 0));
  let time: ReturnType<typeof fakeTimers>;
  let finds: LiveFind[];

  function watcher() {
    return createPageWatcher({
      kinds: DEFAULT_SETTINGS.collect,
      maxLinks: 100,
      report: (find) => finds.push(find),
      timers: time.timers,
    });
  }

  beforeEach(() => {
    document.body.innerHTML = '<ul id="list"><li><a href="https://a.test/first">first</a></li></ul>';
    time = fakeTimers();
    finds = [];
  });

  function addLink(href: string) {
    const li = document.createElement('li');
    li.innerHTML = `<a href="${href}">later</a>`;
    document.getElementById('list')?.append(li);
  }

  it('collects, then reports only links that joined later, once per burst', async () => {
    const w = watcher();
    expect(w.collect().links.map((l) => l.url)).toEqual(['https://a.test/first']);
    addLink('https://a.test/later');
    addLink('https://a.test/later');
    addLink('https://a.test/first');
    await flushObserver();
    expect(finds).toEqual([]);
    time.advance(1000);
    expect(finds).toHaveLength(1);
    expect(finds[0]?.links.map((l) => l.url)).toEqual(['https://a.test/later']);
    expect(finds[0]?.links[0]?.occurrences).toBe(2);
    w.stop();
  });

  it('follows a link that changes address', async () => {
    const w = watcher();
    w.collect();
    document.querySelector('a')?.setAttribute('href', 'https://a.test/moved');
    await flushObserver();
    time.advance(1000);
    expect(finds.flatMap((f) => f.links.map((l) => l.url))).toEqual(['https://a.test/moved']);
    w.stop();
  });

  it('follows an SVG link whose older xlink:href changes address', async () => {
    const XLINK = 'http://www.w3.org/1999/xlink';
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const a = document.createElementNS('http://www.w3.org/2000/svg', 'a');
    a.setAttributeNS(XLINK, 'xlink:href', 'https://a.test/chart/1');
    svg.append(a);
    document.body.append(svg);
    const w = watcher();
    expect(w.collect().links.map((l) => l.url)).toContain('https://a.test/chart/1');
    a.setAttributeNS(XLINK, 'xlink:href', 'https://a.test/chart/2');
    await flushObserver();
    time.advance(1000);
    expect(finds.flatMap((f) => f.links.map((l) => l.url))).toEqual(['https://a.test/chart/2']);
    w.stop();
  });

  it('follows a component in the page whose definition comes later, with links in its shadow root', async () => {
    document.body.insertAdjacentHTML('beforeend', '<lazy-card-a></lazy-card-a>');
    const w = watcher();
    w.collect();
    // Upgrading an element already in the page attaches its shadow root: no mutation the page's observer hears.
    customElements.define(
      'lazy-card-a',
      class extends HTMLElement {
        constructor() {
          super();
          const root = this.attachShadow({ mode: 'open' });
          root.innerHTML = '<a href="https://a.test/in-component">in a component</a>';
        }
      },
    );
    await flushObserver();
    time.advance(5000);
    expect(finds.flatMap((f) => f.links.map((l) => l.url))).toEqual(['https://a.test/in-component']);
    w.stop();
    expect(time.pending).toBe(0);
  });

  it('looks for components defined later only while the page has elements not defined yet', async () => {
    const w = watcher();
    w.collect();
    expect(time.pending).toBe(0);
    w.stop();
  });

  it('hears nothing once stopped, and catches up when it follows again', async () => {
    const w = watcher();
    w.collect();
    w.stop();
    addLink('https://a.test/while-stopped');
    await flushObserver();
    time.advance(5000);
    expect(finds).toEqual([]);
    expect(time.pending).toBe(0);
    w.follow();
    expect(finds.flatMap((f) => f.links.map((l) => l.url))).toEqual(['https://a.test/while-stopped']);
    w.stop();
  });

  it("leaves out a link whose address is over the browser's limit, and sends the others that joined with it", async () => {
    const w = watcher();
    w.collect();
    for (let i = 0; i < 3; i++) addLink(`https://a.test/${i}`);
    addLink(`https://a.test/${'x'.repeat(3_000_000)}`);
    for (let i = 3; i < 5; i++) addLink(`https://a.test/${i}`);
    await flushObserver();
    time.advance(1000);
    expect(finds.flatMap((f) => f.links.map((l) => l.url))).toEqual([0, 1, 2, 3, 4].map((i) => `https://a.test/${i}`));
    // Left out by the collection itself, it is not found by a later scan either.
    addLink('https://a.test/5');
    await flushObserver();
    time.advance(1000);
    expect(finds.at(-1)?.links.map((l) => l.url)).toEqual(['https://a.test/5']);
    w.stop();
  });

  it('leaves out the same over-long link from its first collection as from its later reports', async () => {
    addLink(OVER_LONG_HREF);
    const w = watcher();
    const first = w.collect();
    expect(first.links.map((l) => nameOf(l.url))).toEqual(['https://a.test/first']);
    expect(first.truncated).toBe(false);
    addLink(OVER_LONG_HREF);
    addLink('https://a.test/later');
    await flushObserver();
    time.advance(1000);
    expect(finds.flatMap((f) => f.links.map((l) => nameOf(l.url)))).toEqual(['https://a.test/later']);
    expect(finds.every((f) => !f.truncated)).toBe(true);
    w.stop();
  });

  it('sends a page that adds many links at once in bounded parts, and stops at the cap', async () => {
    const w = createPageWatcher({
      kinds: DEFAULT_SETTINGS.collect,
      maxLinks: 22,
      perReport: 10,
      report: (find) => finds.push(find),
      timers: time.timers,
    });
    w.collect();
    const list = document.getElementById('list') as HTMLElement;
    list.insertAdjacentHTML(
      'beforeend',
      Array.from({ length: 25 }, (_, i) => `<li><a href="https://a.test/${i}">${i}</a></li>`).join(''),
    );
    await flushObserver();
    time.advance(1000);
    expect(finds.map((f) => f.links.length)).toEqual([10, 10, 1]);
    expect(finds.at(-1)?.truncated).toBe(true);
    w.stop();
  });

  it('hands over every slice of its first collection while its scans follow a page that keeps changing', async () => {
    // Nine links of 1.5 M characters: five slices of at most 4 M characters each, as the background asks for them.
    const long = (i: number) => `https://a.test/${i}?${'q'.repeat(1_500_000)}`;
    for (let i = 0; i < 9; i++) addLink(long(i));
    const w = watcher();
    let changes = 0;
    const collection = (await collectWithin(
      30_000,
      async () => w.collect(),
      async (from, held) => {
        // The page changes between two slices, and the watcher's scan reports what joined.
        addLink(`https://a.test/joined-${changes++}`);
        await flushObserver();
        time.advance(1000);
        return moreCollectedLinks(from, COLLECT_SLICE_CHARS, held);
      },
      () => 0,
    )) as Collection;
    w.stop();
    expect(collection.truncated).toBe(false);
    expect(finds.every((find) => !find.truncated)).toBe(true);
    const delivered = [...collection.links, ...finds.flatMap((find) => find.links)].map((l) => l.url);
    const page = ['https://a.test/first', ...Array.from({ length: 9 }, (_, i) => long(i))];
    expect(delivered).toEqual([...page, ...[0, 1, 2, 3].map((i) => `https://a.test/joined-${i}`)]);
  });
});
