// History as a person meets it: check a page, the site changes, check again after the background was stopped; each row
// says what changed and the summary counts the new problems; an ignored link is skipped on the next check.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  tabIdOf,
  waitForState,
  writeSettings,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
let pageUrl: string;
const link = (key: string) => server.url(`/changeable/${key}`, 'links.test');

/** Rows of the report page as url key → [verdict, reason, change]. */
async function changes(report: Page): Promise<Record<string, string[]>> {
  const rows = await report.$$eval('[data-testid="link-row"]', (els) =>
    els.map((el) => {
      const d = (el as HTMLElement).dataset;
      return [d.url ?? '', d.verdict ?? '', d.reason ?? '', d.change ?? 'MISSING'] as const;
    }),
  );
  return Object.fromEntries(rows.map(([url, ...rest]) => [url.slice(url.lastIndexOf('/') + 1), rest]));
}

const newProblems = (p: Page) =>
  p.$eval('[data-testid="run-summary"]', (el) => (el as HTMLElement).dataset.newProblems ?? 'MISSING');

/** Stops the service worker as Chrome does when it idles; the next event starts it afresh. */
async function stopWorker(): Promise<void> {
  await (await ext.worker()).close();
}

/** Leaves the page and comes back: the tab's run is forgotten, so the popup starts a new check at once. */
async function checkAgain(expectedTotal: number): Promise<Page> {
  await page.goto(server.url('/ok', 'elsewhere.test'));
  await page.goto(pageUrl);
  const popup = await openPopup(ext, page);
  await popup.waitForSelector(`[data-testid="run-summary"][data-state="done"][data-total="${expectedTotal}"]`, {
    timeout: 60_000,
  });
  return popup;
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  // Fresh answers on every check: the recent-results cache would otherwise hide the site's change.
  await writeSettings(ext, { cacheMinutes: 0 });
  server.setAnswer('heals', 404);
  server.setAnswer('known-blocked', 403);
  server.setChangingPage(['stays', 'breaks', 'heals', 'removed', 'known-blocked'].map(link));
  page = await ext.browser.newPage();
  pageUrl = server.url('/changing-page', 'site.test');
  await page.goto(pageUrl);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('history of a page', () => {
  let report: Page;

  it('shows no change on the first check of a page', async () => {
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    expect(await newProblems(popup)).toBe('0');
    await popup.close();
    report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    expect(await changes(report)).toEqual({
      stays: ['ok', '', ''],
      breaks: ['ok', '', ''],
      heals: ['broken', 'status', ''],
      removed: ['ok', '', ''],
      'known-blocked': ['blocked', 'auth', ''],
    });
    expect(await newProblems(report)).toBe('0');
    await report.close();
  });

  it('marks each link new, newly broken or fixed on the next check, after the background was stopped', async () => {
    server.setAnswer('breaks', 404);
    server.setAnswer('heals', 200);
    server.setAnswer('added-broken', 410);
    server.setChangingPage(['stays', 'breaks', 'heals', 'known-blocked', 'added-broken', 'added-ok'].map(link));
    await stopWorker();
    const popup = await checkAgain(6);
    // breaks (ok → broken) and added-broken (not on the page before, broken now).
    expect(await newProblems(popup)).toBe('2');
    await popup.click('[data-testid="chip-new-problems"]');
    const shown = await popup.$$eval('[data-testid="popup-row"]', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.url?.split('/').pop()).sort(),
    );
    expect(shown).toEqual(['added-broken', 'breaks']);
    await popup.close();
    report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    expect(await changes(report)).toEqual({
      stays: ['ok', '', ''],
      breaks: ['broken', 'status', 'newly-broken'],
      heals: ['ok', '', 'fixed'],
      'known-blocked': ['blocked', 'auth', ''],
      'added-broken': ['broken', 'status', 'new'],
      'added-ok': ['ok', '', 'new'],
    });
    expect(await newProblems(report)).toBe('2');
  });

  it('skips an ignored link on the next check of that site, without asking its server', async () => {
    const row = `[data-testid="link-row"][data-url="${link('known-blocked')}"]`;
    await report.click(`${row} [data-testid="ignore"]`);
    await report.type(`${row} [data-testid="ignore-note"]`, 'needs a login');
    await report.click(`${row} [data-testid="ignore-confirm"]`);
    await report.waitForSelector(`${row} [data-testid="unignore"]`);
    await stopWorker();
    server.resetStats();
    const popup = await checkAgain(6);
    await popup.close();
    await report.close();
    report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    expect((await changes(report))['known-blocked']).toEqual(['skipped', 'ignored', '']);
    expect(server.requestsTo('/changeable/known-blocked')).toEqual([]);
    expect(server.requestsTo('/changeable/stays').length).toBeGreaterThan(0);
    expect(await newProblems(report)).toBe('0');
  });

  it('lists the page’s past checks with a trend, and opens any one’s full report', async () => {
    await report.click('[data-testid="open-history"]');
    await report.waitForSelector('[data-testid="history-run"]');
    const runs = await report.$$eval('[data-testid="history-run"]', (rows) =>
      rows.map((r) => (r as HTMLElement).dataset.problems),
    );
    // Newest first: the check with the ignored link (2 broken), the changed site (2 broken + 1 blocked), the first.
    expect(runs).toEqual(['2', '3', '2']);
    expect(await report.$('[data-testid="history-trend"] polyline')).not.toBeNull();
    const href = await report.$$eval(
      '[data-testid="history-open"]',
      (links) => (links.at(-1) as HTMLAnchorElement).href,
    );
    const past = await ext.browser.newPage();
    await past.goto(href);
    await past.waitForSelector('[data-testid="past-run"]');
    await waitForState(past, 'done');
    expect(Object.keys(await changes(past)).sort()).toEqual(['breaks', 'heals', 'known-blocked', 'removed', 'stays']);
    await past.close();
  });
});

