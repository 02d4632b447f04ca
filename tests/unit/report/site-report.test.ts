// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { buildSiteReport } from '../../../utils/crawl/site-report';
import type { CrawlLink, CrawlMeta, CrawlPage } from '../../../utils/crawl/types';
import { WRITERS } from '../../../utils/report';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { parseCsv } from '../../support/parse-csv';

const meta: CrawlMeta = {
  crawlId: 'c',
  tabId: 3,
  startUrl: 'https://site.example/',
  origin: 'https://site.example',
  options: { maxDepth: 3, maxPages: 500, samePathOnly: false, useSitemap: true, respectRobots: true, asMe: false },
  settings: DEFAULT_SETTINGS,
  state: 'done',
  paused: false,
  startedAt: Date.UTC(2026, 11, 3, 6, 0, 0),
  finishedAt: Date.UTC(2026, 11, 3, 6, 1, 0),
  queued: 0,
  notes: [],
};
const pages: CrawlPage[] = [
  {
    url: 'https://site.example/',
    depth: 0,
    status: 200,
    finalUrl: 'https://site.example/',
    title: 'Home <script>',
    links: 2,
    note: '',
  },
  {
    url: 'https://site.example/a',
    depth: 1,
    status: 404,
    finalUrl: 'https://site.example/a',
    title: '',
    links: 0,
    note: { code: 'page-status', status: 404 },
  },
];
const links: CrawlLink[] = [
  {
    url: 'https://site.example/a',
    occurrences: 3,
    texts: ['A'],
    phase: 'done',
    result: {
      url: 'https://site.example/a',
      verdict: 'broken',
      reason: 'status',
      status: 404,
      finalUrl: 'https://site.example/a',
      ms: 5,
      attempts: 1,
      redirects: [],
      checkedAt: 0,
    },
    sources: [
      { page: 'https://site.example/', text: 'A' },
      { page: 'https://site.example/b', text: '<img onerror=alert(1)>' },
    ],
    sourceCount: 5,
  },
];

describe('a site check exported', () => {
  const report = buildSiteReport(meta, DEFAULT_SETTINGS, pages, links);

  it('as JSON: the page fields, each link with its pages, and the crawled pages', () => {
    const json = JSON.parse(WRITERS.json.write(report));
    expect(json.page).toEqual({ url: 'https://site.example/', title: 'Home <script>' });
    expect(json.links[0].sourceCount).toBe(5);
    expect(json.links[0].sources[1]).toEqual({ page: 'https://site.example/b', text: '<img onerror=alert(1)>' });
    expect(json.site.pages.map((p: CrawlPage) => [p.url, p.status, p.depth])).toEqual([
      ['https://site.example/', 200, 0],
      ['https://site.example/a', 404, 1],
    ]);
    expect(json.site.options.maxDepth).toBe(3);
    // A page's note is a value in the crawl and the English sentence in the export.
    expect(json.site.pages.map((p: { note: string }) => p.note)).toEqual(['', 'HTTP 404: its links were not read']);
  });

  it('as CSV: two more columns, where the link was found', () => {
    const rows = parseCsv(WRITERS.csv.write(report));
    expect(rows[0]?.slice(-2)).toEqual(['source_count', 'sources']);
    expect(rows[1]?.slice(-2)).toEqual(['5', 'https://site.example/ | https://site.example/b']);
  });

  it('as Markdown: a "Found on" column and the pages', () => {
    const md = WRITERS.md.write(report);
    expect(md).toContain('| Found on |');
    expect(md).toContain('and 3 more');
    expect(md).toMatch(/## Pages \(2\)/);
    expect(md).toContain('| HTTP 404: its links were not read |');
  });

  it('as HTML: pages and sources escaped, nothing runs', () => {
    const doc = new DOMParser().parseFromString(WRITERS.html.write(report), 'text/html');
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.querySelector('img')).toBeNull();
    expect(doc.body.textContent).toContain('<img onerror=alert(1)>');
    expect([...doc.querySelectorAll('h2')].map((h) => h.textContent)).toContain('Pages (2)');
    expect(doc.querySelectorAll('ul.sources li')).toHaveLength(3);
  });

  it('leaves a page check’s export as it was: no site columns or fields', () => {
    const page = { ...report, site: undefined, links: report.links.map(({ sources, sourceCount, ...rest }) => rest) };
    expect(JSON.parse(WRITERS.json.write(page)).site).toBeUndefined();
    expect(parseCsv(WRITERS.csv.write(page))[0]).not.toContain('sources');
  });
});
