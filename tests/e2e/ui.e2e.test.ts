// The popup as a person uses it: filters, search, sorting, a row that takes you to its link, highlights on the page,
// the keyboard, and dark mode.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { type ExtensionBrowser, launchWithExtension, openPopup, openReport, tabIdOf, waitForState } from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
let popup: Page;

const visibleRows = () =>
  popup.$$eval('[data-testid="popup-row"]', (rows) =>
    rows.map((r) => ({ url: (r as HTMLElement).dataset.url ?? '', verdict: (r as HTMLElement).dataset.verdict ?? '' })),
  );

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  page = await ext.browser.newPage();
  await page.goto(server.url('/pages/ui.html', 'ui.test'));
  popup = await openPopup(ext, page);
  await waitForState(popup, 'done', 30_000);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the popup list', () => {
  it('shows problems first by default', async () => {
    const rows = await visibleRows();
    expect(rows).toHaveLength(8);
    const rank = (v: string) => (['broken', 'blocked', 'error'].includes(v) ? 0 : 1);
    const ranks = rows.map((r) => rank(r.verdict));
    expect(ranks).toEqual([...ranks].sort());
    expect(rows[0]?.verdict).toBe('broken');
  });

  it('filters by verdict chip, and back', async () => {
    await popup.click('[data-testid="chip-broken"]');
    expect(await popup.$eval('[data-testid="chip-broken"]', (el) => el.getAttribute('aria-pressed'))).toBe('true');
    const broken = await visibleRows();
    expect(broken.map((r) => r.verdict)).toEqual(['broken', 'broken']);
    await popup.click('[data-testid="chip-blocked"]');
    expect((await visibleRows()).map((r) => r.verdict).sort()).toEqual(['blocked', 'broken', 'broken']);
    await popup.click('[data-testid="chip-broken"]');
    await popup.click('[data-testid="chip-blocked"]');
    expect(await visibleRows()).toHaveLength(8);
  });

  it('filters by URL or link text as it is typed', async () => {
    await popup.type('[data-testid="search"]', 'status/410');
    expect((await visibleRows()).map((r) => r.url)).toEqual([server.url('/status/410', 'a.test')]);
    await popup.$eval('[data-testid="search"]', (el) => {
      (el as HTMLInputElement).select();
    });
    await popup.keyboard.press('Backspace');
    await popup.type('[data-testid="search"]', 'login wall');
    expect((await visibleRows()).map((r) => r.url)).toEqual([server.url('/auth', 'b.test')]);
    await popup.$eval('[data-testid="search"]', (el) => {
      (el as HTMLInputElement).select();
    });
    await popup.keyboard.press('Backspace');
    expect(await visibleRows()).toHaveLength(8);
  });

  it('sorts by URL, status and time', async () => {
    await popup.select('[data-testid="sort"]', 'url');
    const urls = (await visibleRows()).map((r) => r.url);
    expect(urls).toEqual([...urls].sort((a, b) => a.localeCompare(b)));
    await popup.select('[data-testid="sort"]', 'time');
    const times = await popup.$$eval('[data-testid="popup-row"] .ms', (els) =>
      els.map((el) => Number.parseInt(el.textContent ?? '', 10)).filter((n) => !Number.isNaN(n)),
    );
    expect(times.length).toBeGreaterThan(5);
    const ascending = [...times].sort((a, b) => a - b);
    const descending = [...ascending].reverse();
    expect([ascending, descending]).toContainEqual(times);
    await popup.select('[data-testid="sort"]', 'verdict');
  });
});

describe('the page itself', () => {
  it('scrolls to a link and flashes it when its row is clicked', async () => {
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    const far = server.url('/status/404?far-down', 'a.test');
    await popup.click(`[data-testid="popup-row"][data-url="${far}"] button`);
    await page.waitForFunction(() => window.scrollY > 1000);
    expect(await page.$eval('#far', (el) => el.hasAttribute('data-linkpulse-flash'))).toBe(true);
    // The row opens to its details too.
    expect(await popup.$eval('[data-testid="link-details"]', (el) => el.textContent)).toContain(far);
    await page.waitForFunction(() => !document.querySelector('#far')?.hasAttribute('data-linkpulse-flash'));
  });

  it('highlights every checked link in its verdict colour, and removes every trace when turned off', async () => {
    const before = await page.evaluate(() => document.body.innerHTML);
    await popup.click('[data-testid="highlight-toggle"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-linkpulse-verdict]').length >= 7);
    const marks = await page.$$eval('[data-linkpulse-verdict]', (els) =>
      els.map((el) => [el.getAttribute('data-linkpulse-verdict'), (el as HTMLElement).style.outlineColor]),
    );
    expect(marks).toContainEqual(['broken', 'rgb(198, 40, 40)']);
    expect(marks).toContainEqual(['ok', 'rgb(30, 125, 58)']);
    expect(marks).toContainEqual(['blocked', 'rgb(178, 106, 0)']);
    // The link inside the shadow root is marked too.
    const shadowMark = await page.$eval(
      '#host',
      (host) => host.shadowRoot?.querySelector('a')?.getAttribute('data-linkpulse-verdict') ?? null,
    );
    expect(shadowMark).toBe('ok');

    // Closing and reopening the popup shows the toggle as it is on the page.
    await popup.close();
    popup = await openPopup(ext, page);
    await popup.waitForFunction(
      () => document.querySelector<HTMLInputElement>('[data-testid="highlight-toggle"]')?.checked === true,
    );
    await popup.click('[data-testid="highlight-toggle"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-linkpulse-verdict]').length === 0);
    // Nothing of ours is left: no marker, no outline, each link's own style as it was (an empty style attribute, which
    // the CSSOM can leave behind, is no style).
    const after = await page.evaluate(() => document.body.innerHTML);
    expect(after.replaceAll(' style=""', '')).toBe(before);
  });
});

describe('keyboard and looks', () => {
  it('reaches every control with Tab and opens a row with Enter', async () => {
    await popup.bringToFront();
    // Start where a person starts: at the top of the popup.
    await popup.click('h1');
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await popup.keyboard.press('Tab');
      const id = await popup.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.dataset.testid ?? el?.closest<HTMLElement>('[data-testid]')?.dataset.testid ?? el?.tagName ?? '';
      });
      reached.add(id);
      if (id === 'popup-row') break;
    }
    for (const control of [
      'recheck',
      'open-report',
      'highlight-toggle',
      'chip-broken',
      'search',
      'sort',
      'popup-row',
    ]) {
      expect([...reached]).toContain(control);
    }
    const focusedUrl = await popup.evaluate(
      () => document.activeElement?.closest<HTMLElement>('[data-testid="popup-row"]')?.dataset.url,
    );
    await popup.keyboard.press('Enter');
    expect(await popup.$eval('[data-testid="link-details"]', (el) => el.textContent)).toContain(focusedUrl);
    // Focus is visible.
    const outline = await popup.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
  });

  it('follows the system dark mode', async () => {
    const background = () => popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const light = await background();
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await background();
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).not.toBe(light);
  });

  it('keeps every row in the report page, filters only hiding them', async () => {
    const report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    await report.click('[data-testid="chip-ok"]');
    const rows = await report.$$eval('[data-testid="link-row"]', (els) =>
      els.map((el) => [(el as HTMLElement).dataset.verdict, (el as HTMLElement).hidden]),
    );
    expect(rows).toHaveLength(8);
    expect(rows.filter(([, hidden]) => !hidden).every(([verdict]) => verdict === 'ok')).toBe(true);
    expect(rows.some(([, hidden]) => hidden)).toBe(true);
    await report.close();
  });
});
