import { describe, expect, it } from 'vitest';
import { buildSiteReport } from '../../../utils/crawl/site-report';
import { type CrawlLink, type CrawlMeta, crawlOptionsFrom } from '../../../utils/crawl/types';
import { withBaseline } from '../../../utils/history/diff';
import { toJson } from '../../../utils/report/json';
import { buildReport } from '../../../utils/report/report';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { Verdict } from '../../../utils/types';
import { judged } from '../../support/kept-runs';

const entry = judged;

describe('the JSON export of a run with a previous run', () => {
  it('holds each link’s change and the new-problems count', () => {
    const baseline = new Map<string, Verdict>([
      ['https://a.test/breaks', 'ok'],
      ['https://a.test/heals', 'error'],
    ]);
    const entries = withBaseline(
      [
        entry('https://a.test/breaks', 'broken'),
        entry('https://a.test/heals', 'ok'),
        entry('https://a.test/added', 'blocked'),
      ],
      baseline,
    );
    const report = JSON.parse(
      toJson(
        buildReport({
          page: { url: 'https://a.test/', title: '' },
          startedAt: 0,
          finishedAt: 1,
          settings: DEFAULT_SETTINGS,
          state: 'done',
          entries,
        }),
      ),
    );
    expect(report.links.map((l: { change: string }) => l.change)).toEqual(['newly-broken', 'fixed', 'new']);
    expect(report.summary.newProblems).toBe(2);
  });
});

describe('the JSON export of a site check compared with the previous one', () => {
  it('holds each link’s change and the new-problems count, as a page check’s does', () => {
    const baseline = new Map<string, Verdict>([
      ['https://s.test/breaks', 'redirected'],
      ['https://s.test/stays', 'ok'],
    ]);
    const links = withBaseline(
      [
        entry('https://s.test/breaks', 'error'),
        entry('https://s.test/stays', 'ok'),
        entry('https://s.test/joins', 'broken'),
      ],
      baseline,
    ).map((l): CrawlLink => ({ ...l, sources: [{ page: 'https://s.test/', text: '' }], sourceCount: 1 }));
    const meta: CrawlMeta = {
      crawlId: 'c2',
      tabId: 1,
      startUrl: 'https://s.test/',
      origin: 'https://s.test',
      options: crawlOptionsFrom(DEFAULT_SETTINGS),
      settings: DEFAULT_SETTINGS,
      state: 'done',
      paused: false,
      startedAt: 0,
      finishedAt: 1,
      queued: 0,
      notes: [],
      baseline: { crawlId: 'c1', finishedAt: 0 },
    };
    const report = JSON.parse(toJson(buildSiteReport(meta, DEFAULT_SETTINGS, [], links)));
    expect(report.links.map((l: { change: string }) => l.change)).toEqual(['newly-broken', '', 'new']);
    expect(report.summary.newProblems).toBe(2);
  });
});
