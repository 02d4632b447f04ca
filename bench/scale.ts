// Scale: 10 000 links on one page — collecting them, the popup while rows stream in, the worker's heap, the report page.
import type { Page } from 'puppeteer';
import { openPopup, tabIdOf, waitForState } from '../tests/e2e/harness.ts';
import { type Bench, sampleHeap, shownAt, watchLongTasks, workerSession } from './context.ts';

const BIG = 10_000;

export async function scale(bench: Bench): Promise<void> {
  bench.section('Scale');
  const ext = bench.linkpulse;
  const local = bench.local;
  const big = await ext.browser.newPage();
  await big.goto(local.url(`/generate?n=${BIG}&hosts=10&latency=0`, 'big.test'));
  const session = await workerSession(bench.linkpulse);
  const heap = sampleHeap(session);
  const bigPopup = await openPopup(ext, big);
  const watched = await watchLongTasks(bigPopup);
  await waitForState(bigPopup, 'done', 180_000);
  const peakHeap = heap.stop();
  const longTasks = await watched.read();
  const tabId = await tabIdOf(ext, big);
  const worker = await ext.worker();
  const collectMs = await worker.evaluate(async (id: number) => {
    const stored = await (
      globalThis as unknown as {
        chrome: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } };
      }
    ).chrome.storage.session.get(`run:${id}`);
    return (stored[`run:${id}`] as { collectMs?: number } | undefined)?.collectMs ?? null;
  }, tabId);
  bench.record(
    `collect ${BIG} links in the page`,
    collectMs === null ? 'n/a' : `${collectMs} ms`,
    '< 100 ms',
    collectMs !== null && collectMs < 100,
  );
  const worst = longTasks.length > 0 ? Math.max(...longTasks) : 0;
  bench.record(
    'popup long tasks (> 50 ms) while rows stream in',
    `${longTasks.length}${longTasks.length ? `, longest ${Math.round(worst)} ms` : ''}`,
    'none',
    longTasks.length === 0,
  );
  bench.record('peak worker heap', `${(peakHeap / 1024 / 1024).toFixed(1)} MB`, '< 50 MB', peakHeap < 50 * 1024 * 1024);
  // What the run really keeps: the heap after a full garbage collection, once it is done. A peak far above it is
  // short-lived garbage (rows serialised for storage and for the popup), not a leak.
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize: retained } = await session.send('Runtime.getHeapUsage');
  bench.record('worker heap after the run, after garbage collection', `${(retained / 1024 / 1024).toFixed(1)} MB`);
  // The report as a person opens it: "Open full report" in the popup opens it in a new tab. The clock stops at the first
  // frame in which the report holds every row, on the report's own clock.
  const reportUrl = `chrome-extension://${ext.extensionId}/report.html?tab=${tabId}`;
  const reportOpened = ext.browser.waitForTarget((t) => t.url() === reportUrl);
  const clickedAt = Date.now();
  await bigPopup.click('[data-testid="open-report"]');
  const report = (await (await reportOpened).asPage()) as Page;
  const allRows = await shownAt(report, '[data-testid="link-row"]', 60_000, BIG);
  const reportMs = Math.round(allRows - clickedAt);
  const reportStart = Math.round((await report.evaluate(() => performance.timeOrigin)) - clickedAt);
  if (!bigPopup.isClosed()) await bigPopup.close();
  bench.record(
    `report page with ${BIG} rows rendered (click on "Open full report" to the frame with every row)`,
    `${reportMs} ms`,
    '< 1 s',
    reportMs < 1000,
  );
  bench.record('of which the browser opening the tab (click to the report document)', `${reportStart} ms`);
  await report.close();
  await big.close();
}
