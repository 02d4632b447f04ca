// The README's first pictures: the popup and the report page after a check of the demo page (every kind of link).
import { resolve } from 'node:path';
import { openPopup, openReport, tabIdOf, waitForState } from '../../tests/e2e/harness.ts';
import { type Stage, shoot, writePng } from './stage.ts';

export async function shootPageCheck({ ext, server }: Stage, docs: string): Promise<void> {
  const page = await ext.browser.newPage();
  await page.goto(server.url('/pages/basic.html', 'demo.test'));
  const popup = await openPopup(ext, page);
  // The demo page holds a server that never answers: the check ends at its 25 s deadline.
  await waitForState(popup, 'done', 90_000);
  // The popup as the browser sized it: no viewport of ours.
  await writePng(await popup.screenshot(), resolve(docs, 'popup.png'));
  await popup.close();

  const report = await openReport(ext, await tabIdOf(ext, page));
  await waitForState(report, 'done');
  await shoot(report, resolve(docs, 'report.png'));
  await report.close();
  await page.close();
}
