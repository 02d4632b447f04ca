// The README's first command: builds nothing itself (npm run demo builds first), then serves a small demo site,
// launches Chromium with the built extension, clicks the toolbar icon on the demo page, waits for the check to end
// and prints what the popup and report page show. Works headless, on a machine with no display.
import {
  launchWithExtension,
  openPopup,
  openReport,
  readRows,
  readSummary,
  tabIdOf,
  waitForState,
} from '../tests/e2e/harness.ts';
import { startFixtureServer } from '../tests/fixtures/server.ts';

const server = await startFixtureServer();
const ext = await launchWithExtension();
try {
  const page = await ext.browser.newPage();
  const pageUrl = server.url('/pages/basic.html', 'demo.test');
  await page.goto(pageUrl);
  console.log(`Linkpulse demo: checking ${pageUrl}`);
  const popup = await openPopup(ext, page);
  const started = Date.now();
  let last = '';
  for (let s = await readSummary(popup); s.state === 'running'; s = await readSummary(popup)) {
    const line = `  ${s.checked}/${s.total} checked — ${s.broken} broken, ${s.blocked} blocked, ${s.error} errors`;
    if (line !== last) console.log(line);
    last = line;
    await new Promise((r) => setTimeout(r, 250));
  }
  const summary = await readSummary(popup);
  console.log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(summary)}`);
  const report = await openReport(ext, await tabIdOf(ext, page));
  await waitForState(report, summary.state as 'done');
  const rows = [...(await readRows(report)).values()];
  console.table(rows.map((r) => ({ verdict: r.verdict, status: r.status, ms: r.ms, reason: r.reason, url: r.url })));
  // The README's pictures come from `npm run screenshots` (fixed ports, English, compressed), not from here.
} finally {
  await ext.close();
  await server.close();
}
