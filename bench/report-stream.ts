// `npm run bench:report`: long tasks on the report page while the results of a 10 000-link run stream in.
// A page of 10 000 links over 10 hosts (each answering after about 40 ms) is checked; its report page is open from the start
// and in front, so it renders every frame. A PerformanceObserver in the report page counts the long tasks (main-thread
// tasks over 50 ms: the moments the page cannot answer a click or a key) until the run is done. Measurements, not
// tests: nothing here fails on a slow machine. `--runs=N` (default 3) repeats it in fresh tabs; medians are printed.
import { loadavg } from 'node:os';
import type { Page } from 'puppeteer';
import { launchWithExtension, openPopup, tabIdOf, waitForState } from '../tests/e2e/harness.ts';
import { startFixtureServer } from '../tests/fixtures/server.ts';

const LINKS = 10_000;
const HOSTS = 10;
const LATENCY = 40;
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);

interface Sample {
  longTasks: number;
  longTaskMs: number;
  longestMs: number;
  doneMs: number;
}

/** Installed before the report page's own scripts: every long task from its first frame on. */
function observeLongTasks() {
  const seen: number[] = [];
  (globalThis as unknown as { longTasks: number[] }).longTasks = seen;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) seen.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function sample(ext: Awaited<ReturnType<typeof launchWithExtension>>, url: string): Promise<Sample> {
  const page = await ext.browser.newPage();
  await page.goto(url);
  const tabId = await tabIdOf(ext, page);
  const report: Page = await ext.browser.newPage();
  await report.evaluateOnNewDocument(observeLongTasks);
  // The popup starts the run; the report page follows it from its first results.
  const popup = await openPopup(ext, page);
  const started = Date.now();
  await report.goto(`chrome-extension://${ext.extensionId}/report.html?tab=${tabId}`);
  await popup.close();
  await report.bringToFront();
  await waitForState(report, 'done', 300_000);
  const doneMs = Date.now() - started;
  // The last frame's work ends after the state shows: let it finish before reading.
  await new Promise((r) => setTimeout(r, 500));
  const tasks = await report.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks.slice());
  const rows = await report.$$eval('[data-testid="link-row"]', (els) => els.length);
  if (rows !== LINKS) throw new Error(`The report shows ${rows} rows, not ${LINKS}`);
  await report.close();
  await page.close();
  return {
    longTasks: tasks.length,
    longTaskMs: Math.round(tasks.reduce((a, b) => a + b, 0)),
    longestMs: Math.round(Math.max(0, ...tasks)),
    doneMs,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const loadBefore = loadavg()[0] ?? 0;
const server = await startFixtureServer();
const ext = await launchWithExtension();
const samples: Sample[] = [];
try {
  for (let i = 0; i < runs; i++) {
    // New link addresses each run (the latency is part of them): the recent-results cache must not answer.
    const url = server.url(`/generate?n=${LINKS}&hosts=${HOSTS}&latency=${LATENCY + i}`, `stream${i}.test`);
    const s = await sample(ext, url);
    samples.push(s);
    console.log(`run ${i + 1}: ${JSON.stringify(s)}`);
  }
} finally {
  await ext.close();
  await server.close();
}
console.log(
  `report page, ${LINKS} rows streaming in (median of ${runs}): ` +
    `${median(samples.map((s) => s.longTasks))} long tasks, ${median(samples.map((s) => s.longTaskMs))} ms in them, ` +
    `longest ${median(samples.map((s) => s.longestMs))} ms; run done after ${median(samples.map((s) => s.doneMs))} ms ` +
    `(load ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)})`,
);
