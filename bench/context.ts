// What every part of the benchmark shares: the browsers, the fixture servers, the table of figures, and the few ways of
// measuring a click. A part is one entry of the table in bench.ts; it gets a Bench and records lines.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CDPSession, Page } from 'puppeteer';
import { clickToolbarIcon, type ExtensionBrowser, launchWithExtension } from '../tests/e2e/harness.ts';
import { type FixtureServer, startFixtureServer } from '../tests/fixtures/server.ts';
import { treeCpuByKind } from './cpu.ts';

/** Hosts are loopback addresses from 127.0.0.11 up: distinct hosts for Chromium and for Node (linkinator) alike. */
export const IP_BASE = 11;
/** The popup's summary once its run is over (Linkpulse's and the bare extension's alike). */
export const DONE = '[data-testid="run-summary"][data-state="done"]';
export const BARE_EXTENSION_DIR = resolve(import.meta.dirname, 'bare-extension');

/**
 * The bare extension with the webRequest permission added, in a temporary directory; with `linkpulseRequests`, each
 * link's request is also sent as Linkpulse must send it (bench/bare-extension/linkpulse-requests.js).
 */
export function bareWithWebRequest(linkpulseRequests = false): string {
  const name = linkpulseRequests ? 'bare-linkpulse-requests' : 'bare-webrequest';
  const dir = join(mkdtempSync(join(tmpdir(), 'linkpulse-bare-')), name);
  cpSync(BARE_EXTENSION_DIR, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.permissions.push('webRequest');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  if (linkpulseRequests) cpSync(join(dir, 'linkpulse-requests.js'), join(dir, 'check.js'));
  return dir;
}

export interface Line {
  measure: string;
  value: string;
  target: string;
  met: boolean | null;
}

export interface Bench {
  /** Chromium with the built Linkpulse, warmed up. */
  linkpulse: ExtensionBrowser;
  /** Chromium with another unpacked extension (the bare one: BARE_EXTENSION_DIR), launched and warmed up on first use. */
  launch(extensionDir: string): Promise<ExtensionBrowser>;
  /** A fixture server on 127.0.0.1 for pages reached by name (`*.test`). */
  local: FixtureServer;
  /** Fixture servers on 127.0.0.11, .12, … (`count` of them, started on first need), all on one port. */
  hosts(count: number): Promise<FixtureServer[]>;
  /** Alternating rounds in the parts that compare (--rounds=N, at least 3 by default). */
  rounds: number;
  /** Also record CPU profiles (--profile): in a round of its own, after the measured ones. */
  profile: boolean;
  /** Other unpacked builds the comparing parts also run, side by side (--also=dir,…: an A/B of a change). */
  also: string[];
  /** Print the requests that reached the servers each half second of a site check (--timeline). */
  timeline: boolean;
  section(title: string): void;
  record(measure: string, value: string, target?: string, met?: boolean | null): void;
}

export interface Part {
  name: string;
  run(bench: Bench): Promise<void>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The moment (ms since epoch, on the page's own clock) of the first frame in which the page holds at least `count`
 * elements matching `selector`. Watched with a MutationObserver, and one animation frame once it holds: polling every
 * frame would make the page render frames it would not otherwise (the observer must not cost the observed).
 */
export async function shownAt(page: Page, selector: string, timeout: number, count = 1): Promise<number> {
  return page.evaluate(
    (wanted: string, n: number, ms: number) =>
      new Promise<number>((resolve, reject) => {
        const holds = () => document.querySelectorAll(wanted).length >= n;
        const frame = () => requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
        if (holds()) return frame();
        const observer = new MutationObserver(() => {
          if (!holds()) return;
          observer.disconnect();
          clearTimeout(timer);
          frame();
        });
        observer.observe(document, { subtree: true, childList: true, attributes: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${wanted} ×${n} not shown within ${ms} ms`));
        }, ms);
      }),
    selector,
    count,
    timeout,
  );
}

/**
 * One click on the toolbar icon on a page at `url`, up to the popup's first frame showing the run done, and the CPU
 * time the browser's processes used meanwhile (the page loads before, the CPU clock starts at the click). `onPopup` is
 * called as soon as the popup is there; what it returns is called once the run is done, before the popup closes.
 */
export async function clickToDone(
  ext: ExtensionBrowser,
  url: string,
  timeout = 120_000,
  onPopup?: (popup: Page) => Promise<() => Promise<void>>,
): Promise<{
  ms: number;
  clickedAt: number;
  popupOpenMs: number;
  cpuMs: number | null;
  /** The same CPU time by kind of process (browser process, network service, extension renderer, …). */
  cpuByKind: Map<string, number> | null;
}> {
  const page = await ext.browser.newPage();
  await page.goto(url);
  const pid = ext.browser.process()?.pid;
  const cpuBefore = treeCpuByKind(pid);
  const { popup, clickedAt } = await clickToolbarIcon(ext, page);
  const done = shownAt(popup, DONE, timeout);
  const afterDone = await onPopup?.(popup);
  const ms = (await done) - clickedAt;
  const cpuAfter = treeCpuByKind(pid);
  const cpuByKind = cpuBefore === null || cpuAfter === null ? null : cpuSince(cpuBefore, cpuAfter);
  const cpuMs = cpuByKind === null ? null : [...cpuByKind.values()].reduce((a, b) => a + b, 0);
  await afterDone?.();
  const popupOpenMs = (await popup.evaluate(() => performance.timeOrigin)) - clickedAt;
  await popup.close();
  await page.close();
  return { ms, clickedAt, popupOpenMs, cpuMs, cpuByKind };
}

/** CPU used by each kind of process between two readings (a process gone meanwhile takes its time with it). */
export function cpuSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([kind, ms]) => [kind, Math.max(0, ms - (before.get(kind) ?? 0))]));
}

/**
 * A fresh browser opens its first popup ~120 ms slower than later ones (measured here: 270–300 ms from the click to the
 * popup's document, against ~150 ms). One click on a one-link page first, so the figures are those of a browser in use.
 */
export async function warmUp(ext: ExtensionBrowser, local: FixtureServer): Promise<void> {
  await clickToDone(ext, local.url('/generate?n=1&hosts=1&latency=0', 'warm.test'), 30_000);
}

/** A DevTools session on the extension's service worker (its heap, its profile). */
export async function workerSession(ext: ExtensionBrowser): Promise<CDPSession> {
  const target = await ext.browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`),
  );
  return target.createCDPSession();
}

/** Samples a JS heap's used size every 100 ms; `stop` ends it and gives the largest seen, in bytes. */
export function sampleHeap(session: CDPSession): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => {
    session
      .send('Runtime.getHeapUsage')
      .then(({ usedSize }) => {
        peak = Math.max(peak, usedSize);
      })
      .catch(() => {});
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * Counts a page's long tasks (main-thread tasks over 50 ms: moments it cannot answer a click or a key) from the moment
 * it can run a script, those already buffered included; `read` gives each one's duration so far.
 */
export async function watchLongTasks(page: Page): Promise<{ read(): Promise<number[]> }> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return { read: () => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.slice()) };
}

/** Starts the shared pieces; `close` stops them. */
export async function startBench(options: {
  rounds: number;
  profile: boolean;
  also: string[];
  timeline: boolean;
}): Promise<{
  bench: Bench;
  lines: Line[];
  close(): Promise<void>;
}> {
  const lines: Line[] = [];
  const servers: FixtureServer[] = [];
  const local = await startFixtureServer();
  const linkpulse = await launchWithExtension();
  await warmUp(linkpulse, local);
  const others = new Map<string, Promise<ExtensionBrowser>>();
  const bench: Bench = {
    linkpulse,
    local,
    rounds: options.rounds,
    profile: options.profile,
    also: options.also,
    timeline: options.timeline,
    launch(extensionDir) {
      const launched =
        others.get(extensionDir) ??
        launchWithExtension([], extensionDir).then(async (ext) => {
          await warmUp(ext, local);
          return ext;
        });
      others.set(extensionDir, launched);
      return launched;
    },
    async hosts(count) {
      if (servers.length === 0) servers.push(await startFixtureServer({ host: `127.0.0.${IP_BASE}`, latencyMs: 0 }));
      const port = (servers[0] as FixtureServer).port;
      while (servers.length < count) {
        servers.push(await startFixtureServer({ host: `127.0.0.${IP_BASE + servers.length}`, port }));
      }
      return servers.slice(0, count);
    },
    section(title) {
      console.log(title);
    },
    record(measure, value, target = '', met = null) {
      lines.push({ measure, value, target, met });
      console.log(`  ${measure}: ${value}${target ? ` (target ${target})` : ''}`);
    },
  };
  return {
    bench,
    lines,
    async close() {
      await linkpulse.close();
      for (const other of others.values()) await (await other).close();
      await local.close();
      for (const s of servers) await s.close();
    },
  };
}

/** The most requests one host had in flight at once, over the given servers, since their last reset. */
export function maxPerHost(servers: FixtureServer[]): number {
  return Math.max(...servers.flatMap((s) => Object.values(s.maxInFlightByHost())));
}

/** When the first request whose path starts with `prefix` reached any of the servers (ms since epoch). */
export function firstRequestAt(servers: FixtureServer[], prefix: string): number {
  return Math.min(...servers.flatMap((s) => s.requestsTo(prefix).map((r) => r.at)));
}

/**
 * How long a host's connection slot stood empty between an answer and the request that took its place (median over
 * every host's requests whose path starts with `prefix`, ms): with `slots` requests per host at a time, the k-th answer
 * frees the slot the (k + slots)-th request fills. Whatever the checker does between hearing an answer and sending the
 * next request — in the browser, in the extension — adds up here once per round of each host.
 */
export function slotGap(servers: FixtureServer[], prefix: string, slots = 6): number {
  const gaps: number[] = [];
  const byHost = new Map<string, { at: number; answeredAt?: number }[]>();
  for (const r of servers.flatMap((s) => s.requestsTo(prefix))) {
    const list = byHost.get(r.host) ?? [];
    list.push(r);
    byHost.set(r.host, list);
  }
  for (const requests of byHost.values()) {
    const arrivals = requests.map((r) => r.at).sort((a, b) => a - b);
    const answers = requests.flatMap((r) => (r.answeredAt === undefined ? [] : [r.answeredAt])).sort((a, b) => a - b);
    for (let k = 0; k + slots < arrivals.length && k < answers.length; k++) {
      gaps.push((arrivals[k + slots] as number) - (answers[k] as number));
    }
  }
  return median(gaps);
}
