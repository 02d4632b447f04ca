// Linkpulse against the least any extension can do (bench/bare-extension) and against linkinator, on the throughput
// page, in alternating rounds in one run: the machine may be loaded, so only figures measured side by side are compared.
// A third extension is the bare one holding the webRequest permission (no listener): Chromium routes every request of
// a profile through its browser process once an extension holds that permission, a cost Linkpulse pays for seeing
// redirect hops and error names, which the bare extension does not. A fourth sends each link's request as Linkpulse must
// (GET, redirects hop by hop, a timeout, the guard's webRequest events: bare-extension/linkpulse-requests.js), the floor
// for Linkpulse's own machinery. `--also=dir,…` adds other unpacked builds (an A/B of a change:
// `cp -r .output/chrome-mv3 /tmp/before` on the old code first).
import { basename } from 'node:path';
import { check as linkinatorCheck } from 'linkinator';
import type { ExtensionBrowser } from '../tests/e2e/harness.ts';
import {
  BARE_EXTENSION_DIR,
  type Bench,
  bareWithWebRequest,
  clickToDone,
  firstRequestAt,
  median,
  seconds,
  slotGap,
} from './context.ts';
import {
  type ProfileSummary,
  printSummary,
  recordPage,
  recordWorker,
  type TraceSummary,
  tracePage,
} from './profile.ts';
import { HOSTS, LATENCY, LINKS, throughputUrl } from './throughput.ts';

interface Sample {
  ms: number;
  /** Click to the first request at the server: the popup opening, collecting, starting. */
  firstMs: number;
  /** A host's slot empty between an answer and the next request (median, ms): see slotGap. */
  gapMs: number;
  /** CPU time of the browser's processes from the click to done (null without /proc). */
  cpuMs: number | null;
  cpuByKind: Map<string, number> | null;
}

interface Variant {
  name: string;
  ext: ExtensionBrowser;
  samples: Sample[];
}

const list = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
const ratio = (a: number, b: number) => (a / b).toFixed(3);

