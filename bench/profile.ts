// CPU profiles of an extension's service worker and popup during one run (--profile), through the Chrome DevTools
// Protocol's sampling Profiler: how much CPU each took, and in which functions Linkpulse's worker spends it.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'puppeteer';
import type { ExtensionBrowser } from '../tests/e2e/harness.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  /** Sampled time spent running anything but idle, ms. */
  busyMs: number;
  /** The functions with the most self time, heaviest first: `name (file:line)` and ms. */
  top: [string, number][];
}

/** Non-work entries of a V8 profile. */
const IDLE = new Set(['(idle)', '(root)']);

export function summarize(profile: Profile, count = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let busy = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // timeDeltas[i] is the time before sample i: the time of a sample is the next delta (V8's convention, as DevTools).
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] as number);
    const ms = (deltas[i + 1] ?? 0) / 1000;
    if (!node || IDLE.has(node.callFrame.functionName)) continue;
    busy += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.split('/').pop() ?? '';
    const key = `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
    self.set(key, (self.get(key) ?? 0) + ms);
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
  return { busyMs: busy, top };
}

export interface Recording {
  stop(label: string): Promise<ProfileSummary>;
}

async function record(session: CDPSession): Promise<Recording> {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 250 });
  await session.send('Profiler.start');
  return {
    async stop(label) {
      const { profile } = await session.send('Profiler.stop');
      // Kept for DevTools (Performance → Load profile), outside the repository.
      writeFileSync(join(tmpdir(), `linkpulse-bench-${label}.cpuprofile`), JSON.stringify(profile));
      await session.detach().catch(() => {});
      return summarize(profile as Profile);
    },
  };
}

/** Starts profiling an extension's service worker. */
export async function recordWorker(ext: ExtensionBrowser): Promise<Recording> {
  const target = await ext.browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${ext.extensionId}/`),
  );
  return record(await target.createCDPSession());
}

/** Starts profiling a page (the popup, from the moment the benchmark has attached to it). */
export async function recordPage(page: Page): Promise<Recording> {
  return record(await page.createCDPSession());
}

export function printSummary(label: string, summary: ProfileSummary, lines = 15): void {
  console.log(`  ${label}: ${Math.round(summary.busyMs)} ms of CPU`);
  for (const [name, ms] of summary.top.slice(0, lines)) console.log(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
}

/** Time a page's main thread spent, by kind of work (style, layout, paint, script…), from a DevTools trace. */
export interface TraceSummary {
  /** Top-level tasks on the page's main thread, ms. */
  tasksMs: number;
  /** The CPU time of those tasks, ms: less than their length by the time the thread waited for a CPU. */
  tasksCpuMs: number;
  /** Named work inside them (nested names overlap: a Layout inside a FunctionCall counts in both): ms, and how often. */
  byName: [string, number, number][];
  /**
   * Each task over 50 ms on the main thread: its length, its CPU time (a long task with little is one the other threads
   * of a loaded machine held off, not one with too much to do) and the named work inside it (ms, heaviest first).
   */
  longTasks: { ms: number; cpuMs: number; inside: [string, number][] }[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  /** CPU time of the thread in the event, µs (as `dur` is its length). */
  tdur?: number;
  ts?: number;
  args?: { name?: string; data?: { frame?: string; functionName?: string; url?: string; type?: string } };
}

/** Starts a trace of a page (the popup): where its main thread's time goes, script or rendering. */
export async function tracePage(page: Page): Promise<{ stop(): Promise<TraceSummary> }> {
  await page.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8'] });
  return {
    async stop() {
      const buffer = await page.tracing.stop();
      const { traceEvents } = JSON.parse(Buffer.from(buffer ?? new Uint8Array()).toString('utf8')) as {
        traceEvents: TraceEvent[];
      };
      // The page's main thread: of the renderer main threads in the trace, the busiest (the others are idle pages).
      const busy = new Map<string, number>();
      const cpu = new Map<string, number>();
      for (const e of traceEvents) {
        if (e.ph !== 'X' || e.name !== 'RunTask') continue;
        busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
        cpu.set(`${e.pid}:${e.tid}`, (cpu.get(`${e.pid}:${e.tid}`) ?? 0) + (e.tdur ?? 0));
      }
      const mains = new Set(
        traceEvents
          .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
          .map((e) => `${e.pid}:${e.tid}`),
      );
      const main = [...busy].filter(([thread]) => mains.has(thread)).sort((a, b) => b[1] - a[1])[0]?.[0];
      const onMain = traceEvents.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main);
      const work = onMain.filter((e) => e.name !== 'RunTask');
      // A script's entry point says whose work it is: a message handler, a timer, a frame's render.
      const label = (e: TraceEvent) => {
        const data = e.args?.data;
        if (e.name === 'FunctionCall' && data?.functionName !== undefined) {
          return `${e.name} ${data.functionName || '(anonymous)'} (${data.url?.split('/').pop() ?? ''})`;
        }
        return e.name === 'EventDispatch' && data?.type ? `${e.name} ${data.type}` : e.name;
      };
      const byName = new Map<string, [number, number]>();
      for (const e of work) {
        const what = label(e);
        const [ms, count] = byName.get(what) ?? [0, 0];
        byName.set(what, [ms + (e.dur ?? 0) / 1000, count + 1]);
      }
      const longTasks = onMain
        .filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000)
        .map((task) => {
          const [start, end] = [task.ts ?? 0, (task.ts ?? 0) + (task.dur ?? 0)];
          const inside = new Map<string, number>();
          for (const e of work) {
            if ((e.ts ?? 0) < start || (e.ts ?? 0) >= end) continue;
            const what = label(e);
            inside.set(what, (inside.get(what) ?? 0) + (e.dur ?? 0) / 1000);
          }
          const top = [...inside].sort((a, b) => b[1] - a[1]).slice(0, 6);
          return { ms: (task.dur ?? 0) / 1000, cpuMs: (task.tdur ?? 0) / 1000, inside: top };
        });
      return {
        longTasks,
        tasksMs: (busy.get(main ?? '') ?? 0) / 1000,
        tasksCpuMs: (cpu.get(main ?? '') ?? 0) / 1000,
        byName: [...byName]
          .map(([name, [ms, count]]) => [name, ms, count] as [string, number, number])
          .sort((a, b) => b[1] - a[1])
          .slice(0, 30),
      };
    },
  };
}
