// Linkpulse in a German browser: the browser picks _locales/de, the pages speak German and write German numbers and
// dates, and everything machines read (data-*, the manifest's keys, exports) stays as in English.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  readRows,
  readSummary,
  siteCheckDone,
  startSiteCheck,
  tabIdOf,
  waitForState,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;

beforeAll(async () => {
  server = await startFixtureServer();
  // --lang sets Chromium's UI language, which picks the extension's messages and is what i18n.getUILanguage() says.
  ext = await launchWithExtension(['--lang=de', '--accept-lang=de-DE,de']);
  page = await ext.browser.newPage();
  await page.goto(server.url('/pages/no-links.html', 'de.test'));
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

const text = (target: Page, selector: string) => target.$eval(selector, (el) => el.textContent ?? '');

/** The note in the popup's details of one link of `tab`'s run. */
async function noteIn(tab: Page, url: string): Promise<string> {
  const popup = await openPopup(ext, tab);
  try {
    await waitForState(popup, 'done', 60_000);
    await popup.type('[data-testid="search"]', url);
    const button = `[data-testid="popup-row"][data-url="${url}"] button`;
    await popup.waitForSelector(button, { visible: true });
    await popup.click(button);
    return await text(popup, '[data-testid="link-note"]');
  } finally {
    await popup.close();
  }
}

describe('in a German browser', () => {
  it('shows the popup in German, its summary data the same as in English', async () => {
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 20_000);
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('de');
    expect(await text(popup, '[data-testid="no-links"]')).toBe('Diese Seite hat keine Links zum Prüfen.');
    expect(await text(popup, '[data-testid="recheck"]')).toBe('Erneut prüfen');
    expect(await text(popup, '[data-testid="open-report"]')).toBe('Vollständigen Bericht öffnen');
    expect(await text(popup, '[data-testid="progress-text"]')).toBe('0 / 0 geprüft');
    expect(await popup.$eval('[data-testid="chip-broken"]', (el) => (el as HTMLElement).title)).toBe(
      'Nur defekte Links zeigen',
    );
    expect(await readSummary(popup)).toMatchObject({ state: 'done', total: '0', checked: '0', broken: '0' });
    await popup.close();
  });

  it('writes the report page’s date the German way', async () => {
    const report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done', 20_000);
    const sub = await text(report, 'header .sub');
    // "gestartet 03.12.2026, 09:15": day.month.year and a 24-hour clock.
    expect(sub).toMatch(/gestartet \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
    expect(await text(report, 'thead')).toContain('Ergebnis');
    await report.close();
  });

  it('words a check’s notes in German: why a link is a soft 404, why a #fragment was not checked', async () => {
    const tab = await ext.browser.newPage();
    await tab.goto(server.url('/pages/notes.html', 'notes.test'));
    const soft404 = `http://wp-blog.test:${server.port}/2023/01/deleted-post/`;
    expect(await noteIn(tab, soft404)).toBe(
      'Soft-404: dieselbe Seite wie für einen Pfad, den es nicht gibt: Titel „Page not found – Pulse Blog“, 100 % ähnlich.',
    );
    expect(await noteIn(tab, server.url('/pdf-document#page=2', 'notes.test'))).toBe(
      'Das #Fragment wurde nicht geprüft: Das Ziel ist kein HTML-Dokument (application/pdf).',
    );
    // What machines read stays as in English.
    const report = await openReport(ext, await tabIdOf(ext, tab));
    await waitForState(report, 'done');
    expect((await readRows(report)).get(soft404)).toMatchObject({ verdict: 'broken', reason: 'soft-404' });
    await report.close();
    await tab.close();
  });

  it('words a site check’s notes in German: why a page’s links were not read, why a link was skipped', async () => {
    const tab = await ext.browser.newPage();
    const site = (path: string) => server.url(path, 'site.test');
    await tab.goto(site('/site/'));
    const crawl = await startSiteCheck(ext, tab);
    await siteCheckDone(crawl);
    const pdf = `[data-testid="page-row"][data-url="${site('/site/report.pdf')}"] td:last-child`;
    expect(await text(crawl, pdf)).toBe('Keine HTML-Seite: nichts zu verfolgen');
    const nofollow = `[data-testid="link-row"][data-url="${site('/site/nofollow-target')}"]`;
    expect(await crawl.$eval(nofollow, (row) => (row as HTMLElement).dataset.reason)).toBe('nofollow');
    expect(await crawl.$eval(`${nofollow} td[title]`, (cell) => (cell as HTMLElement).title)).toBe(
      'rel="nofollow": Eine Website-Prüfung folgt ihm nicht.',
    );
    await crawl.close();
    await tab.close();
  });

  it('shows the options page in German, a problem in German words', async () => {
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.waitForSelector('[data-testid="save"]');
    expect(await text(options, 'h1')).toBe('Linkpulse-Einstellungen');
    expect(await text(options, '[data-testid="save"]')).toBe('Speichern');
    const field = await options.$('[data-testid="opt-perHostConcurrency"]');
    await field?.click({ count: 3 });
    await field?.type('9');
    const error = await options.waitForSelector('[data-testid="error-perHostConcurrency"]');
    expect(await error?.evaluate((el) => el.textContent)).toBe('Muss zwischen 1 und 6 liegen (eingegeben 9).');
    await options.close();
  });
});
