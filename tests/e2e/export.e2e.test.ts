// Exports as a person gets them: click a button, read the file the browser saved.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../utils/report/csv';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { parseCsv } from '../support/parse-csv';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  type Row,
  readRows,
  tabIdOf,
  waitForState,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let report: Page;
let rows: Map<string, Row>;
let pageUrl: string;

/** Waits for one new, complete file with this extension in the download folder; returns its path. */
async function downloaded(ext: ExtensionBrowser, suffix: string, before: Set<string>): Promise<string> {
  const deadline = Date.now() + 15_000;
  let lastSize = -1;
  while (Date.now() < deadline) {
    const fresh = readdirSync(ext.downloadDir).filter((f) => f.endsWith(suffix) && !before.has(f));
    const [name] = fresh;
    if (fresh.length === 1 && name) {
      const path = join(ext.downloadDir, name);
      const size = existsSync(path) ? statSync(path).size : -1;
      if (size > 0 && size === lastSize) return path;
      lastSize = size;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No ${suffix} file appeared in ${ext.downloadDir}: ${readdirSync(ext.downloadDir).join(', ')}`);
}

/** Reads a saved file and removes it, so the next save of the same name is a new file again. */
function takeFile(path: string): string {
  const text = readFileSync(path, 'utf8');
  rmSync(path);
  return text;
}

async function exportFrom(page: Page, format: 'json' | 'csv' | 'md' | 'html'): Promise<{ name: string; text: string }> {
  const before = new Set(readdirSync(ext.downloadDir));
  await page.click(`[data-testid="export-${format}"]`);
  const path = await downloaded(ext, `.${format}`, before);
  return { name: path.slice(ext.downloadDir.length + 1), text: takeFile(path) };
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  const page = await ext.browser.newPage();
  pageUrl = server.url('/pages/tricky-export.html', 'site.test');
  await page.goto(pageUrl);
  const popup = await openPopup(ext, page);
  await waitForState(popup, 'done', 30_000);
  await popup.close();
  report = await openReport(ext, await tabIdOf(ext, page));
  await waitForState(report, 'done');
  rows = await readRows(report);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('exports from the report page', () => {
  const today = new Date().toISOString().slice(0, 10);

  it('saves JSON with the contract schema and the same values as the rows', async () => {
    const { name, text } = await exportFrom(report, 'json');
    expect(name).toBe(`linkpulse-site.test-${today}.json`);
    const json = JSON.parse(text);
    expect(json.page).toEqual({ url: pageUrl, title: 'Tricky "export" <script>alert(1)</script>, page' });
    expect(Date.parse(json.startedAt)).toBeLessThanOrEqual(Date.parse(json.finishedAt));
    expect(json.settings).toMatchObject({ perHostConcurrency: 6, privateNetworkGuard: true, detectSoft404: true });
    expect(Object.keys(json)).toEqual([
      'tool',
      'version',
      'page',
      'startedAt',
      'finishedAt',
      'settings',
      'summary',
      'links',
    ]);
    expect(json.summary).toEqual({
      state: 'done',
      total: 8,
      checked: 8,
      ok: 3,
      redirected: 1,
      broken: 2,
      blocked: 1,
      error: 0,
      skipped: 1,
      newProblems: 0,
    });
    expect(json.links).toHaveLength(rows.size);
    for (const link of json.links) {
      expect(Object.keys(link)).toEqual([
        'url',
        'verdict',
        'status',
        'finalUrl',
        'ms',
        'occurrences',
        'reason',
        'redirects',
        'attempts',
        'texts',
        'cached',
        'errorText',
        'note',
        'change',
      ]);
      const row = rows.get(link.url);
      expect(row, link.url).toBeDefined();
      expect({
        verdict: link.verdict,
        status: String(link.status ?? ''),
        finalUrl: link.finalUrl ?? '',
        ms: String(link.ms),
        occurrences: String(link.occurrences),
        reason: link.reason,
      }).toEqual({
        verdict: row?.verdict,
        status: row?.status,
        finalUrl: row?.finalUrl,
        ms: row?.ms,
        occurrences: row?.occurrences,
        reason: row?.reason,
      });
      // Requests sent: none for a skipped link, at least one for every checked one.
      if (link.verdict === 'skipped') expect(link.attempts).toBe(0);
      else expect(link.attempts).toBeGreaterThanOrEqual(1);
    }
    // Each hop: the URL that answered and its status, in order; the final URL is where the chain ended.
    const moved = json.links.find((l: { url: string }) => l.url === server.url('/redirect-301/2', 'c.test'));
    expect(moved).toMatchObject({
      verdict: 'redirected',
      status: 200,
      finalUrl: server.url('/ok', 'c.test'),
      reason: 'redirect',
      redirects: [
        { url: server.url('/redirect-301/2', 'c.test'), status: 301 },
        { url: server.url('/redirect-301/1', 'c.test'), status: 301 },
      ],
    });
    expect(json.links.filter((l: { redirects: unknown[] }) => l.redirects.length > 0)).toHaveLength(1);
  });

  it('saves CSV that a strict parser reads back to the same rows, with a BOM', async () => {
    const { text } = await exportFrom(report, 'csv');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, ...records] = parseCsv(text.slice(1));
    expect(header).toEqual([...CSV_HEADER]);
    expect(records).toHaveLength(rows.size);
    const byUrl = new Map(records.map((r) => [r[0], r]));
    for (const row of rows.values()) {
      // A URL starting with = would be guarded with a leading quote; none of these do.
      expect(byUrl.get(row.url)?.slice(1, 7)).toEqual([
        row.verdict,
        row.status,
        row.finalUrl,
        row.ms,
        row.occurrences,
        row.reason,
      ]);
    }
    const multiline = records.find((r) => r[0] === server.url('/auth', 'b.test'));
    // Link texts are whitespace-collapsed at collection; line breaks inside fields are covered by the unit tests.
    expect(multiline?.[9]).toBe('a text spanning lines');
    const formula = records.find((r) => r[0]?.includes('cell='));
    expect(formula?.[9]).toBe(`'=HYPERLINK("http://evil.test")`);
  });

  it('saves Markdown with the problems table first', async () => {
    const { text } = await exportFrom(report, 'md');
    const problems = text.indexOf('## Problems (3)');
    expect(problems).toBeGreaterThan(0);
    expect(text.indexOf('## Summary')).toBeGreaterThan(problems);
    expect(text.indexOf('## Other links (5)')).toBeGreaterThan(text.indexOf('## Summary'));
    expect(text).toContain(server.url('/status/410', 'a.test'));
  });

  it('saves HTML that is readable and inert: no script runs, hostile text shows as text', async () => {
    const { name, text } = await exportFrom(report, 'html');
    const viewer = await ext.browser.newPage();
    const errors: string[] = [];
    viewer.on('pageerror', (e) => errors.push(String(e)));
    viewer.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    const copy = join(ext.downloadDir, `viewed-${name}`);
    writeFileSync(copy, text);
    await viewer.goto(`file://${copy}`);
    const seen = await viewer.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: document.scripts.length,
      handlers: document.querySelectorAll('[onerror], [onclick], [onload]').length,
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader of the file sees.
      body: document.body.innerText,
    }));
    expect(seen.pwned).toBeUndefined();
    expect(seen).toMatchObject({ scripts: 0, handlers: 0 });
    expect(seen.body).toContain('<script>window.__pwned=1</script>');
    expect(seen.body).toContain('<img src=x onerror="window.__pwned=1">');
    expect(seen.body).toContain('ünïcödé ✓ 日本語');
    expect(errors).toEqual([]);
    expect(text).not.toMatch(/<script/i);
    await viewer.close();
  });

  it('exports only the problems when asked', async () => {
    await report.bringToFront();
    await report.select('[data-testid="export-scope"]', 'problems');
    const { text } = await exportFrom(report, 'csv');
    const urls = parseCsv(text.slice(1))
      .slice(1)
      .map((r) => r[0])
      .sort();
    const problems = [...rows.values()]
      .filter((r) => ['broken', 'blocked', 'error'].includes(r.verdict))
      .map((r) => r.url)
      .sort();
    expect(urls).toEqual(problems);
    expect(urls).toHaveLength(3);
    await report.select('[data-testid="export-scope"]', 'all');
  });

  it('copies the problem URLs, one per line', async () => {
    await ext.browser
      .defaultBrowserContext()
      .overridePermissions(`chrome-extension://${ext.extensionId}`, ['clipboard-read', 'clipboard-write']);
    await report.bringToFront();
    await report.click('[data-testid="copy-problems"]');
    await report.waitForFunction(() =>
      document.querySelector('[data-testid="export-status"]')?.textContent?.startsWith('Copied'),
    );
    expect(await report.$eval('[data-testid="export-status"]', (el) => el.textContent)).toBe('Copied 3 links');
    const copied = await report.evaluate(() => navigator.clipboard.readText());
    const problems = [...rows.values()].filter((r) => ['broken', 'blocked', 'error'].includes(r.verdict));
    expect(copied.split('\n').sort()).toEqual(problems.map((r) => r.url).sort());
  });
});

describe('exports from the popup', () => {
  it('saves the same report from the popup', async () => {
    const page = (await ext.browser.pages()).find((p) => p.url() === pageUrl);
    if (!page) throw new Error('the checked page is gone');
    const popup = await openPopup(ext, page);
    await popup.click('.export-panel > summary');
    // The popup saves the file itself, through the download manager: no report page is opened to do it.
    const pagesBefore = (await ext.browser.pages()).length;
    const before = new Set(readdirSync(ext.downloadDir));
    await popup.select('[data-testid="export-scope"]', 'problems');
    await popup.click('[data-testid="export-json"]');
    const json = JSON.parse(takeFile(await downloaded(ext, '.json', before)));
    expect(json.page.url).toBe(pageUrl);
    expect(json.links).toHaveLength(3);
    expect(json.summary.total).toBe(8);
    expect(await ext.browser.pages()).toHaveLength(pagesBefore);
  });
});
