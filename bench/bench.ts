// `npm run bench`: measures the built extension in Debian's Chromium against the local fixture server, and linkinator
// on the same links, then prints a Markdown table (also written to bench/results.md with --write or BENCH_WRITE=1).
// The figures are measurements, not tests: nothing here fails on a slow machine. `--only=throughput,latency` runs
// some parts (throughput, scale, latency; throughput includes linkinator).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { check as linkinatorCheck } from 'linkinator';
import type { CDPSession, Page } from 'puppeteer';
import { launchWithExtension, openPopup, openReport, tabIdOf, waitForState } from '../tests/e2e/harness.ts';
import { type FixtureServer, startFixtureServer } from '../tests/fixtures/server.ts';

const LINKS = 2000;
const HOSTS = 20;
const LATENCY = 200;
const BIG = 10_000;
const IP_BASE = 11;

type Line = { measure: string; value: string; target: string; met: boolean | null };
const lines: Line[] = [];
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const want = (part: 'throughput' | 'scale' | 'latency') => !only || only.includes(part);
const record = (measure: string, value: string, target = '', met: boolean | null = null) => {
  lines.push({ measure, value, target, met });
  console.log(`  ${measure}: ${value}${target ? ` (target ${target})` : ''}`);
};

async function waitForDone(popup: Page, timeout: number): Promise<void> {
  await waitForState(popup, 'done', timeout);
}

/** One fixture server per loopback address, all on the same port: distinct hosts for Chromium and for Node alike. */
async function startHosts(): Promise<FixtureServer[]> {
  const first = await startFixtureServer({ host: `127.0.0.${IP_BASE}`, latencyMs: 0 });
  const rest = await Promise.all(
    Array.from({ length: HOSTS - 1 }, (_, i) =>
      startFixtureServer({ host: `127.0.0.${IP_BASE + 1 + i}`, port: first.port }),
    ),
  );
  return [first, ...rest];
}

function maxPerHost(servers: FixtureServer[]): number {
  return Math.max(...servers.flatMap((s) => Object.values(s.maxInFlightByHost())));
}

async function workerSession(ext: Awaited<ReturnType<typeof launchWithExtension>>): Promise<CDPSession> {
  const target = await ext.browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`),
  );
  return target.createCDPSession();
}

// The machine may be shared: the 1-minute load average before and after the run says how noisy the figures are.
const loadBefore = loadavg()[0] ?? 0;
const hosts = await startHosts();
const home = hosts[0] as FixtureServer;
const local = await startFixtureServer();
const ext = await launchWithExtension();
console.log(
  `Linkpulse benchmark — ${cpus().length} CPU(s), Chromium via ${process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium'}`,
);
try {
  if (want('throughput')) await throughput();
  if (want('scale')) await scale();
  if (want('latency')) await latency();
} finally {
  await ext.close();
  await local.close();
  for (const s of hosts) await s.close();
}

async function throughput() {
  // 1. Throughput: 2 000 links over 20 hosts, 200 ms each, default settings, click to "done".
  const throughputUrl = `http://127.0.0.${IP_BASE}:${home.port}/generate?n=${LINKS}&hosts=${HOSTS}&latency=${LATENCY}&ipBase=${IP_BASE}`;
  const page = await ext.browser.newPage();
  await page.goto(throughputUrl);
  for (const s of hosts) s.resetStats();
  let started = Date.now();
  const popup = await openPopup(ext, page);
  await waitForDone(popup, 120_000);
  const extensionMs = Date.now() - started;
  const ideal = Math.ceil(LINKS / HOSTS / 6) * LATENCY;
  const ratio = ideal / extensionMs;
  console.log('Throughput');
  record(`${LINKS} links, ${HOSTS} hosts, ${LATENCY} ms: click to done`, `${(extensionMs / 1000).toFixed(2)} s`);
  record('ratio to the browser ideal (ceil(links per host / 6) × latency)', ratio.toFixed(2), '≥ 0.9', ratio >= 0.9);
  const perHost = maxPerHost(hosts);
  record('most in flight to one host (fixture)', String(perHost), '≤ 6', perHost <= 6);
  await popup.close();
  await page.close();

  // 2. linkinator on the same page and links, its default settings.
  for (const s of hosts) s.resetStats();
  started = Date.now();
  const result = await linkinatorCheck({ path: throughputUrl });
  const linkinatorMs = Date.now() - started;
  record(`linkinator, same ${result.links.length - 1} links`, `${(linkinatorMs / 1000).toFixed(2)} s`);
  record(
    'Linkpulse wall time / linkinator',
    (extensionMs / linkinatorMs).toFixed(2),
    '< 1',
    extensionMs < linkinatorMs,
  );
}

async function scale() {
  // 3. Scale: 10 000 links on one page.
  console.log('Scale');
  const big = await ext.browser.newPage();
  await big.goto(local.url(`/generate?n=${BIG}&hosts=10&latency=0`, 'big.test'));
  const session = await workerSession(ext);
  let peakHeap = 0;
  const sampler = setInterval(() => {
    session
      .send('Runtime.getHeapUsage')
      .then(({ usedSize }) => {
        peakHeap = Math.max(peakHeap, usedSize);
      })
      .catch(() => {});
  }, 100);
  const bigPopup = await openPopup(ext, big);
  // Observe long tasks from the moment the popup can run a script; entries already buffered are included.
  await bigPopup.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await waitForDone(bigPopup, 180_000);
  clearInterval(sampler);
  const longTasks = await bigPopup.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
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
  record(
    `collect ${BIG} links in the page`,
    collectMs === null ? 'n/a' : `${collectMs} ms`,
    '< 100 ms',
    collectMs !== null && collectMs < 100,
  );
  const worst = longTasks.length > 0 ? Math.max(...longTasks) : 0;
  record(
    'popup long tasks (> 50 ms) while rows stream in',
    `${longTasks.length}${longTasks.length ? `, longest ${Math.round(worst)} ms` : ''}`,
    'none',
    longTasks.length === 0,
  );
  record('peak worker heap', `${(peakHeap / 1024 / 1024).toFixed(1)} MB`, '< 50 MB', peakHeap < 50 * 1024 * 1024);
  // What the run really keeps: the heap after a full garbage collection, once it is done. A peak far above it is
  // short-lived garbage (rows serialised for storage and for the popup), not a leak.
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize: retained } = await session.send('Runtime.getHeapUsage');
  record('worker heap after the run, after garbage collection', `${(retained / 1024 / 1024).toFixed(1)} MB`);
  await bigPopup.close();
  const started = Date.now();
  const report = await openReport(ext, tabId);
  await report.waitForFunction(
    (n: number) => document.querySelectorAll('[data-testid="link-row"]').length === n,
    {
      timeout: 60_000,
      polling: 'raf',
    },
    BIG,
  );
  const reportMs = Date.now() - started;
  record(`report page with ${BIG} rows rendered`, `${reportMs} ms`, '< 1 s', reportMs < 1000);
  await report.close();
  await big.close();
}

