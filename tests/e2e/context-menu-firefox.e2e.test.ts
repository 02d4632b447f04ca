// The context menu in Firefox ESR: the entries exist under the `contextMenus` permission (Firefox's `menus` API under
// the name Chrome uses),
// and the answer window talks to the background. Firefox offers no way to fire a menu click from automation, so the
// checks a click starts are held by the Chromium test (context-menu.e2e.test.ts) and the unit tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirefoxWithExtension, launchFirefox, openExtensionPage } from './harness-firefox';

let ff: FirefoxWithExtension;

beforeAll(async () => {
  ff = await launchFirefox([]);
}, 120_000);
afterAll(async () => {
  await ff?.close();
});

describe('the context menu in Firefox', () => {
  it('has its two entries', async () => {
    const page = await openExtensionPage(ff, '/answer.html');
    // update() succeeds only for an entry that exists; there is no way to list them.
    const exists = await page.evaluate(async () => {
      type Api = { update(id: string, p: object): Promise<void> };
      const api = globalThis as unknown as { browser: { contextMenus?: Api } };
      const check = (menus: Api | undefined, id: string) =>
        menus
          ? menus.update(id, {}).then(
              () => true,
              () => false,
            )
          : Promise.resolve(false);
      return {
        link: await check(api.browser.contextMenus, 'linkpulse-check-link'),
        selection: await check(api.browser.contextMenus, 'linkpulse-check-selection'),
        other: await check(api.browser.contextMenus, 'linkpulse-no-such-entry'),
      };
    });
    expect(exists).toEqual({ link: true, selection: true, other: false });
    await page.close();
  });

  it('shows in the answer window that an answer is no longer kept', async () => {
    const page = await openExtensionPage(ff, '/answer.html?id=no-such-check');
    await page.waitForSelector('[data-testid="unavailable"]');
    // The background answered over the answer port: the text is no longer the one shown while it loads.
    await page.waitForFunction(
      () => !/Loading/.test(document.querySelector('[data-testid="unavailable"]')?.textContent ?? ''),
      { timeout: 10_000 },
    );
    expect(await page.$eval('[data-testid="unavailable"]', (el) => el.textContent)).toMatch(/no longer kept/);
    await page.close();
  });
});