describe('history on the options page', () => {
  let options: Page;
  let exported: string;
  const site = () => new URL(pageUrl).host;
  const ignoredListed = () =>
    options.$$eval('[data-testid="ignored-link"]', (items) =>
      items.map((li) => [li.closest('[data-site]')?.getAttribute('data-site'), (li as HTMLElement).dataset.url]),
    );
  const ignoredCount = (n: number) =>
    options.waitForFunction(
      (wanted) => document.querySelectorAll('[data-testid="ignored-link"]').length === wanted,
      { polling: 100, timeout: 20_000 },
      n,
    );
  const importFile = async (name: string, text: string) => {
    const file = join(ext.downloadDir, name);
    writeFileSync(file, text);
    const status = () => options.$eval('[data-testid="status"]', (el) => el.textContent ?? '');
    const before = await status();
    const input = (await options.$('[data-testid="import-settings"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await until(async () => ![before, ''].includes(await status()), 'the import is answered');
    return options.$eval('[data-testid="status"]', (el) => ({
      kind: (el as HTMLElement).dataset.kind,
      text: el.textContent ?? '',
    }));
  };
  /** The report of the page's latest check: each row's verdict, reason and change, and the kept checks it lists. */
  const reportOfPage = async () => {
    const report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    const rows = await changes(report);
    // The check is kept once it has finished, perhaps after the panel first read the history: the open panel lists it
    // (as the one shown) then.
    await report.click('[data-testid="open-history"]');
    await report.waitForSelector('[data-testid="history-run"][aria-current="true"]', { timeout: 20_000 });
    const kept = await report.$$eval('[data-testid="history-run"]', (runs) => runs.length);
    await report.close();
    return { rows, kept };
  };

  beforeAll(async () => {
    options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    await options.waitForSelector('[data-testid="history-page"]');
  });

  it('lists the ignored link under its site, and exports it with the settings', async () => {
    expect(await ignoredListed()).toEqual([[site(), link('known-blocked')]]);
    expect(await options.$eval('[data-testid="ignored-link"]', (el) => el.textContent)).toContain('needs a login');
    const before = new Set(readdirSync(ext.downloadDir));
    await options.click('[data-testid="export-settings"]');
    await until(
      () => readdirSync(ext.downloadDir).some((f) => f.endsWith('.json') && !before.has(f)),
      'the settings file is saved',
    );
    const name = readdirSync(ext.downloadDir).find((f) => f.endsWith('.json') && !before.has(f)) as string;
    exported = readFileSync(join(ext.downloadDir, name), 'utf8');
    const file = JSON.parse(exported);
    expect(file.settings.cacheMinutes).toBe(0);
    expect(file.ignoredLinks).toEqual([
      { site: site(), url: link('known-blocked'), note: 'needs a login', at: expect.any(Number) },
    ]);
  });

  it('un-ignores it: the next check asks its server again', async () => {
    await options.click('[data-testid="options-unignore"]');
    await ignoredCount(0);
    server.resetStats();
    const popup = await checkAgain(6);
    await popup.close();
    expect(server.requestsTo('/changeable/known-blocked').length).toBeGreaterThan(0);
    expect((await reportOfPage()).rows['known-blocked']).toEqual(['blocked', 'auth', '']);
  });

  it('imports the ignored links of a settings file: the next check skips the link again', async () => {
    await options.bringToFront();
    expect(await importFile('with-ignored.json', exported)).toEqual({
      kind: 'saved',
      text: 'Imported with-ignored.json and saved.',
    });
    await ignoredCount(1);
    expect(await ignoredListed()).toEqual([[site(), link('known-blocked')]]);
    server.resetStats();
    const popup = await checkAgain(6);
    await popup.close();
    expect(server.requestsTo('/changeable/known-blocked')).toEqual([]);
    expect((await reportOfPage()).rows['known-blocked']).toEqual(['skipped', 'ignored', '']);
  });

  it('refuses a settings file with a bad list of ignored links, with words, losing nothing', async () => {
    await options.bringToFront();
    const file = JSON.parse(exported);
    file.settings.retries = 4;
    file.ignoredLinks = [{ site: 'other.test', url: 'https://other.test/x', note: '' }, { url: 'https://x.test/' }];
    expect(await importFile('bad-ignored.json', JSON.stringify(file))).toEqual({
      kind: 'error',
      text: 'Not imported — ignoredLinks[1] has no valid site. Nothing was changed.',
    });
    // Neither the good entry of the bad list nor the file's settings were taken; the list is as it was.
    expect(await ignoredListed()).toEqual([[site(), link('known-blocked')]]);
    const stored = await (await ext.worker()).evaluate(async () => {
      const api = (globalThis as unknown as { chrome: { storage: { sync: { get(k: string): Promise<object> } } } })
        .chrome;
      return ((await api.storage.sync.get('settings')) as { settings?: Record<string, unknown> }).settings;
    });
    expect(stored?.retries).not.toBe(4);
  });

  it('clears one page’s history, then one site’s, then everything: the next check compares with nothing', async () => {
    const otherUrl = server.url('/changing-page', 'other.test');
    // A second page of the same site and a page of another site, each checked once.
    for (const url of [server.url('/changing-page?second', 'site.test'), otherUrl]) {
      await page.goto(url);
      const popup = await openPopup(ext, page);
      await waitForState(popup, 'done');
      await popup.close();
    }
    const listedPages = () =>
      options.$$eval('[data-testid="history-page"]', (items) =>
        items.map((li) => [li.closest('[data-site]')?.getAttribute('data-site'), (li as HTMLElement).dataset.url]),
      );
    const pagesListed = (n: number) =>
      options.waitForFunction(
        (wanted) => document.querySelectorAll('[data-testid="history-page"]').length === wanted,
        { polling: 100, timeout: 20_000 },
        n,
      );
    // Listed while the options page stays open: the history says when a check was kept.
    await options.bringToFront();
    await pagesListed(3);
    const otherSite = new URL(otherUrl).host;
    expect((await listedPages()).sort()).toEqual(
      [
        [site(), pageUrl],
        [site(), server.url('/changing-page?second', 'site.test')],
        [otherSite, otherUrl],
      ].sort(),
    );

    // One page: its next check, with a link broken since, marks nothing as changed and lists only itself.
    await options.click(`[data-testid="history-page"][data-url="${pageUrl}"] [data-testid="clear-history-page"]`);
    await pagesListed(2);
    server.setAnswer('stays', 404);
    let popup = await checkAgain(6);
    expect(await newProblems(popup)).toBe('0');
    await popup.close();
    let seen = await reportOfPage();
    expect(seen.rows.stays).toEqual(['broken', 'status', '']);
    expect(seen.kept).toBe(1);

    // One site: both of its pages go, the other site stays; the fixed link is not called fixed.
    // Listed while the options page stays open: the history says when a check was kept.
    await options.bringToFront();
    await pagesListed(3);
    await options.click(`[data-testid="history-site"][data-site="${site()}"] [data-testid="clear-history-site"]`);
    await pagesListed(1);
    expect(await listedPages()).toEqual([[otherSite, otherUrl]]);
    server.setAnswer('stays', 200);
    popup = await checkAgain(6);
    await popup.close();
    seen = await reportOfPage();
    expect(seen.rows.stays).toEqual(['ok', '', '']);
    expect(seen.kept).toBe(1);

    // Everything: the other site's page too.
    await options.bringToFront();
    await options.click('[data-testid="clear-history-all"]');
    await options.waitForSelector('[data-testid="history-none"]', { timeout: 20_000 });
    server.setAnswer('breaks', 200);
    await page.goto(otherUrl);
    popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    expect(await newProblems(popup)).toBe('0');
    expect(await popup.$('[data-testid="chip-new-problems"]')).toBeNull();
    await popup.close();
    seen = await reportOfPage();
    expect(seen.rows.breaks).toEqual(['ok', '', '']);
    expect(seen.kept).toBe(1);
  });
});

describe('links that join a checked page later (live pages)', () => {
  it('are new when the previous check did not have them, and skipped when ignored on the site', async () => {
    // The previous check of the page: five links, the known-blocked one no longer on it.
    server.setChangingPage(['stays', 'breaks', 'heals', 'added-broken', 'added-ok'].map(link));
    let popup = await checkAgain(5);
    await popup.close();
    // This check starts with four; while the popup is open, three more appear: one the previous check had, one it did
    // not (and is broken), and the link ignored on this site.
    server.setChangingPage(['stays', 'breaks', 'heals', 'added-broken'].map(link));
    server.setAnswer('joined-later', 404);
    server.resetStats();
    popup = await checkAgain(4);
    await page.evaluate((hrefs: string[]) => {
      for (const href of hrefs) {
        const a = document.createElement('a');
        a.href = href;
        a.textContent = href;
        document.body.append(a);
      }
    }, ['added-ok', 'joined-later', 'known-blocked'].map(link));
    await popup.waitForSelector('[data-testid="run-summary"][data-state="done"][data-total="7"]', { timeout: 30_000 });
    expect(await newProblems(popup)).toBe('1');
    await popup.close();
    const report = await openReport(ext, await tabIdOf(ext, page));
    await waitForState(report, 'done');
    const rows = await changes(report);
    expect(rows['added-ok']).toEqual(['ok', '', '']);
    expect(rows['joined-later']).toEqual(['broken', 'status', 'new']);
    // Not on the page in the previous check either: new, though skipped, and no new problem.
    expect(rows['known-blocked']).toEqual(['skipped', 'ignored', 'new']);
    expect(server.requestsTo('/changeable/known-blocked')).toEqual([]);
    expect(await newProblems(report)).toBe('1');
    await report.close();
  });
});

describe('an open history panel on the report page', () => {
  it('lists the run on screen once kept after its end, then after Check again the run it replaced and the new one', async () => {
    // A page of its own, with a slow link: each check is still going while the test opens the panel.
    server.setChangingPage([link('stays'), server.url('/slow/5000', 'links.test')]);
    await page.goto(server.url('/changing-page?panel', 'site.test'));
    const popup = await openPopup(ext, page);
    await popup.close();
    const report = await openReport(ext, await tabIdOf(ext, page));
    await report.click('[data-testid="open-history"]');
    await report.waitForSelector('[data-testid="history-empty"]', { timeout: 20_000 });
    expect(await report.$eval('[data-testid="run-summary"]', (el) => (el as HTMLElement).dataset.state)).toBe(
      'running',
    );
    const listed = async (count: number) => {
      await report.waitForFunction(
        (n) =>
          document.querySelectorAll('[data-testid="history-run"]').length === n &&
          // The run on screen is marked once it is kept; before, it is not in the list.
          document.querySelector('[data-testid="history-run"][aria-current="true"]') !== null,
        { timeout: 30_000 },
        count,
      );
      return report.$$eval('[data-testid="history-run"]', (rows) =>
        rows.map((r) => ({
          current: r.getAttribute('aria-current') ?? '',
          href: r.querySelector<HTMLAnchorElement>('[data-testid="history-open"]')?.href ?? '',
        })),
      );
    };

    // The run that was going when the panel opened: listed, as the one shown, once it has ended and been kept.
    await waitForState(report, 'done');
    const [first] = await listed(1);
    expect(first).toEqual({ current: 'true', href: '' });
    const firstId = await report.$eval('[data-testid="history-run"]', (r) => (r as HTMLElement).dataset.runId ?? '');

    // Check again, the panel left open: the first run becomes one to open, and the new run joins once kept.
    await report.click('[data-testid="recheck"]');
    await waitForState(report, 'running');
    await waitForState(report, 'done');
    const [latest, replaced, ...rest] = await listed(2);
    expect(rest).toEqual([]);
    expect(latest).toEqual({ current: 'true', href: '' });
    expect(replaced?.current).toBe('');
    expect(replaced?.href).toContain(`/report.html?run=${firstId}`);
    await report.close();
  });
});