export async function versus(bench: Bench): Promise<void> {
  const hosts = await bench.hosts(HOSTS);
  const port = (hosts[0] as (typeof hosts)[number]).port;
  const variants: Variant[] = [
    { name: 'Linkpulse', ext: bench.linkpulse, samples: [] },
    { name: 'bare extension', ext: await bench.launch(BARE_EXTENSION_DIR), samples: [] },
    { name: 'bare + webRequest permission', ext: await bench.launch(bareWithWebRequest()), samples: [] },
    { name: "bare, Linkpulse's requests", ext: await bench.launch(bareWithWebRequest(true)), samples: [] },
    ...(await Promise.all(
      bench.also.map(async (dir) => ({ name: basename(dir), ext: await bench.launch(dir), samples: [] })),
    )),
  ];
  const [linkpulse, bare, bareWebRequest, bareRequests] = variants as [Variant, Variant, Variant, Variant];
  const linkinator: number[] = [];
  bench.section(`Versus the bare extension and linkinator (${LINKS} links, ${HOSTS} hosts, ${LATENCY} ms)`);
  for (let round = 0; round < bench.rounds; round++) {
    // Who goes first turns with each round: a machine that slows down over the run weighs on all alike.
    const order = variants.map((_, i) => variants[(i + round) % variants.length] as Variant);
    for (const [k, variant] of order.entries()) {
      const tag = `r${round}v${k}${variant.name.replace(/\W/g, '')}`;
      for (const s of hosts) s.resetStats();
      const run = await clickToDone(variant.ext, throughputUrl(port, tag));
      const firstMs = firstRequestAt(hosts, `/latency/${LATENCY}/${tag}-`) - run.clickedAt;
      const gapMs = slotGap(hosts, `/latency/${LATENCY}/${tag}-`);
      variant.samples.push({ ms: run.ms, firstMs, gapMs, cpuMs: run.cpuMs, cpuByKind: run.cpuByKind });
      const cpu = run.cpuMs === null ? '' : `, ${seconds(run.cpuMs)} of CPU`;
      console.log(
        `  round ${round + 1}: ${variant.name} ${seconds(run.ms)} (first request at ${Math.round(firstMs)} ms; ` +
          `a slot empty ${gapMs.toFixed(1)} ms between an answer and the next request${cpu})`,
      );
    }
    const started = Date.now();
    await linkinatorCheck({ path: throughputUrl(port, `r${round}linkinator`) });
    linkinator.push(Date.now() - started);
    console.log(`  round ${round + 1}: linkinator ${seconds(Date.now() - started)}`);
  }
  const n = bench.rounds;
  const ms = (v: Variant) => v.samples.map((s) => s.ms);
  const rest = (v: Variant) => median(v.samples.map((s) => s.ms - s.firstMs));
  const first = (v: Variant) => Math.round(median(v.samples.map((s) => s.firstMs)));
  for (const v of variants) {
    bench.record(`${v.name}: click to done (median of ${n}; each, s)`, `${seconds(median(ms(v)))} (${list(ms(v))})`);
  }
  const [lp, bareMs, lk] = [median(ms(linkpulse)), median(ms(bare)), median(linkinator)];
  bench.record('Linkpulse / bare extension (ratio of the medians)', ratio(lp, bareMs), '≤ 1.04', lp / bareMs <= 1.04);
  const pairs = linkpulse.samples.map((s, i) => s.ms / (bare.samples[i] as Sample).ms);
  bench.record(
    'the same, round by round (median; each)',
    `${median(pairs).toFixed(3)} (${pairs.map((r) => r.toFixed(3)).join(', ')})`,
  );
  bench.record(
    'of which click to first request at the server: Linkpulse / bare (medians)',
    `${first(linkpulse)} ms / ${first(bare)} ms`,
  );
  bench.record(
    'of which first request to done: Linkpulse / bare (medians)',
    `${seconds(rest(linkpulse))} / ${seconds(rest(bare))} (ratio ${ratio(rest(linkpulse), rest(bare))})`,
  );
  bench.record(
    'bare + webRequest permission / bare extension (what the permission alone costs)',
    ratio(median(ms(bareWebRequest)), bareMs),
  );
  bench.record(
    'Linkpulse / bare + webRequest permission (ratio of the medians)',
    ratio(lp, median(ms(bareWebRequest))),
    '≤ 1.04',
    lp / median(ms(bareWebRequest)) <= 1.04,
  );
  // The floor for what Linkpulse must send (GET, redirects hop by hop, a timeout, the guard's webRequest events): what
  // is left above it is Linkpulse's own machinery (collecting, limiter, verdicts, storage, popup).
  const requestsMs = median(ms(bareRequests));
  bench.record(
    "Linkpulse / bare, Linkpulse's requests (ratio of the medians)",
    ratio(lp, requestsMs),
    '≤ 1.04',
    lp / requestsMs <= 1.04,
  );
  const pairsRequests = linkpulse.samples.map((s, i) => s.ms / (bareRequests.samples[i] as Sample).ms);
  bench.record(
    "Linkpulse / bare, Linkpulse's requests, round by round (median; each)",
    `${median(pairsRequests).toFixed(3)} (${pairsRequests.map((r) => r.toFixed(3)).join(', ')})`,
  );
  bench.record(
    "of which click to first request at the server: Linkpulse / bare, Linkpulse's requests (medians)",
    `${first(linkpulse)} ms / ${first(bareRequests)} ms`,
  );
  for (const v of variants.slice(4))
    bench.record(`Linkpulse / ${v.name} (ratio of the medians)`, ratio(lp, median(ms(v))));
  // What the browser's processes used from the click to done: blurred far less by a loaded machine than wall time.
  const cpu = (v: Variant) => v.samples.flatMap((s) => (s.cpuMs === null ? [] : [s.cpuMs]));
  if (cpu(linkpulse).length > 0 && cpu(bare).length > 0) {
    for (const v of variants) {
      bench.record(
        `${v.name}: CPU time of the browser, click to done (median; each, s)`,
        `${seconds(median(cpu(v)))} (${list(cpu(v))})`,
      );
    }
    bench.record(
      'CPU: Linkpulse / bare extension (ratio of the medians)',
      ratio(median(cpu(linkpulse)), median(cpu(bare))),
    );
    bench.record(
      'CPU: Linkpulse / bare + webRequest permission (ratio of the medians)',
      ratio(median(cpu(linkpulse)), median(cpu(bareWebRequest))),
    );
    for (const v of variants.slice(3)) {
      bench.record(`CPU: Linkpulse / ${v.name} (ratio of the medians)`, ratio(median(cpu(linkpulse)), median(cpu(v))));
    }
    // Where the difference goes: the same CPU time by kind of process (a median per kind, so they need not add up).
    const kinds = [...new Set(variants.flatMap((v) => v.samples.flatMap((s) => [...(s.cpuByKind?.keys() ?? [])])))];
    for (const kind of kinds.sort()) {
      const of = (v: Variant) => median(v.samples.map((s) => s.cpuByKind?.get(kind) ?? 0));
      bench.record(
        `CPU of the ${kind}: ${variants.map((v) => v.name).join(' / ')} (medians, s)`,
        variants.map((v) => seconds(of(v))).join(' / '),
      );
    }
  }
  bench.record(
    `a host's slot empty between an answer and its next request: ${variants.map((v) => v.name).join(' / ')} (medians, ms)`,
    variants.map((v) => median(v.samples.map((s) => s.gapMs)).toFixed(1)).join(' / '),
  );
  bench.record(`linkinator, same page (median of ${n}; each, s)`, `${seconds(lk)} (${list(linkinator)})`);
  bench.record('Linkpulse / linkinator (ratio of the medians)', ratio(lp, lk), '< 1', lp < lk);
  if (bench.profile) await profileRound(variants.slice(0, 2), port);
}

