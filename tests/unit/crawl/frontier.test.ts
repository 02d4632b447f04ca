// The frontier on its own: what is planned, what was read, and which pages a crawl picked up after a restart reads next.
import { describe, expect, it } from 'vitest';
import { Frontier, splitLowestLevel } from '../../../utils/crawl/frontier';
import type { CrawlPage } from '../../../utils/crawl/types';

const ORIGIN = 'https://s.example';
const u = (path: string) => `${ORIGIN}${path}`;
const onSite = (url: URL) => url.origin === ORIGIN;

const row = (path: string, depth: number, finalPath: string | null = path): CrawlPage => ({
  url: u(path),
  depth,
  status: 200,
  finalUrl: finalPath === null ? null : u(finalPath),
  title: '',
  links: 0,
  note: '',
});

describe('Frontier', () => {
  it('restores the rows of a stopped crawl as read, with the page each one redirected to', () => {
    const frontier = new Frontier(onSite);
    const toRead = frontier.restore(
      [row('/', 0), row('/old', 1, '/new#top')],
      [
        { url: u('/new'), depth: 2 },
        { url: u('/b'), depth: 1 },
      ],
    );
    expect(frontier.isRead(u('/new'))).toBe(true);
    expect(toRead).toEqual([{ url: u('/b'), depth: 1 }]);
    expect(frontier.pending()).toEqual([{ url: u('/b'), depth: 1 }]);
  });

  it('does not take a redirect off the site for a page of it', () => {
    const frontier = new Frontier(onSite);
    frontier.restore([row('/out', 1, null), { ...row('/away', 1), finalUrl: 'https://other.example/' }], []);
    expect(frontier.isRead('https://other.example/')).toBe(false);
    expect(frontier.pending()).toEqual([]);
  });

  it('reads pages queued deeper in their own level, after the pages found for it', () => {
    const frontier = new Frontier(onSite);
    const later = [
      { url: u('/deep'), depth: 3 },
      { url: u('/sitemap'), depth: 1 },
    ];
    expect(frontier.nextLevel([{ url: u('/found'), depth: 1 }], later)).toEqual({
      level: [
        { url: u('/found'), depth: 1 },
        { url: u('/sitemap'), depth: 1 },
      ],
      later: [{ url: u('/deep'), depth: 3 }],
    });
  });

  it('goes on with the deeper pages when a level found none', () => {
    const frontier = new Frontier(onSite);
    const later = [
      { url: u('/d3'), depth: 3 },
      { url: u('/d2'), depth: 2 },
    ];
    expect(frontier.nextLevel([], later)).toEqual({ level: [{ url: u('/d2'), depth: 2 }], later: [later[0]] });
  });
});

describe('splitLowestLevel', () => {
  it('reads the lowest depth first and keeps the rest for later', () => {
    const pending = [
      { url: u('/a'), depth: 2 },
      { url: u('/b'), depth: 1 },
      { url: u('/c'), depth: 2 },
    ];
    expect(splitLowestLevel(pending)).toEqual({ level: [pending[1]], later: [pending[0], pending[2]] });
  });
});
