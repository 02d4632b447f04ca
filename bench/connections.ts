// Pages of a real size on one HTTP/1.1 host, as over a network with a 30 ms round trip: 300 links to the page's own
// host, each a 60 kB page answered after 30 ms with its first 14.6 kB, the rest one round trip later (a TCP
// connection's first window), and the first answer on each new connection 60 ms later still (a TCP and a TLS
// handshake; the local fixture has neither to speak of, and delivers a whole body at once otherwise). A checker that cancels each body after its
// headers loses the connection with it and pays that again for every link; one that keeps its connections pays it
// once per connection. Linkpulse (GET, an unused body of up to 128 kB read to its end), the bare extension (HEAD: no
// body at all) and any `--also` builds, in turns; the click to done and the connections the server saw opened.
import { basename } from 'node:path';
import type { ExtensionBrowser } from '../tests/e2e/harness.ts';
import { startFixtureServer } from '../tests/fixtures/server.ts';
import { BARE_EXTENSION_DIR, type Bench, clickToDone, median, seconds } from './context.ts';

const LINKS = 300;
const PAGE_BYTES = 60_000;
const LATENCY = 30;
const NEW_CONNECTION_MS = 60;
/** The rest of a body after its first window: one round trip. */
const REST_MS = 30;
/** A loopback address of its own, so no other part's connections are counted. */
const HOST = '127.0.0.200';

interface Variant {
  name: string;
  ext: ExtensionBrowser;
  ms: number[];
  connections: number[];
}

export async function connections(bench: Bench): Promise<void> {
  const server = await startFixtureServer({ host: HOST, latencyMs: LATENCY, newConnectionMs: NEW_CONNECTION_MS });
  try {
    const variants: Variant[] = [
      { name: 'Linkpulse', ext: bench.linkpulse, ms: [], connections: [] },
      { name: 'bare extension (HEAD)', ext: await bench.launch(BARE_EXTENSION_DIR), ms: [], connections: [] },
      ...(await Promise.all(
        bench.also.map(async (dir) => ({ name: basename(dir), ext: await bench.launch(dir), ms: [], connections: [] })),
      )),
    ];
    bench.section(
      `Pages of ${PAGE_BYTES / 1000} kB on one HTTP/1.1 host (${LINKS} links, ${LATENCY} ms, the body's rest ` +
        `${REST_MS} ms later, a new connection ${NEW_CONNECTION_MS} ms more)`,
    );
    for (let round = 0; round < bench.rounds; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length] as Variant);
      for (const variant of order) {
        const tag = `r${round}${variant.name.replace(/\W/g, '')}`;
        server.resetStats();
        const run = await clickToDone(
          variant.ext,
          `http://${HOST}:${server.port}/sized-page?n=${LINKS}&bytes=${PAGE_BYTES}&rest=${REST_MS}&tag=${tag}`,
        );
        variant.ms.push(run.ms);
        // The page's own load is among them, alike for every checker.
        variant.connections.push(server.connectionsOpened());
        console.log(
          `  round ${round + 1}: ${variant.name} ${seconds(run.ms)}, ${server.connectionsOpened()} connections opened`,
        );
      }
    }
    const list = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(2)).join(', ');
    for (const v of variants) {
      bench.record(
        `${v.name}: click to done (median of ${bench.rounds}; each, s)`,
        `${seconds(median(v.ms))} (${list(v.ms)})`,
      );
    }
    bench.record(
      `connections the server saw opened: ${variants.map((v) => v.name).join(' / ')} (medians)`,
      variants.map((v) => String(median(v.connections))).join(' / '),
    );
    for (const v of variants.slice(1)) {
      bench.record(
        `Linkpulse / ${v.name} (ratio of the medians)`,
        (median(variants[0]?.ms ?? []) / median(v.ms)).toFixed(3),
      );
    }
  } finally {
    await server.close();
  }
}
