// What the built extension keeps of a person's browsing without being asked, read where PRIVACY.md says it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { type ExtensionBrowser, launchWithExtension } from './harness';

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
});
