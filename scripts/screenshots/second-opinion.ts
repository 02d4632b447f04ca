// Second opinion: the report of a page whose links sit behind bot walls, after "Verify in the browser" settled them in
// background tabs (the fixture's walls: a JavaScript challenge a browser passes, a 999 for anything but a navigation,
// a wall that never lets through, a wall in front of a 404, anchors a script builds).
import { resolve } from 'node:path';
import { openPopup, openReport, tabIdOf, waitForState, writeSettings } from '../../tests/e2e/harness.ts';
import { type Stage, shoot } from './stage.ts';

export async function shootSecondOpinion({ ext, server }: Stage, docs: string): Promise<void> {
  // The wall that never lets through is given up after 8 s rather than the default 20 s.
  await writeSettings(ext, { verifyTimeoutSec: 8 });
  const page = await ext.browser.newPage();
  await page.goto(server.url('/pages/verify.html', 'links.test'));
  const tabId = await tabIdOf(ext, page);
  const popup = await openPopup(ext, page);
  await waitForState(popup, 'done');
  await popup.close();

  const report = await openReport(ext, tabId);
  await report.bringToFront();
  await (await report.waitForSelector('[data-testid="verify-in-browser"]:not([disabled])'))?.click();
  await report.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="link-row"][data-verifying]').length === 0 &&
      document.querySelectorAll('[data-testid="link-row"][data-verified="browser"]').length >= 6,
    { timeout: 120_000 },
  );
  await shoot(report, resolve(docs, 'verify.png'));
  await report.close();
  await page.close();
  await writeSettings(ext, null);
}
