// @vitest-environment happy-dom
// The crawl page's history panel: read when opened, and read again when "Check again" replaces the check on screen
// and when the history says it changed (the check on screen is kept after its end has reached the page).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { CrawlHistory, type CrawlHistoryAccess } from '../../../entrypoints/crawl/CrawlHistory';
import { type CrawlMeta, crawlOptionsFrom } from '../../../utils/crawl/types';
import { type SiteRunRecord, siteRunRecord } from '../../../utils/history/site-record';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { listedRuns as listed, panelRoot, removePanelRoot, toggleDetails } from '../../support/history-panels';

const START = 'https://s.test/';
const meta = (crawlId: string, finishedAt: number | null): CrawlMeta => ({
  crawlId,
  tabId: 1,
  startUrl: START,
  origin: 'https://s.test',
  options: crawlOptionsFrom(DEFAULT_SETTINGS),
  settings: DEFAULT_SETTINGS,
  state: finishedAt === null ? 'running' : 'done',
  paused: false,
  startedAt: 0,
  finishedAt,
  queued: 0,
  notes: [],
});

afterEach(removePanelRoot);

describe('the crawl page’s history panel', () => {
  it('lists the kept site checks when opened, and again once another check replaced the one on screen', async () => {
    const kept: SiteRunRecord[] = [siteRunRecord(meta('first', 1), [], 1, 10)];
    const asked: string[] = [];
    const access: CrawlHistoryAccess = {
      siteChecksOf: async (startUrl) => {
        asked.push(startUrl);
        return [...kept];
      },
      watch: () => () => {},
      href: (id) => `/crawl.html?crawl=${id}`,
    };
    const root = panelRoot();
    await act(() => render(<CrawlHistory meta={meta('second', 2)} history={access} />, root));
    expect(asked).toEqual([]);
    await toggleDetails(root.querySelector('details') as HTMLDetailsElement, true);
    await act(async () => {});
    expect(listed()).toEqual([['first', '']]);

    // The second check was kept when it ended; "Check again" shows a third one.
    kept.unshift(siteRunRecord(meta('second', 2), [], 1, 10));
    await act(() => render(<CrawlHistory meta={meta('third', null)} history={access} />, root));
    await act(async () => {});
    expect(asked).toEqual([START, START]);
    expect(listed()).toEqual([
      ['second', ''],
      ['first', ''],
    ]);
  });

  it('lists the check on screen once the history says it was kept, and stops listening when closed', async () => {
    const kept: SiteRunRecord[] = [siteRunRecord(meta('first', 1), [], 1, 10)];
    const listeners = new Set<() => void>();
    const access: CrawlHistoryAccess = {
      siteChecksOf: async () => [...kept],
      watch: (onChange) => {
        listeners.add(onChange);
        return () => listeners.delete(onChange);
      },
      href: (id) => `/crawl.html?crawl=${id}`,
    };
    const root = panelRoot();
    await act(() => render(<CrawlHistory meta={meta('second', null)} history={access} />, root));
    expect(listeners.size).toBe(0);
    const details = root.querySelector('details') as HTMLDetailsElement;
    const toggle = (open: boolean) => toggleDetails(details, open);
    await toggle(true);
    await act(async () => {});
    expect(listed()).toEqual([['first', '']]);

    // The check on screen ends: the page hears it is done first, and the record is written after.
    await act(() => render(<CrawlHistory meta={meta('second', 2)} history={access} />, root));
    await act(async () => {});
    expect(listed()).toEqual([['first', '']]);
    kept.unshift(siteRunRecord(meta('second', 2), [], 1, 10));
    await act(async () => {
      for (const changed of listeners) changed();
    });
    await act(async () => {});
    expect(listed()).toEqual([
      ['second', 'true'],
      ['first', ''],
    ]);

    await toggle(false);
    expect(listeners.size).toBe(0);
  });
});
