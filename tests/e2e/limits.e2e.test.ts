// Nothing unbounded: pages whose links weigh more than a browser message, and pages that never let the collector finish.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  clickToolbarIcon,
  type ExtensionBrowser,
  launchWithExtension,
  openReport,
  readSummary,
  tabIdOf,
  uncaughtErrors,
  waitForState,
  writeSettings,
} from './harness';

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

describe('a page of 20 000 links of 4 kB each (80 MB of addresses)', () => {
  it('is collected, shown and reported to the end', async () => {
    // Excluded by a glob: the point is the collection, the messages and the pages, not 20 000 requests.
    await writeSettings(ext, { excludePatterns: ['http://h*.test:*/latency/*'] });
    const errors: string[] = [];
    const page: Page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=20000&hosts=4&pad=4000', 'huge.test'));
    const { popup } = await clickToolbarIcon(ext, page);
    // Collecting 80 MB of addresses takes a while on a loaded machine: wait for the run, not a fixed moment.
    await popup.waitForSelector('[data-testid="run-summary"], [data-testid="unavailable"]', { timeout: 120_000 });
    await waitForState(popup, 'done', 120_000);
    expect(await readSummary(popup)).toMatchObject({ total: '20000', checked: '20000', skipped: '20000' });
    errors.push(...(await uncaughtErrors(popup)).map((e) => `popup: ${e}`));
    await popup.close();
    const report = await openReport(ext, await tabIdOf(ext, page), errors);
    await waitForState(report, 'done', 120_000);
    // Read in the page: $$eval would make a handle of each of the 20 000 rows first (~20 s here).
    const { count, lengths } = await report.evaluate(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="link-row"]')];
      return { count: rows.length, lengths: rows.slice(0, 5).map((r) => r.dataset.url?.length ?? 0) };
    });
    expect(count).toBe(20_000);
    expect(lengths).toHaveLength(5);
    for (const length of lengths) expect(length).toBeGreaterThan(4000);
    expect(errors).toEqual([]);
    expect(server.requests.filter((r) => r.path.startsWith('/latency'))).toEqual([]);
    await report.close();
    await page.close();
    await writeSettings(ext, null);
  }, 300_000);
});
