// Soft 404s: the report of the fixture's page of planted soft 404s and look-alikes that are not (language and sign-in
// redirects, shared templates, app shells), on hosts that answer dead addresses with 200 or a redirect home.
import { resolve } from 'node:path';
import { openPopup, openReport, tabIdOf, waitForState } from '../../tests/e2e/harness.ts';
import { type Stage, shoot } from './stage.ts';

export async function shootSoft404({ ext, server }: Stage, docs: string): Promise<void> {
  const page = await ext.browser.newPage();
  await page.goto(server.url('/soft-404-cases', 'soft404.test'));
  const popup = await openPopup(ext, page);
  await waitForState(popup, 'done', 90_000);
  await popup.close();
  const report = await openReport(ext, await tabIdOf(ext, page));
  await waitForState(report, 'done');
  await shoot(report, resolve(docs, 'soft-404.png'));
  await report.close();
  await page.close();
}
