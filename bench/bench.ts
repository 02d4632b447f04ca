// `npm run bench`: measures the built extension in Debian's Chromium against the local fixture server — beside a bare
// extension and linkinator on the same pages — then prints a Markdown table (also written to bench/results.md with
// --write or BENCH_WRITE=1). The figures are measurements, not tests: nothing here fails on a slow machine.
//   --only=versus,mix   runs some parts (names in PARTS below; all by default)
//   --rounds=N          alternating rounds in the parts that compare (default 3)
//   --profile           adds one CPU-profiled run of each extension to `versus` (worker and popup, top functions) and a
//                       traced one of each popup; to `crawl`, a profiled and a traced site check. With NO_MINIFY=1 the
//                       build keeps the source's function names.
//   --timeline          `crawl`: the requests that reached the servers each half second of each run
//   --also=dir,…        `versus`, `crawl` and `connections` also run these unpacked builds, side by side (an A/B)
// A new part is a module exporting `(bench: Bench) => Promise<void>` and one line in PARTS.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { connections } from './connections.ts';
import { type Part, startBench } from './context.ts';
import { crawlBench } from './crawl.ts';
import { latency } from './latency.ts';
import { mix } from './mix.ts';
import { scale } from './scale.ts';
import { soft404Bench } from './soft-404.ts';
import { throughput } from './throughput.ts';
import { verifyBench } from './verify.ts';
import { versus } from './versus.ts';

const PARTS: Part[] = [
  { name: 'throughput', run: throughput },
  { name: 'versus', run: versus },
  { name: 'mix', run: mix },
  { name: 'scale', run: scale },
  { name: 'latency', run: latency },
  { name: 'soft404', run: (bench) => soft404Bench(bench.linkpulse, bench.local, bench.record) },
  { name: 'verify', run: verifyBench },
  { name: 'crawl', run: crawlBench },
  { name: 'connections', run: connections },
];

const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(`--${name}=`.length) ?? undefined;
const only = arg('only')?.split(',');
const unknown = only?.filter((name) => !PARTS.some((p) => p.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown part(s): ${unknown.join(', ')}. Parts: ${PARTS.map((p) => p.name).join(', ')}.`);
  process.exit(2);
}
const rounds = Number(arg('rounds') ?? 3);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`--rounds wants a whole number of at least 1, not "${arg('rounds')}".`);
  process.exit(2);
}

// The machine may be shared: the 1-minute load average before and after the run says how noisy the figures are.
const loadBefore = loadavg()[0] ?? 0;
const { bench, lines, close } = await startBench({
  rounds,
  profile: process.argv.includes('--profile'),
  also: arg('also')?.split(',').filter(Boolean) ?? [],
  timeline: process.argv.includes('--timeline'),
});
console.log(
  `Linkpulse benchmark — ${cpus().length} CPU(s), Chromium via ${process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium'}`,
);
try {
  for (const part of PARTS) if (!only || only.includes(part.name)) await part.run(bench);
} finally {
  await close();
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
