// Site check: a generated site (tests/fixtures/generated-site.ts: 200 pages, 5 000 distinct links over 20 hosts, every
// answer held LATENCY ms, 48 of the links 404) checked by Linkpulse's site check as a person starts it — the popup's
// "Check this site" to the first frame of the crawl page showing it done — and by `linkinator --recurse` on the same
// site, in alternating rounds (fresh URLs each time: no cache answers); in the same rounds, the floor of any extension
// here: the bare extension fetching every URL of the site from one page that lists them all (no crawl to find them),
// as it is (HEAD), holding the webRequest permission (no listener), and sending Linkpulse's requests. Also the
// worker's peak JS heap and the crawl page's long tasks while its rows stream in, and the same site check with the
// crawl page behind another tab (what drawing the page costs the run); with --profile, one more run with CPU profiles
// of the worker and the crawl page, and one traced (what each of the crawl page's long tasks did); with --timeline, the
// requests that reached the servers each half second of each run; with --also=dir,… other unpacked builds run the same
// site check each round.
import { LinkState, check as linkinatorCheck } from 'linkinator';
import type { Page } from 'puppeteer';
import { clickToolbarIcon, type ExtensionBrowser, tabIdOf } from '../tests/e2e/harness.ts';
import { GENERATED_SITE, generatedSitePath, isGeneratedBroken } from '../tests/fixtures/generated-site.ts';
import type { FixtureServer } from '../tests/fixtures/server.ts';
import { until } from '../tests/support/until.ts';
import {
  BARE_EXTENSION_DIR,
  type Bench,
  bareWithWebRequest,
  clickToDone,
  cpuSince,
  IP_BASE,
  median,
  sampleHeap,
  seconds,
  shownAt,
  slotGap,
  watchLongTasks,
  workerSession,
} from './context.ts';
import { treeCpuByKind } from './cpu.ts';
import { printSummary, type Recording, recordPage, recordWorker, tracePage } from './profile.ts';

const LATENCY = 100;
const HOSTS = GENERATED_SITE.otherHosts + 1;
const LINKS = GENERATED_SITE.pages + GENERATED_SITE.otherLinks;
const CRAWL_DONE = '[data-testid="crawl-summary"][data-state="done"]';
const MB = 1024 * 1024;

interface LinkpulseRun {
  ms: number;
  /** Click to the last answer the site's servers sent: the network side of the run, whatever the page shows. */
  lastAnswerMs: number;
  heapPeak: number;
  longTasks: number[];
  broken: Set<string>;
  pages: number;
  links: number;
  /** CPU time of the browser's processes from the click to done, by kind of process (null without /proc). */
  cpu: Map<string, number> | null;
  /** A host's slot empty between an answer and its next request, for the links to other hosts (median ms; slotGap). */
  gapMs: number;
}

/** The broken links the generated site holds: what both checkers should report. */
function plantedBroken(port: number, tag: string): Set<string> {
  const planted = new Set<string>();
  for (let k = 0; k < GENERATED_SITE.otherLinks; k++) {
    if (!isGeneratedBroken(k)) continue;
    const host = `127.0.0.${IP_BASE + 1 + (k % GENERATED_SITE.otherHosts)}`;
    planted.add(`http://${host}:${port}/slow-status/${LATENCY}/404?k=${tag}-${k}`);
  }
  return planted;
}

/** When every page and link of the run tagged `tag` has had an answer (ms since epoch), or null while one has not. */
function allAnswered(servers: FixtureServer[], tag: string, count = LINKS): number | null {
  const answered = new Map<string, number>();
  for (const s of servers) {
    for (const r of s.requests) {
      if (r.path.includes(`${tag}`) && r.answeredAt !== undefined) answered.set(`${r.host}${r.path}`, r.answeredAt);
    }
  }
  return answered.size >= count ? Math.max(...answered.values()) : null;
}

/**
 * One site check, clicked in the popup of a tab on the start page; the crawl page is watched as it fills. With
 * `background`, the start page is brought back to the front once the crawl page opens (a tab behind draws no frame):
 * the run's end is then the servers' last answer.
 */
