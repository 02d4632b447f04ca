// Soft 404s in Chromium: a public page linking to real-shaped sites that answer dead addresses in each way sites do
// (a 200 not-found page, a redirect to the home page, a redirect to a /404 page answering 200) and to every trap that
// must not be called one (a shared template, /account → /login?next=, a post titled "404 errors explained",
// / → /en/, an app shell, a sign-in wall). Read as a person sees it: the report's rows and a row's details.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { caseUrl, SOFT_404_CASES } from '../fixtures/soft-404-sites';
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
let page: Page;
let rows: Map<string, Row>;
const PROBE_PATH = /^\/[a-z]{20}$/;

/** Checks the page through the popup (a re-check when asked) and returns the report page's rows. */
async function checkAndRead(recheck = false): Promise<Map<string, Row>> {
  const popup = await openPopup(ext, page);
  if (recheck) {
    await waitForState(popup, 'done', 60_000);
    await popup.click('[data-testid="recheck"]');
    await waitForState(popup, 'running', 10_000);
  }
  await waitForState(popup, 'done', 60_000);
  await popup.close();
  const report = await openReport(ext, await tabIdOf(ext, page));
  await waitForState(report, 'done');
  const result = await readRows(report);
  await report.close();
  return result;
}

/** The details of one row in the popup, as text. */
async function details(url: string): Promise<string> {
  const popup = await openPopup(ext, page);
  try {
    await waitForState(popup, 'done', 10_000);
    await popup.type('[data-testid="search"]', url);
    const button = `[data-testid="popup-row"][data-url="${url}"] button`;
    await popup.waitForSelector(button, { visible: true });
    await popup.click(button);
    await popup.waitForSelector('[data-testid="link-details"]');
    return await popup.$eval('[data-testid="link-details"]', (el) => el.textContent ?? '');
  } finally {
    await popup.close();
  }
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  page = await ext.browser.newPage();
  // A public page (a *.test name): redirects are followed hop by hop, as for any page on the web.
  await page.goto(server.url('/soft-404-cases', 'soft404.test'));
  rows = await checkAndRead();
}, 120_000);
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('soft 404s in Chromium', () => {
  it.each(SOFT_404_CASES.filter((c) => c.soft404))('calls $site$path broken / soft-404 ($what)', (c) => {
    const row = rows.get(caseUrl(c, server.port));
    expect(row).toMatchObject({ verdict: 'broken', reason: 'soft-404', status: '200' });
  });

  it.each(SOFT_404_CASES.filter((c) => !c.soft404))('does not call $site$path a soft 404 ($what)', (c) => {
    const row = rows.get(caseUrl(c, server.port));
    expect(['ok', 'redirected'], JSON.stringify(row)).toContain(row?.verdict);
  });

  it('keeps the final address a dead link landed on', () => {
    const docs = rows.get(caseUrl({ site: 'docs-site', path: '/docs/v1/old-guide/' }, server.port));
    expect(docs?.finalUrl).toBe(`http://docs-site.test:${server.port}/404.html`);
    const home = rows.get(caseUrl({ site: 'corp-home', path: '/services/old-offer/' }, server.port));
    expect(home?.finalUrl).toBe(`http://corp-home.test:${server.port}/`);
  });

  it('says why in the details', async () => {
    const text = await details(caseUrl({ site: 'wp-blog', path: '/2023/01/deleted-post/' }, server.port));
    expect(text).toContain(
      "Soft 404: same page as a path that does not exist: title 'Page not found – Pulse Blog', 100 % similar.",
    );
  });

  it('keeps a page only somewhat like the not-found page ok, and says what it is like', async () => {
    const url = caseUrl({ site: 'wp-blog', path: '/tag/kettles/' }, server.port);
    expect(rows.get(url)?.verdict).toBe('ok');
    expect(await details(url)).toMatch(/Possibly a soft 404: looks somewhat like this host's page for a path that/);
  });

  it('learns each host with at most three requests to paths the page does not link, hops included', () => {
    const sites = new Set(SOFT_404_CASES.map((c) => c.site));
    for (const site of sites) {
      const host = `${site}.test`;
      const known = new Set<string>();
      for (const row of rows.values()) {
        for (const u of [row.url, row.finalUrl]) {
          const parsed = URL.parse(u);
          if (parsed?.hostname === host) known.add(parsed.pathname + parsed.search);
        }
      }
      const unlinked = server.requests.filter((r) => r.host === host && !known.has(r.path)).map((r) => r.path);
      expect(
        unlinked.filter((p) => PROBE_PATH.test(p)),
        site,
      ).toHaveLength(1);
      expect(unlinked.length, `${site}: ${unlinked.join(', ')}`).toBeLessThanOrEqual(3);
    }
  });

  it('reads no page of an honest host: its link one GET cut off after the headers, its probe one GET', () => {
    const honest = server.requests.filter((r) => r.host === 'honest.test');
    expect(honest.map((r) => `${r.method} ${PROBE_PATH.test(r.path) ? '<probe>' : r.path}`).sort()).toEqual([
      'GET /doc-with-ids',
      'GET <probe>',
    ]);
    expect(rows.get(`http://honest.test:${server.port}/doc-with-ids`)?.verdict).toBe('ok');
  });

  it('turns off on the options page: no probe, and the planted soft 404s pass as the others do', async () => {
    const options = await ext.browser.newPage();
    try {
      await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
      const box = '[data-testid="opt-detectSoft404"]';
      await options.waitForSelector(box);
      expect(await options.$eval(box, (el) => (el as HTMLInputElement).checked)).toBe(true);
      await options.click(box);
      await options.click('[data-testid="save"]');
      await options.waitForFunction(() => document.body.textContent?.includes('Saved'), { timeout: 10_000 });
      server.resetStats();
      const off = await checkAndRead(true);
      for (const c of SOFT_404_CASES) {
        expect(['ok', 'redirected'], `${c.site}${c.path}`).toContain(off.get(caseUrl(c, server.port))?.verdict);
      }
      expect(server.requests.filter((r) => PROBE_PATH.test(r.path))).toEqual([]);
    } finally {
      await options.click('[data-testid="opt-detectSoft404"]');
      await options.click('[data-testid="save"]');
      await options.close();
    }
  });
});
