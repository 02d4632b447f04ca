// `npm run bench -- --only=verify`: the second opinion's wall time for 20 blocked links (JavaScript challenges that a
// browser passes, on four hosts), from the click on "Verify 20 links in the browser" to the last row verified, and the
// most background tabs open at once (the setting allows 2).
import type { Target } from 'puppeteer';
import { openPopup, openReport, tabIdOf, waitForState } from '../tests/e2e/harness.ts';
import { type Bench, seconds } from './context.ts';

const VERIFIED_ALL = '[data-testid="link-row"][data-verified="browser"]';

export async function verifyBench(bench: Bench): Promise<void> {
  const ext = bench.linkpulse;
  bench.section('Second opinion (background tabs)');
  const page = await ext.browser.newPage();
  try {
    await page.goto(bench.local.url('/pages/verify-20-walls.html', 'walls.test'));
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();
    const report = await openReport(ext, await tabIdOf(ext, page));
    const ours = new Set(ext.browser.targets());
    const open = new Set<Target>();
    let most = 0;
    const created = (t: Target) => {
      if (t.type() !== 'page' || ours.has(t)) return;
      open.add(t);
      most = Math.max(most, open.size);
    };
    const destroyed = (t: Target) => open.delete(t);
    ext.browser.on('targetcreated', created);
    ext.browser.on('targetdestroyed', destroyed);
    const started = Date.now();
    await report.click('[data-testid="verify-in-browser"]');
    await report.waitForFunction(
      (selector: string) => document.querySelectorAll(selector).length === 20,
      { timeout: 300_000 },
      VERIFIED_ALL,
    );
    const ms = Date.now() - started;
    ext.browser.off('targetcreated', created);
    ext.browser.off('targetdestroyed', destroyed);
    const ok = await report.$$eval(`${VERIFIED_ALL}[data-verdict="ok"]`, (rows) => rows.length);
    bench.record('verify 20 blocked links in background tabs: click to last row verified', seconds(ms));
    bench.record(
      'verify: most tabs open at once / rows settled ok',
      `${most} / ${ok} of 20`,
      '≤ 2 / 20',
      most <= 2 && ok === 20,
    );
    await report.close();
  } finally {
    await page.close();
  }
}