async function linkpulseRun(
  ext: ExtensionBrowser,
  servers: FixtureServer[],
  url: string,
  tag: string,
  options: { profile?: (crawl: Page) => Promise<Recording>; background?: boolean; timeline?: boolean } = {},
): Promise<LinkpulseRun> {
  for (const s of servers) s.resetStats();
  const page = await ext.browser.newPage();
  await page.goto(url);
  const heap = sampleHeap(await workerSession(ext));
  const { popup } = await clickToolbarIcon(ext, page);
  await popup.waitForSelector('[data-testid="crawl-start"]:not([disabled])', { timeout: 10_000 });
  const tabId = await tabIdOf(ext, page);
  const pid = ext.browser.process()?.pid;
  const cpuBefore = treeCpuByKind(pid);
  const opened = ext.browser.waitForTarget((t) => t.url().includes(`/crawl.html?tab=${tabId}`), { timeout: 10_000 });
  const clickedAt = Date.now();
  await popup.click('[data-testid="crawl-start"]');
  const crawl = (await (await opened).asPage()) as Page;
  // The new tab's first document is a blank one: wait for the crawl page's own before reaching into it.
  await crawl.waitForFunction(() => location.pathname.endsWith('/crawl.html'), { timeout: 10_000 });
  if (options.background) {
    await page.bringToFront();
    await until(() => allAnswered(servers, tag) !== null, 'every page and link has had an answer', 600_000);
    const lastAnswerMs = (allAnswered(servers, tag) as number) - clickedAt;
    const heapPeak = heap.stop();
    await crawl.close();
    await page.close();
    return {
      ms: lastAnswerMs,
      lastAnswerMs,
      heapPeak,
      longTasks: [],
      broken: new Set(),
      pages: 0,
      links: 0,
      cpu: null,
      gapMs: slotGap(servers.slice(1), `/latency/${LATENCY}/${tag}-`),
    };
  }
  const recording = await options.profile?.(crawl);
  const longTasks = await watchLongTasks(crawl);
  const doneAt = await shownAt(crawl, CRAWL_DONE, 600_000);
  const heapPeak = heap.stop();
  const cpuAfter = treeCpuByKind(pid);
  if (recording) printSummary('crawl page', await recording.stop('crawl-page'), 12);
  const rows = await crawl.$$eval('[data-testid="link-row"]', (els) =>
    els.map((el) => [(el as HTMLElement).dataset.url ?? '', (el as HTMLElement).dataset.verdict ?? '']),
  );
  const pages = await crawl.$$eval('[data-testid="page-row"]', (els) => els.length);
  if (options.timeline) printTimeline(servers, new URL(url).hostname, tag, clickedAt);
  const run = {
    ms: doneAt - clickedAt,
    lastAnswerMs: (allAnswered(servers, tag) ?? Number.NaN) - clickedAt,
    heapPeak,
    longTasks: await longTasks.read(),
    broken: new Set(rows.filter(([, verdict]) => verdict === 'broken').map(([u]) => u as string)),
    pages,
    links: rows.length,
    cpu: cpuBefore && cpuAfter ? cpuSince(cpuBefore, cpuAfter) : null,
    gapMs: slotGap(servers.slice(1), `/latency/${LATENCY}/${tag}-`),
  };
  await crawl.close();
  if (!popup.isClosed()) await popup.close();
  await page.close();
  return run;
}

/** Requests that reached the servers each half second of a run: the site's pages, and the links to other hosts. */
function printTimeline(servers: FixtureServer[], siteHost: string, tag: string, clickedAt: number): void {
  const halves = new Map<number, { pages: number; links: number }>();
  for (const r of servers.flatMap((s) => s.requests)) {
    if (!r.path.includes(tag)) continue;
    const half = Math.floor((r.at - clickedAt) / 500);
    const counts = halves.get(half) ?? { pages: 0, links: 0 };
    if (r.host === siteHost) counts.pages += 1;
    else counts.links += 1;
    halves.set(half, counts);
  }
  for (const [half, { pages, links }] of [...halves].sort((a, b) => a[0] - b[0])) {
    console.log(`    ${(half / 2).toFixed(1)} s: ${pages} requests to the site's host, ${links} to the others`);
  }
}

/** A floor run: click to the servers' last answer, and the browser's CPU meanwhile (null without /proc). */
interface FloorRun {
  ms: number;
  cpuMs: number | null;
  /** The same CPU time by kind of process, as a site check's (LinkpulseRun.cpu). */
  cpu: Map<string, number> | null;
}

