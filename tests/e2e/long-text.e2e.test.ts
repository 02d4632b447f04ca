// Long addresses and link texts as a person meets them: a page without a title at an address with a long token, a link
// text that is itself a long address. Nothing may make the popup or the report wider than its window.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { type ExtensionBrowser, launchWithExtension, openPopup, openReport, tabIdOf, waitForState } from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
let popup: Page;

/** How far the page's content reaches past its window's right edge, in CSS pixels (0: it fits). */
const overflow = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  page = await ext.browser.newPage();
  const token = 'eyJhbGciOiJIUzI1NiJ9'.repeat(25);
  await page.goto(server.url(`/pages/long-text.html?session=${token}`, 'ui.test'));
  popup = await openPopup(ext, page);
  await waitForState(popup, 'done', 30_000);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('long addresses and link texts', () => {
  it('keeps the popup within its width with a row opened whose link text is a long address', async () => {
    await popup.click('[data-testid="popup-row"][data-verdict="broken"] button');
    await popup.waitForSelector('[data-testid="link-details"]');
    expect(await overflow(popup)).toBe(0);
    expect(await popup.$eval('[data-testid="link-details"]', (el) => el.scrollWidth - el.clientWidth)).toBe(0);
  });
  it('keeps the report within its window for a page at a long address without a title', async () => {
    const report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    await report.setViewport({ width: 1024, height: 768 });
    expect(await overflow(report)).toBe(0);
    await report.close();
  });
});

describe('a long page title, right to left', () => {
  it('keeps the popup within its width, showing the start of the title and cutting its end', async () => {
    const hebrew = await ext.browser.newPage();
    await hebrew.goto(server.url('/pages/rtl-title.html', 'ui.test'));
    const rtlPopup = await openPopup(ext, hebrew);
    await waitForState(rtlPopup, 'done', 30_000);
    expect(await overflow(rtlPopup)).toBe(0);
    // Where the title's first word is drawn: inside the heading's box, not behind its ellipsis.
    const { word, box } = await rtlPopup.$eval('h1', (h1) => {
      const range = document.createRange();
      range.setStart(h1.firstChild as Text, 0);
      range.setEnd(h1.firstChild as Text, 'ראשית'.length);
      const { left, right } = range.getBoundingClientRect();
      const rect = h1.getBoundingClientRect();
      return { word: { left, right }, box: { left: rect.left, right: rect.right } };
    });
    expect(word.left).toBeGreaterThanOrEqual(box.left);
    expect(word.right).toBeLessThanOrEqual(box.right);
  });
});
