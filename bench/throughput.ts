// Throughput: 2 000 links over 20 hosts, 200 ms each, default settings, click to "done"; where the time goes; the bare
// fetch floor of this machine; linkinator on the same page.
import { check as linkinatorCheck } from 'linkinator';
import { type Bench, clickToDone, firstRequestAt, IP_BASE, maxPerHost, seconds } from './context.ts';

export const LINKS = 2000;
export const HOSTS = 20;
export const LATENCY = 200;
/** What the browser allows at best: every host in parallel, 6 requests at a time, each taking the latency. */
export const IDEAL_MS = Math.ceil(LINKS / HOSTS / 6) * LATENCY;

/** The throughput page, its links tagged so that no cache answers a second run on them. */
export function throughputUrl(port: number, tag: string): string {
  return `http://127.0.0.${IP_BASE}:${port}/generate?n=${LINKS}&hosts=${HOSTS}&latency=${LATENCY}&ipBase=${IP_BASE}&tag=${tag}`;
}

/**
 * This machine's floor: the same number of requests to the same hosts, 6 at a time per host, from a bare `fetch` loop
 * in the extension's own worker (no collecting, no limiter, no storage, no popup). What the browser and the machine
 * cost, with none of Linkpulse's work.
 */
async function browserFloorMs(bench: Bench, port: number): Promise<number> {
  const urls = Array.from(
    { length: LINKS },
    (_, i) => `http://127.0.0.${IP_BASE + (i % HOSTS)}:${port}/latency/${LATENCY}/floor-${i}`,
  );
  const worker = await bench.linkpulse.worker();
  return worker.evaluate(async (all: string[]) => {
    const byHost = new Map<string, string[]>();
    for (const url of all) byHost.set(new URL(url).host, [...(byHost.get(new URL(url).host) ?? []), url]);
    const started = performance.now();
    await Promise.all(
      [...byHost.values()].flatMap((queue) =>
        Array.from({ length: 6 }, async () => {
          for (let url = queue.shift(); url; url = queue.shift()) {
            const response = await fetch(url, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
            await response.body?.cancel();
          }
        }),
      ),
    );
    return performance.now() - started;
  }, urls);
}

export async function throughput(bench: Bench): Promise<void> {
  const hosts = await bench.hosts(HOSTS);
  const port = (hosts[0] as (typeof hosts)[number]).port;
  const url = throughputUrl(port, 'throughput');
  for (const s of hosts) s.resetStats();
  const run = await clickToDone(bench.linkpulse, url);
  const firstRequestMs = firstRequestAt(hosts, '/latency/') - run.clickedAt;
  const ratio = IDEAL_MS / run.ms;
  bench.section('Throughput');
  bench.record(`${LINKS} links, ${HOSTS} hosts, ${LATENCY} ms: click to done`, seconds(run.ms));
  bench.record(
    'ratio to the browser ideal (ceil(links per host / 6) × latency)',
    ratio.toFixed(2),
    '≥ 0.9',
    ratio >= 0.9,
  );
  const perHost = maxPerHost(hosts);
  bench.record('most in flight to one host (fixture)', String(perHost), '≤ 6', perHost <= 6);
  bench.record(
    'of which the click to the first request at the server (popup opening, collecting)',
    `${Math.round(firstRequestMs)} ms`,
  );
  const checkMs = run.ms - firstRequestMs;
  bench.record('of which the first request to done', seconds(checkMs));
  for (const s of hosts) s.resetStats();
  const floorMs = await browserFloorMs(bench, port);
  bench.record(
    `this machine's floor: the same ${LINKS} requests from a bare fetch loop in the worker`,
    `${seconds(floorMs)} (ratio ${(IDEAL_MS / floorMs).toFixed(2)})`,
  );
  bench.record('Linkpulse first request to done / that floor', (checkMs / floorMs).toFixed(2));
  // No extension can do better than the browser opening its popup (the run starts there) followed by that floor.
  const boundMs = run.popupOpenMs + floorMs;
  bench.record(
    `the best this machine allows: the browser opening the popup (${Math.round(run.popupOpenMs)} ms) + that floor`,
    `${seconds(boundMs)} (ratio ${(IDEAL_MS / boundMs).toFixed(2)})`,
  );

  // linkinator on the same page and links, its default settings.
  for (const s of hosts) s.resetStats();
  const started = Date.now();
  const result = await linkinatorCheck({ path: url });
  const linkinatorMs = Date.now() - started;
  bench.record(`linkinator, same ${result.links.length - 1} links`, seconds(linkinatorMs));
  bench.record('Linkpulse wall time / linkinator', (run.ms / linkinatorMs).toFixed(2), '< 1', run.ms < linkinatorMs);
}