/**
 * The floor: the bare extension (bench/bare-extension) clicked on a page that lists every URL of the site (`<folder>/all`),
 * so it fetches them all, 6 at a time per host, with no crawl to find them first: the least an extension can do for this
 * site on this machine. The run's end is the servers' last answer to it (the popup only counts).
 */
async function floorRun(ext: ExtensionBrowser, servers: FixtureServer[], url: string, tag: string): Promise<FloorRun> {
  for (const s of servers) s.resetStats();
  const run = await clickToDone(ext, url, 600_000);
  // Every URL of the site answered, and the page that lists them.
  const answered = allAnswered(servers, tag, LINKS + 1);
  if (answered === null) throw new Error(`the bare extension left URLs of ${url} unrequested`);
  return { ms: answered - run.clickedAt, cpuMs: run.cpuMs, cpu: run.cpuByKind };
}

async function linkinatorRun(url: string): Promise<{ ms: number; broken: Set<string>; links: number }> {
  const started = Date.now();
  const result = await linkinatorCheck({ path: url, recurse: true });
  const ms = Date.now() - started;
  const broken = new Set(result.links.filter((l) => l.state === LinkState.BROKEN).map((l) => l.url));
  return { ms, broken, links: new Set(result.links.map((l) => l.url)).size };
}

/** A run's CPU in a few words: the whole browser, and the extension's renderer (worker and crawl page). */
function cpuWords(run: LinkpulseRun): string {
  if (!run.cpu) return '';
  const all = [...run.cpu.values()].reduce((a, b) => a + b, 0);
  const renderer = seconds(run.cpu.get('extension renderer') ?? 0);
  return `; CPU ${seconds(all)}, extension renderer ${renderer}; a slot empty ${run.gapMs.toFixed(0)} ms`;
}

const list = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((u) => b.has(u));

