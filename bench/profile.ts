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