/** One more run of each, profiled (profiling slows what it watches: these runs are not among the measured ones). */
async function profileRound(variants: Variant[], port: number): Promise<void> {
  console.log('CPU profiles (one profiled run each; files in the temporary directory)');
  for (const { name, ext } of variants) {
    const label = name.replace(/\W/g, '');
    const worker = await recordWorker(ext);
    let popup: ProfileSummary | null = null;
    const run = await clickToDone(ext, throughputUrl(port, `profiled${label}`), 120_000, async (page) => {
      const recording = await recordPage(page);
      return async () => {
        popup = await recording.stop(`${label}-popup`);
      };
    });
    console.log(`  ${name}: click to done ${seconds(run.ms)} while profiled`);
    printSummary(`${name} worker`, await worker.stop(`${label}-worker`));
    if (popup) printSummary(`${name} popup (from the moment the bench attached)`, popup, 8);
  }
  // A trace of each popup in a run of its own (tracing and profiling together would blur both): its main thread's
  // time by kind of work, script against style, layout and paint.
  for (const { name, ext } of variants) {
    let trace: TraceSummary | null = null;
    await clickToDone(ext, throughputUrl(port, `traced${name.replace(/\W/g, '')}`), 120_000, async (page) => {
      const tracing = await tracePage(page);
      return async () => {
        trace = await tracing.stop();
      };
    });
    if (!trace) continue;
    const { tasksMs, byName } = trace as TraceSummary;
    console.log(`  ${name} popup, traced: ${Math.round(tasksMs)} ms in tasks on its main thread`);
    for (const [event, ms, count] of byName) console.log(`    ${ms.toFixed(1).padStart(8)} ms  ${event} (×${count})`);
  }
}