export async function crawlBench(bench: Bench): Promise<void> {
  const hosts = await bench.hosts(HOSTS);
  const port = (hosts[0] as (typeof hosts)[number]).port;
  const site = (tag: string) => `http://127.0.0.${IP_BASE}:${port}${generatedSitePath(IP_BASE, LATENCY, tag)}`;
  bench.section(
    `Site check (${GENERATED_SITE.pages} pages, ${LINKS} distinct links, ${HOSTS} hosts, ${LATENCY} ms), beside linkinator --recurse`,
  );
  const linkpulse: LinkpulseRun[] = [];
  const behind: LinkpulseRun[] = [];
  // Other unpacked builds run the same site check in each round (an A/B of a change).
  const also = await Promise.all(
    bench.also.map(async (dir) => ({ dir, ext: await bench.launch(dir), runs: [] as LinkpulseRun[] })),
  );
  const linkinator: Awaited<ReturnType<typeof linkinatorRun>>[] = [];
  const floors = await Promise.all(
    [
      { name: 'bare extension (HEAD)', dir: BARE_EXTENSION_DIR },
      // The same holding the webRequest permission, no listener: what the permission alone costs every request.
      { name: 'bare + webRequest permission', dir: bareWithWebRequest() },
      { name: "bare, Linkpulse's requests", dir: bareWithWebRequest(true) },
    ].map(async ({ name, dir }) => ({ name, ext: await bench.launch(dir), runs: [] as FloorRun[] })),
  );
  let findingsAgree = true;
  for (let round = 0; round < bench.rounds; round++) {
    const runLinkpulse = async () => {
      const tag = `crawl-r${round}-linkpulse`;
      const run = await linkpulseRun(bench.linkpulse, hosts, site(tag), tag, { timeline: bench.timeline });
      linkpulse.push(run);
      findingsAgree &&= same(run.broken, plantedBroken(port, tag));
      const longest = Math.round(Math.max(0, ...run.longTasks));
      console.log(
        `  round ${round + 1}: Linkpulse ${seconds(run.ms)} (last answer at ${seconds(run.lastAnswerMs)}; ${run.pages} pages, ${run.links} links, ` +
          `${run.broken.size} broken; heap peak ${(run.heapPeak / MB).toFixed(1)} MB; ` +
          `${run.longTasks.length} long tasks, longest ${longest} ms${cpuWords(run)})`,
      );
    };
    const runLinkinator = async () => {
      const tag = `crawl-r${round}-linkinator`;
      const run = await linkinatorRun(site(tag));
      linkinator.push(run);
      findingsAgree &&= same(run.broken, plantedBroken(port, tag));
      console.log(
        `  round ${round + 1}: linkinator ${seconds(run.ms)} (${run.links} links, ${run.broken.size} broken)`,
      );
    };
    const runBehind = async () => {
      const tag = `crawl-r${round}-behind`;
      const run = await linkpulseRun(bench.linkpulse, hosts, site(tag), tag, { background: true });
      behind.push(run);
      console.log(
        `  round ${round + 1}: Linkpulse, crawl page behind: last answer at ${seconds(run.lastAnswerMs)}; a slot empty ${run.gapMs.toFixed(0)} ms`,
      );
    };
    const runAlso = also.map((other) => async () => {
      const tag = `crawl-r${round}-${other.dir.replace(/\W/g, '')}`;
      const run = await linkpulseRun(other.ext, hosts, site(tag), tag, { timeline: bench.timeline });
      other.runs.push(run);
      console.log(
        `  round ${round + 1}: ${other.dir} ${seconds(run.ms)} (${run.longTasks.length} long tasks, longest ${Math.round(Math.max(0, ...run.longTasks))} ms${cpuWords(run)})`,
      );
    });
    const runFloors = floors.map((floor, f) => async () => {
      const tag = `crawl-r${round}-floor${f}`;
      const run = await floorRun(floor.ext, hosts, `${site(tag)}all`, tag);
      floor.runs.push(run);
      const cpu = run.cpuMs === null ? '' : `; CPU ${seconds(run.cpuMs)}`;
      console.log(`  round ${round + 1}: ${floor.name}, every URL known: last answer at ${seconds(run.ms)}${cpu}`);
    });
    // Who goes first turns with each round: a machine that slows down over the run weighs on all alike.
    const order = [runLinkpulse, runLinkinator, runBehind, ...runFloors, ...runAlso];
    for (let i = 0; i < order.length; i++) await (order[(i + round) % order.length] as () => Promise<void>)();
  }
  const n = bench.rounds;
  const lp = linkpulse.map((r) => r.ms);
  const lk = linkinator.map((r) => r.ms);
  bench.record(`Linkpulse site check, click to done (median of ${n}; each, s)`, `${seconds(median(lp))} (${list(lp)})`);
  bench.record(`linkinator --recurse, same site (median of ${n}; each, s)`, `${seconds(median(lk))} (${list(lk)})`);
  const answered = linkpulse.map((r) => r.lastAnswerMs);
  bench.record(
    `of which click to the servers' last answer (median; each, s)`,
    `${seconds(median(answered))} (${list(answered)})`,
  );
  const behindMs = behind.map((r) => r.lastAnswerMs);
  bench.record(
    `the same with the crawl page behind another tab, drawing nothing: click to the last answer (median; each, s)`,
    `${seconds(median(behindMs))} (${list(behindMs)})`,
  );
  for (const floor of floors) {
    const ms = floor.runs.map((r) => r.ms);
    const cpu = floor.runs.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]));
    bench.record(
      `${floor.name} fetching every URL of the site, known from the start: click to the last answer (median; each, s)`,
      `${seconds(median(ms))} (${list(ms)})${cpu.length > 0 ? `; CPU ${seconds(median(cpu))}` : ''}`,
    );
    bench.record(
      `${floor.name}, every URL known / linkinator --recurse (ratio of the medians)`,
      (median(ms) / median(lk)).toFixed(2),
    );
    bench.record(
      `Linkpulse site check / ${floor.name}, every URL known (ratio of the medians)`,
      (median(lp) / median(ms)).toFixed(2),
    );
  }
  for (const { dir, runs } of also) {
    const ms = runs.map((r) => r.ms);
    bench.record(`${dir}: site check, click to done (median; each, s)`, `${seconds(median(ms))} (${list(ms)})`);
    bench.record(
      `${dir}: crawl page long tasks (each run; longest of all)`,
      `${runs.map((r) => r.longTasks.length).join(', ')}; longest ${Math.round(Math.max(0, ...runs.flatMap((r) => r.longTasks)))} ms`,
    );
  }
  // Where a run's CPU goes, by kind of process, for each build side by side and for the floors (medians per kind: they
  // need not add up). The floors say what the browser itself spends on the requests, before anything of Linkpulse's.
  const builds: { name: string; runs: { cpu: Map<string, number> | null }[] }[] = [
    { name: 'Linkpulse', runs: linkpulse },
    ...also.map(({ dir, runs }) => ({ name: dir, runs })),
    ...floors.map(({ name, runs }) => ({ name, runs })),
  ];
  const kinds = [...new Set(builds.flatMap((b) => b.runs.flatMap((r) => [...(r.cpu?.keys() ?? [])])))];
  for (const kind of ['all', ...kinds.sort()]) {
    const of = (r: { cpu: Map<string, number> | null }) =>
      kind === 'all' ? [...(r.cpu?.values() ?? [])].reduce((a, b) => a + b, 0) : (r.cpu?.get(kind) ?? 0);
    bench.record(
      `site check CPU, ${kind === 'all' ? 'whole browser' : kind}: ${builds.map((b) => b.name).join(' / ')} (medians, s)`,
      builds.map((b) => (median(b.runs.map(of)) / 1000).toFixed(2)).join(' / '),
    );
  }
  const ratio = median(lp) / median(lk);
  bench.record('site check: Linkpulse / linkinator (ratio of the medians)', ratio.toFixed(2), '< 1', ratio < 1);
  const planted = plantedBroken(port, 'x').size;
  bench.record(
    'broken links found (each run): Linkpulse / linkinator / planted',
    `${linkpulse.map((r) => r.broken.size).join(', ')} / ${linkinator.map((r) => r.broken.size).join(', ')} / ${planted}`,
    'the same',
    findingsAgree,
  );
  const heapPeak = Math.max(...linkpulse.map((r) => r.heapPeak));
  bench.record(
    'peak worker heap during a site check (largest of the runs)',
    `${(heapPeak / MB).toFixed(1)} MB`,
    '< 100 MB',
    heapPeak < 100 * MB,
  );
  const counts = linkpulse.map((r) => r.longTasks.length);
  const longest = Math.round(Math.max(0, ...linkpulse.flatMap((r) => r.longTasks)));
  bench.record(
    'crawl page long tasks (> 50 ms) while rows stream in (each run; longest of all)',
    `${counts.join(', ')}; longest ${longest} ms`,
    'none',
    counts.every((c) => c === 0),
  );
  if (bench.profile) {
    console.log('CPU profiles of one more site check (profiled: not among the measured runs)');
    const worker = await recordWorker(bench.linkpulse);
    const run = await linkpulseRun(bench.linkpulse, hosts, site('crawl-profiled'), 'crawl-profiled', {
      profile: recordPage,
    });
    console.log(`  Linkpulse ${seconds(run.ms)} while profiled`);
    printSummary('worker', await worker.stop('crawl-worker'));
    // And one traced: what each of the crawl page's long tasks did (style, layout, script…).
    const traced = await linkpulseRun(bench.linkpulse, hosts, site('crawl-traced'), 'crawl-traced', {
      profile: async (crawl) => {
        const tracing = await tracePage(crawl);
        return {
          async stop() {
            const { tasksMs, tasksCpuMs, longTasks, byName } = await tracing.stop();
            console.log(
              `  crawl page, traced: ${Math.round(tasksMs)} ms in tasks (${Math.round(tasksCpuMs)} ms of CPU); ${longTasks.length} over 50 ms`,
            );
            // The whole run's work by kind (events nest: a frame holds its script, style and layout).
            for (const [event, ms, count] of byName.slice(0, 16))
              console.log(`    ${ms.toFixed(1).padStart(8)} ms  ${event} (×${count})`);
            console.log('    long tasks:');
            for (const { ms, cpuMs, inside } of longTasks) {
              const parts = inside.map(([name, t]) => `${name} ${t.toFixed(0)}`).join(', ');
              console.log(`    ${ms.toFixed(0)} ms (${cpuMs.toFixed(0)} ms of CPU): ${parts}`);
            }
            return { busyMs: tasksMs, top: [] };
          },
        };
      },
    });
    console.log(`  Linkpulse ${seconds(traced.ms)} while traced`);
  }
}
