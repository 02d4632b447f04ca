// @vitest-environment happy-dom
// The report page's history panel: read when opened, read again when "Check again" puts another run on screen and
// when the history says it changed (a run is kept after its end has reached the page); quiet once closed.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportHistory, type ReportHistoryAccess } from '../../../entrypoints/report/ReportHistory';
import type { RunRecord } from '../../../utils/history/history-store';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import {
  listedRuns as listed,
  pageRecord,
  panelRoot,
  removePanelRoot,
  settleReads as settle,
  toggleDetails,
} from '../../support/history-panels';

const PAGE = 'https://s.test/page';
const meta = (runId: string, finishedAt: number | null): RunMeta => ({
  runId,
  tabId: 1,
  page: { url: PAGE, title: 'T' },
  startedAt: 0,
  finishedAt,
  state: finishedAt === null ? 'running' : 'done',
  settings: DEFAULT_SETTINGS,
  total: 0,
  truncated: false,
});
const record = (runId: string, finishedAt: number): RunRecord => pageRecord(runId, PAGE, finishedAt);

afterEach(removePanelRoot);

describe('the report page’s history panel', () => {
  it('lists the run Check again replaced, then the new run once the history says it was kept', async () => {
    const kept: RunRecord[] = [];
    const listeners = new Set<() => void>();
    let reads = 0;
    const access: ReportHistoryAccess = {
      runsOf: async () => {
        reads++;
        return [...kept];
      },
      href: (id) => `/report.html?run=${id}`,
      siteChecksOf: async () => [],
      siteHref: (id) => `/crawl.html?crawl=${id}`,
      watch: (onChange) => {
        listeners.add(onChange);
        return () => listeners.delete(onChange);
      },
    };
    const show = (m: RunMeta) => act(() => render(<ReportHistory meta={m} history={access} />, root));
    const said = () =>
      act(async () => {
        for (const changed of listeners) changed();
      });
    const root = panelRoot();
    // Opened while the first run is going: nothing kept yet.
    await show(meta('first', null));
    expect(reads).toBe(0);
    const details = root.querySelector('details') as HTMLDetailsElement;
    const toggle = (open: boolean) => toggleDetails(details, open);
    await toggle(true);
    await settle();
    expect(document.querySelector('[data-testid="history-empty"]')).not.toBeNull();

    // It ends, and is kept after: listed (as the one shown) once the history says so.
    await show(meta('first', 1));
    kept.unshift(record('first', 1));
    await said();
    await settle();
    expect(listed()).toEqual([['first', 'true']]);

    // Check again: the first is one to open now; the second is listed once kept.
    await show(meta('second', null));
    await settle();
    expect(listed()).toEqual([['first', '']]);
    await show(meta('second', 2));
    kept.unshift(record('second', 2));
    await said();
    await settle();
    expect(listed()).toEqual([
      ['second', 'true'],
      ['first', ''],
    ]);

    await toggle(false);
    expect(listeners.size).toBe(0);
    const before = reads;
    await show(meta('third', null));
    expect(reads).toBe(before);
  });
});
