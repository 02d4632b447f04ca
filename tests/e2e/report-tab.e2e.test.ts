// The report page of a tab that went on to another page: it says so, and its Re-check checks the page now there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { checkedPage, type ExtensionBrowser, launchWithExtension, openReport, waitForState } from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the report of a tab that went to another page', () => {
  it('offers Re-check, which checks the page the tab shows now', async () => {
    const { page, tabId } = await checkedPage(ext, server.url('/pages/ui.html', 'ui.test'), 30_000);
    const report = await openReport(ext, tabId);
    await waitForState(report, 'done');
    await page.goto(server.url('/pages/long-text.html', 'ui.test'));
    await report.waitForSelector('[data-testid="unavailable"]');
    await report.click('[data-testid="recheck"]');
    await waitForState(report, 'done', 30_000);
    const urls = await report.$$eval('[data-testid="link-row"]', (rows) =>
      rows.map((row) => (row as HTMLElement).dataset.url ?? ''),
    );
    expect(urls).toContain(server.url('/ok?rtl', 'a.test'));
    expect(urls).toHaveLength(3);
  });
});
