// What the built extension keeps of a person's browsing without being asked, read where PRIVACY.md says it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { checkedPage, type ExtensionBrowser, launchWithExtension, openReport, verificationDone } from './harness';

describe('what Linkpulse keeps of pages nobody asked it to check', () => {
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

  it("keeps, in session storage, the host and server address of a page a tab opened, with no check (PRIVACY.md's list)", async () => {
    const page = await ext.browser.newPage();
    const pageUrl = server.url('/pages/no-links.html', 'www.visited-only.test');
    await page.goto(pageUrl);
    const worker = await ext.worker();
    const read = () =>
      worker.evaluate(async () => {
        const session = (
          globalThis as unknown as {
            chrome: { storage: { session: { get(key: null): Promise<Record<string, unknown>> } } };
          }
        ).chrome.storage.session;
        return session.get(null);
      });
    const host = new URL(pageUrl).host;
    let stored: Record<string, unknown> = {};
    for (let i = 0; i < 50 && !JSON.stringify(stored).includes(host); i++) {
      stored = await read();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stored['page-addresses']).toContainEqual([host, '127.0.0.1']);
    // Nothing else names the page: no run, no cached answer.
    const { 'page-addresses': _, ...rest } = stored;
    expect(JSON.stringify(rest)).not.toContain('visited-only');
    await page.close();
  });

  it("leaves a second opinion's visits in the browser's own history, as a visit of the person's would", async () => {
    const { page, tabId } = await checkedPage(ext, server.url('/pages/verify.html', 'links.test'));
    const report = await openReport(ext, tabId);
    await report.bringToFront();
    const button = await report.waitForSelector('[data-testid="verify-in-browser"]:not([disabled])');
    await button?.click();
    await verificationDone(report);
    // Only the verification tabs went to wall.test: the page and the extension's own requests leave no history.
    const history = await ext.browser.newPage();
    await history.goto('chrome://history/?q=wall.test');
    const visited = await history
      .waitForSelector('pierce/history-item', { timeout: 10_000 })
      .then(() => history.$$eval('pierce/#link', (links) => links.map((a) => (a as HTMLAnchorElement).href)))
      .catch(() => [] as string[]);
    expect(visited.some((url) => url.includes('wall.test'))).toBe(true);
    await history.close();
    await report.close();
    await page.close();
  });

  it("forgets a tab's check once the tab leaves the page, also for a page no extension may read", async () => {
    const { page, tabId } = await checkedPage(ext, server.url('/pages/basic.html', 'leaving.test'));
    const runKeys = async () => {
      const worker = await ext.worker();
      const stored = await worker.evaluate(async () => {
        const session = (
          globalThis as unknown as {
            chrome: { storage: { session: { get(key: null): Promise<Record<string, unknown>> } } };
          }
        ).chrome.storage.session;
        return session.get(null);
      });
      return Object.keys(stored).filter((k) => k === `run:${tabId}` || k.startsWith(`run:${tabId}:`));
    };
    expect(await runKeys()).toContain(`run:${tabId}`);
    await page.goto('chrome://version');
    let left: string[] = await runKeys();
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await runKeys();
    }
    expect(left).toEqual([]);
    await page.close();
  });
});
