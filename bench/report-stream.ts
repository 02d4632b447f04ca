// `npm run bench:report`: long tasks on the report page while the results of a 10 000-link run stream in.
// A page of 10 000 links over 10 hosts (each answering after about 40 ms) is checked; its report page is open from the start
// and in front, so it renders every frame. A PerformanceObserver in the report page counts the long tasks (main-thread
// tasks over 50 ms: the moments the page cannot answer a click or a key) until the run is done. Measurements, not
// tests: nothing here fails on a slow machine. `--runs=N` (default 3) repeats it in fresh tabs; medians are printed.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { EXTENSION_DIR, launchWithExtension, openPopup, tabIdOf } from '../tests/e2e/harness.ts';
import { startFixtureServer } from '../tests/fixtures/server.ts';

const LINKS = 10_000;
const HOSTS = 10;
const LATENCY = 40;
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
/**
 * `--ab=<dirA>,<dirB>`: two builds of the extension (copies of .output/chrome-mv3), measured alternately, each in a
 * fresh browser, so that both meet the same machine load. Without it, the current build is measured.
 */
const ab = process.argv
  .find((a) => a.startsWith('--ab='))
  ?.slice('--ab='.length)
  .split(',');
/**
 * `--profile`: also a CPU profile of the report page, printed as the functions with the most self time and written to
 * linkpulse-bench-report-page.cpuprofile in the temporary directory.
 */
const profile = process.argv.includes('--profile');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function topSelfTime(result: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }): string[] {
  const byId = new Map(result.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  (result.samples ?? []).forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    const name = frame
      ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber}`
      : '?';
    self.set(name, (self.get(name) ?? 0) + (result.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, ms]) => `${Math.round(ms)} ms  ${name}`);
}

interface Sample {
  longTasks: number;
  longTaskMs: number;
  longestMs: number;
  /** Main-thread time in script, style and layout over the run (Chromium's Performance metrics). */
  scriptMs: number;
  styleLayoutMs: number;
  doneMs: number;
}

async function metrics(cdp: import('puppeteer').CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value * 1000]));
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
  const cdp = await report.createCDPSession();
  await cdp.send('Performance.enable');
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  // The popup starts the run; the report page follows it from its first results.
  const popup = await openPopup(ext, page);
  const started = Date.now();
  await report.goto(`chrome-extension://${ext.extensionId}/report.html?tab=${tabId}`);
  await popup.close();
  await report.bringToFront();
  // Polled twice a second: a selector wait on every DOM change would add its own work to what is measured.
  await report.waitForFunction(
    () => document.querySelector('[data-testid="run-summary"]')?.getAttribute('data-state') === 'done',
    { polling: 500, timeout: 300_000 },
  );
  const doneMs = Date.now() - started;
  const end = await metrics(cdp);
  if (profile) {
    const { profile: result } = await cdp.send('Profiler.stop');
    writeFileSync(join(tmpdir(), 'linkpulse-bench-report-page.cpuprofile'), JSON.stringify(result));
    console.log(topSelfTime(result as unknown as Parameters<typeof topSelfTime>[0]).join('\n'));
  }
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
    scriptMs: Math.round(end.ScriptDuration ?? 0),
    styleLayoutMs: Math.round((end.RecalcStyleDuration ?? 0) + (end.LayoutDuration ?? 0)),
    doneMs,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

const loadBefore = loadavg()[0] ?? 0;
const server = await startFixtureServer();
const variants = ab ?? ['current build'];
const samples = new Map<string, Sample[]>(variants.map((v) => [v, []]));
try {
  for (let i = 0; i < runs; i++) {
    for (const variant of variants) {
      if (ab) {
        rmSync(EXTENSION_DIR, { recursive: true, force: true });
        cpSync(variant, EXTENSION_DIR, { recursive: true });
      }
      const ext = await launchWithExtension();
      try {
        // New link addresses each run (the latency is part of them): no recent result may answer for the servers.
        const latency = LATENCY + i * variants.length + variants.indexOf(variant);
        const url = server.url(`/generate?n=${LINKS}&hosts=${HOSTS}&latency=${latency}`, `stream${latency}.test`);
        const s = await sample(ext, url);
        samples.get(variant)?.push(s);
        console.log(`${variant} run ${i + 1}: ${JSON.stringify(s)}`);
      } finally {
        await ext.close();
      }
    }
  }
} finally {
  await server.close();
}
for (const [variant, list] of samples) {
  const m = (key: keyof Sample) => median(list.map((s) => s[key]));
  console.log(
    `${variant}: report page, ${LINKS} rows streaming in (median of ${list.length}): ${m('longTasks')} long tasks, ` +
      `${m('longTaskMs')} ms in them, longest ${m('longestMs')} ms; script ${m('scriptMs')} ms, style + layout ` +
      `${m('styleLayoutMs')} ms; run done after ${m('doneMs')} ms`,
  );
}
console.log(`load ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}`);
