// The popup as a person uses it: filters, search, sorting, a row that takes you to its link, highlights on the page,
// the keyboard, and dark mode.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import {
  badgeText,
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  tabIdOf,
  waitForState,
} from './harness';

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
    expect(marks).toContainEqual(['blocked', 'rgb(154, 91, 0)']);
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
    expect(await popup.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).toBe('true');
    // Space closes it again, as on any button.
    await popup.keyboard.press('Space');
    expect(await popup.$('[data-testid="link-details"]')).toBeNull();
    await popup.keyboard.press('Space');
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

  it('keeps every row in the report page, filters, search and sorting only hiding and ordering them', async () => {
    const report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    await report.click('[data-testid="chip-ok"]');
    const rows = await report.$$eval('[data-testid="link-row"]', (els) =>
      els.map((el) => [(el as HTMLElement).dataset.verdict, (el as HTMLElement).hidden]),
    );
    expect(rows).toHaveLength(8);
    expect(rows.filter(([, hidden]) => !hidden).every(([verdict]) => verdict === 'ok')).toBe(true);
    expect(rows.some(([, hidden]) => hidden)).toBe(true);
    await report.click('[data-testid="chip-ok"]');
    // The same search and sorting as the popup, still over every row in the DOM.
    await report.type('[data-testid="search"]', 'login wall');
    const shown = () =>
      report.$$eval('[data-testid="link-row"]', (els) =>
        els.filter((el) => !(el as HTMLElement).hidden).map((el) => (el as HTMLElement).dataset.url ?? ''),
      );
    expect(await shown()).toEqual([server.url('/auth', 'b.test')]);
    expect(await report.$$eval('[data-testid="link-row"]', (els) => els.length)).toBe(8);
    await report.$eval('[data-testid="search"]', (el) => {
      (el as HTMLInputElement).select();
    });
    await report.keyboard.press('Backspace');
    await report.select('[data-testid="sort"]', 'url');
    const urls = await shown();
    expect(urls).toHaveLength(8);
    expect(urls).toEqual([...urls].sort((a, b) => a.localeCompare(b)));
    await report.close();
  });
});

describe('progress, the toolbar badge and pages Linkpulse cannot read', () => {
  it('shows progress and counts broken links on the badge as they arrive, cleared when the tab navigates', async () => {
    const tab = await ext.browser.newPage();
    await tab.goto(server.url('/pages/ui-badge.html', 'ui.test'));
    const badgePopup = await openPopup(ext, tab);
    const tabId = await tabIdOf(ext, tab);
    // The fast 404 is in while the slow one is still out.
    await until(async () => (await badgeText(ext, tabId)) === '1', 'the badge counts the first broken link');
    const progress = () =>
      badgePopup.$eval('[data-testid="progress"]', (el) => ({
        role: el.getAttribute('role'),
        now: el.getAttribute('aria-valuenow'),
        max: el.getAttribute('aria-valuemax'),
      }));
    const summary = () => badgePopup.$eval('[data-testid="run-summary"]', (el) => ({ ...(el as HTMLElement).dataset }));
    expect((await summary()).state).toBe('running');
    const during = await progress();
    expect(during.role).toBe('progressbar');
    expect(during.max).toBe('3');
    expect(Number(during.now)).toBeLessThan(3);
    await waitForState(badgePopup, 'done', 30_000);
    expect(await badgeText(ext, tabId)).toBe('2');
    expect(await progress()).toEqual({ role: 'progressbar', now: '3', max: '3' });
    expect(await badgePopup.$eval('[data-testid="progress-text"]', (el) => el.textContent)).toContain('3 / 3');
    await badgePopup.close();
    await tab.goto(server.url('/pages/no-links.html', 'ui.test'));
    await until(async () => (await badgeText(ext, tabId)) === '', 'the badge is cleared on navigation');
    await tab.close();
  });

  it('takes its highlights off when a single-page app moves to another address', async () => {
    const tab = await ext.browser.newPage();
    await tab.goto(server.url('/pages/ui.html', 'ui.test'));
    const spaPopup = await openPopup(ext, tab);
    await waitForState(spaPopup, 'done', 30_000);
    await spaPopup.click('[data-testid="highlight-toggle"]');
    await tab.waitForFunction(() => document.querySelectorAll('[data-linkpulse-verdict]').length >= 7);
    await spaPopup.close();
    await tab.evaluate(() => history.pushState(null, '', '?another-view'));
    await tab.waitForFunction(() => document.querySelectorAll('[data-linkpulse-verdict]').length === 0);
    await tab.close();
  });

  it('says why a browser page cannot be checked, and what to do instead', async () => {
    const tab = await ext.browser.newPage();
    await tab.goto('chrome://version');
    const restricted = await openPopup(ext, tab);
    const words = await restricted.waitForSelector('[data-testid="unavailable"]');
    const text = await words?.evaluate((el) => el.textContent ?? '');
    expect(text).toContain('chrome://');
    expect(text).toContain('Open a regular web page');
    expect(await restricted.$('[data-testid="popup-row"]')).toBeNull();
    await restricted.close();
    await tab.close();
  });
});
