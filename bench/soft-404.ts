// `npm run bench -- --only=soft404`: precision and recall of soft-404 detection over the fixture set
// (tests/fixtures/soft-404-sites.ts: every planted soft 404 and every false-positive trap), checked by the built
// extension in Chromium through the popup, as a person would, and read from the report page's rows.
import { type ExtensionBrowser, openPopup, openReport, readRows, tabIdOf, waitForState } from '../tests/e2e/harness.ts';
import type { FixtureServer } from '../tests/fixtures/server.ts';
import { caseUrl, SOFT_404_CASES } from '../tests/fixtures/soft-404-sites.ts';

type RecordLine = (measure: string, value: string, target?: string, met?: boolean | null) => void;

export async function soft404Bench(ext: ExtensionBrowser, server: FixtureServer, record: RecordLine): Promise<void> {
  const page = await ext.browser.newPage();
  try {
    await page.goto(server.url('/soft-404-cases', 'soft404.test'));
    server.resetStats();
    const started = Date.now();
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 120_000);
    const ms = Date.now() - started;
    await popup.close();
    const report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    const rows = await readRows(report);
    await report.close();
    let truePositives = 0;
    const falsePositives: string[] = [];
    const missed: string[] = [];
    for (const c of SOFT_404_CASES) {
      const flagged = rows.get(caseUrl(c, server.port))?.reason === 'soft-404';
      if (flagged && c.soft404) truePositives += 1;
      else if (flagged) falsePositives.push(`${c.site}${c.path}`);
      else if (c.soft404) missed.push(`${c.site}${c.path}`);
    }
    const planted = SOFT_404_CASES.filter((c) => c.soft404).length;
    const flagged = truePositives + falsePositives.length;
    const precision = flagged === 0 ? 1 : truePositives / flagged;
    const recall = truePositives / planted;
    const traps = SOFT_404_CASES.length - planted;
    const probes = server.requests.filter((r) => /^\/[a-z]{20}$/.test(r.path)).length;
    const hosts = new Set(SOFT_404_CASES.map((c) => c.site)).size;
    record(
      `soft 404s: precision over ${SOFT_404_CASES.length} fixture links (${planted} planted, ${traps} traps)`,
      `${precision.toFixed(2)}${falsePositives.length ? ` (false: ${falsePositives.join(', ')})` : ''}`,
      '1.00',
      falsePositives.length === 0,
    );
    record(
      'soft 404s: recall (planted soft 404s found)',
      `${recall.toFixed(2)} (${truePositives}/${planted}${missed.length ? `; missed: ${missed.join(', ')}` : ''})`,
      '1.00',
      missed.length === 0,
    );
    record('soft 404s: probes sent (one per host with a deep link)', `${probes} for ${hosts + 1} hosts`);
    record('soft 404s: click to done on the fixture page', `${ms} ms`);
  } finally {
    await page.close();
  }
}
