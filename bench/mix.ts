// A real-world mix (the fixture's /real-world-mix page): 600 links, 400 to the page's own host at 80 ms, 200 over 60
// other hosts at 100–400 ms, with 10 redirects, 5 broken links and 1 that hangs; Linkpulse and linkinator in turns.
import { LinkChecker } from 'linkinator';
import { type Bench, clickToDone, IP_BASE, median, seconds } from './context.ts';

const LINKS = 600;
/** The page's own host and the 60 others. */
const HOSTS = 61;
/** Linkpulse's default request timeout, given to linkinator too (its own default is to wait forever). */
const TIMEOUT_MS = 10_000;

const mixUrl = (port: number, tag: string) =>
  `http://127.0.0.${IP_BASE}:${port}/real-world-mix?ipBase=${IP_BASE}&tag=${tag}`;
const list = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');

/** linkinator on the page: the time to its last result, and to all results but the last (the hanging link's). */
async function linkinatorRun(url: string): Promise<{ ms: number; allButOneMs: number }> {
  const checker = new LinkChecker();
  const at: number[] = [];
  const started = Date.now();
  checker.on('link', (result) => {
    if (result.url !== url) at.push(Date.now() - started);
  });
  await checker.check({ path: url, timeout: TIMEOUT_MS });
  return { ms: Date.now() - started, allButOneMs: at.sort((a, b) => a - b)[LINKS - 2] ?? Number.NaN };
}

export async function mix(bench: Bench): Promise<void> {
  const hosts = await bench.hosts(HOSTS);
  const port = (hosts[0] as (typeof hosts)[number]).port;
  const linkpulse: { ms: number; allButOneMs: number }[] = [];
  const linkinator: { ms: number; allButOneMs: number }[] = [];
  bench.section(`Real-world mix (${LINKS} links, ${HOSTS} hosts, one hanging)`);
  for (let round = 0; round < bench.rounds; round++) {
    let allButOneAt = 0;
    const run = await clickToDone(bench.linkpulse, mixUrl(port, `linkpulse${round}`), 120_000, async (popup) => {
      // Every link but the hanging one has its verdict: the popup's own count, on its own clock.
      const seen = popup.waitForFunction(
        (n: number) => {
          const checked = Number(document.querySelector<HTMLElement>('[data-testid="run-summary"]')?.dataset.checked);
          return checked >= n ? performance.timeOrigin + performance.now() : 0;
        },
        { polling: 'mutation', timeout: 120_000 },
        LINKS - 1,
      );
      return async () => {
        allButOneAt = (await (await seen).jsonValue()) as number;
      };
    });
    linkpulse.push({ ms: run.ms, allButOneMs: allButOneAt - run.clickedAt });
    const other = await linkinatorRun(mixUrl(port, `linkinator${round}`));
    linkinator.push(other);
    console.log(
      `  round ${round + 1}: Linkpulse ${seconds(run.ms)} (all but the hanging link ${seconds(allButOneAt - run.clickedAt)}), ` +
        `linkinator ${seconds(other.ms)} (${seconds(other.allButOneMs)})`,
    );
  }
  const all = (runs: { ms: number }[]) => runs.map((r) => r.ms);
  const allButOne = (runs: { allButOneMs: number }[]) => runs.map((r) => r.allButOneMs);
  const n = bench.rounds;
  const [lp, lk] = [median(allButOne(linkpulse)), median(allButOne(linkinator))];
  bench.record(
    `Linkpulse, every link but the hanging one (median of ${n}; each, s)`,
    `${seconds(lp)} (${list(allButOne(linkpulse))})`,
  );
  bench.record(`linkinator, the same (median of ${n}; each, s)`, `${seconds(lk)} (${list(allButOne(linkinator))})`);
  bench.record('Linkpulse / linkinator, every link but the hanging one', (lp / lk).toFixed(2));
  bench.record(
    'Linkpulse click to done, the hanging link included (median; each, s)',
    `${seconds(median(all(linkpulse)))} (${list(all(linkpulse))})`,
  );
  bench.record(
    `linkinator, the same (timeout ${TIMEOUT_MS / 1000} s; median; each, s)`,
    `${seconds(median(all(linkinator)))} (${list(all(linkinator))})`,
  );
}