async function latency() {
  // 4. First visible result after the click.
  let started: number;
  console.log('Latency');
  // The clock starts at the click itself (the page in front and the worker found beforehand), and stops at the
  // frame in which the popup shows its first verdict, on the popup's own clock. Median of three fresh pages
  // (each with its own links: a cached result would show at once).
  const firsts: number[] = [];
  const opens: number[] = [];
  const loads: number[] = [];
  for (let k = 0; k < 3; k++) {
    const small = await ext.browser.newPage();
    await small.goto(local.url(`/generate?n=50&hosts=5&latency=${k}`, `small${k}.test`));
    await small.bringToFront();
    const clickWorker = await ext.worker();
    const popupUrl = `chrome-extension://${ext.extensionId}/popup.html`;
    const opened = ext.browser.waitForTarget((t) => t.url() === popupUrl);
    started = Date.now();
    await clickWorker.evaluate(() =>
      (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup(),
    );
    const smallPopup = (await (await opened).asPage()) as Page;
    const shownAt = await smallPopup.waitForFunction(
      () =>
        document.querySelector('[data-testid="popup-row"]:not([data-verdict=""])')
          ? performance.timeOrigin + performance.now()
          : 0,
      { polling: 'raf' },
    );
    firsts.push(Math.round((await shownAt.jsonValue()) - started));
    // Where that time goes: the browser opening the popup (click to the popup document's time origin), then the
    // popup asking for the run and the worker collecting, checking and sending the first result.
    opens.push(Math.round((await smallPopup.evaluate(() => performance.timeOrigin)) - started));
    // and the popup loading its own document and script (time origin to DOMContentLoaded's end).
    loads.push(
      Math.round(
        await smallPopup.evaluate(
          () =>
            (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
              ?.domContentLoadedEventEnd ?? 0,
        ),
      ),
    );
    await smallPopup.close();
    await small.close();
  }
  const firstMs = [...firsts].sort((a, b) => a - b)[1] ?? 0;
  record(
    'first verdict visible after the click (median of 3)',
    `${firstMs} ms (${firsts.join(', ')})`,
    '< 300 ms',
    firstMs < 300,
  );
  const openMs = [...opens].sort((a, b) => a - b)[1] ?? 0;
  record('of which the browser opening the popup (median)', `${openMs} ms (${opens.join(', ')})`);
  const loadMs = [...loads].sort((a, b) => a - b)[1] ?? 0;
  record('of which the popup loading its document and script (median)', `${loadMs} ms (${loads.join(', ')})`);
}

const table = [
  '| measure | value | target | met |',
  '| --- | --- | --- | --- |',
  ...lines.map((l) => `| ${l.measure} | ${l.value} | ${l.target} | ${l.met === null ? '' : l.met ? 'yes' : 'no'} |`),
].join('\n');
const load = `1-minute load average ${loadBefore.toFixed(2)} before the run, ${(loadavg()[0] ?? 0).toFixed(2)} after`;
console.log(`\n${table}\n\n${load}\n`);
if (process.argv.includes('--write') || process.env.BENCH_WRITE === '1') {
  const path = resolve(import.meta.dirname, 'results.md');
  writeFileSync(
    path,
    `# Linkpulse benchmark\n\nMeasured ${new Date().toISOString()} on ${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; ${load}.\n\n${table}\n`,
  );
  console.log(`Written to ${path}`);
}
