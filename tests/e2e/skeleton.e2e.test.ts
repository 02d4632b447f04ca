// The walking skeleton, end to end: the built extension in Debian's Chromium, a fixture site on loopback, and a
// person's view of it — the toolbar popup and the report page.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  badgeText,
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  readRows,
  readSummary,
  tabIdOf,
  uncaughtErrors,
  waitForState,
} from './harness';

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

async function openPage(path: string, host = 'site.test'): Promise<Page> {
  const page = await ext.browser.newPage();
  await page.goto(server.url(path, host));
  return page;
}

describe('a check of a page with a few dozen links', () => {
  let page: Page;
  let tabId: number;
  const at = (path: string, host: string) => server.url(path, host);

  it('starts when the popup opens and shows rows changing state live', async () => {
    page = await openPage('/pages/basic.html');
    tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    const first = await readSummary(popup);
    expect(first.state).toBe('running');
    expect(first.total).toBe('34');

    // Live: while the hanging link keeps the run going, verdicts arrive and are shown with status and time.
    await popup.waitForFunction(
      () => {
        const el = document.querySelector<HTMLElement>('[data-testid="run-summary"]');
        const checked = Number(el?.dataset.checked);
        return el?.dataset.state === 'running' && checked > 20 && checked < Number(el.dataset.total);
      },
      { timeout: 15_000 },
    );
    const notFound = await popup.waitForSelector(
      `[data-testid="popup-row"][data-url="${at('/status/404', 'a.test')}"][data-verdict="broken"]`,
    );
    const text = await notFound?.evaluate((el) => el.textContent ?? '');
    expect(text).toContain('404');
    expect(text).toMatch(/\d+\s*ms/);
    // Verdicts lead the list as they arrive; the links still waiting (the hanging one among them) are at its end.
    const phases = () =>
      popup.$$eval('[data-testid="popup-row"]', (rows) => rows.map((r) => (r as HTMLElement).dataset.phase));
    expect((await phases())[0]).toBe('done');
    await popup.$eval('.virtual-list', (el) => {
      el.scrollTop = el.scrollHeight;
    });
    await popup.waitForFunction(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="popup-row"]')];
      return rows.at(-1)?.dataset.phase !== 'done';
    });
    const atEnd = await phases();
    expect(atEnd).toContain('done');
    const firstWaiting = atEnd.findIndex((p) => p === 'checking' || p === 'queued');
    expect(firstWaiting).toBeGreaterThan(0);
    expect(atEnd.slice(firstWaiting).every((p) => p === 'checking' || p === 'queued')).toBe(true);
    await popup.close();
  });

  it('shows the same run, still live, when the popup is closed and opened again', async () => {
    // The run's identity as the background keeps it: a second check would be another run (a cached result would
    // satisfy a request count, so the count alone cannot tell).
    const runId = async () =>
      (await ext.worker()).evaluate(async (key: string) => {
        const { session } = (
          globalThis as unknown as {
            chrome: { storage: { session: { get(k: string): Promise<Record<string, { runId?: string }>> } } };
          }
        ).chrome.storage;
        return (await session.get(key))[key]?.runId ?? null;
      }, `run:${tabId}`);
    const firstRun = await runId();
    expect(firstRun).not.toBeNull();
    const before = server.requestsTo('/ok').length;
    const popup = await openPopup(ext, page);
    const again = await readSummary(popup);
    expect(again.state).toBe('running');
    expect(again.total).toBe('34');
    expect(Number(again.checked)).toBeGreaterThan(20);
    // Reopening did not start a second check: nothing new was asked of the healthy hosts.
    expect(server.requestsTo('/ok').length).toBeLessThanOrEqual(before);
    await waitForState(popup, 'done', 40_000);
    expect(await runId()).toBe(firstRun);
    await popup.close();
  });

  it('ends with the right counts, badge and report rows', async () => {
    const popup = await openPopup(ext, page);
    expect(await readSummary(popup)).toEqual({
      state: 'done',
      total: '34',
      checked: '34',
      ok: '20',
      redirected: '1',
      broken: '4',
      blocked: '2',
      error: '3',
      skipped: '4',
    });
    await popup.close();
    expect(await badgeText(ext, tabId)).toBe('4');

    const report = await openReport(ext, tabId);
    await waitForState(report, 'done');
    expect((await readSummary(report)).broken).toBe('4');
    const rows = await readRows(report);
    expect(rows.size).toBe(34);
    const row = (url: string) => {
      const found = rows.get(url);
      if (!found) throw new Error(`no row for ${url}; rows: ${[...rows.keys()].join(' ')}`);
      return found;
    };
    expect(row(at('/ok', 'a.test'))).toMatchObject({ verdict: 'ok', status: '200', occurrences: '3', reason: '' });
    expect(row(at('/ok', 'site.test'))).toMatchObject({ verdict: 'ok', finalUrl: at('/ok', 'site.test') });
    expect(row(at('/head-405', 'a.test'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(row(at('/slow/1500', 'b.test'))).toMatchObject({ verdict: 'ok' });
    expect(Number(row(at('/slow/1500', 'b.test')).ms)).toBeGreaterThanOrEqual(1500);
    expect(row(at('/redirect/2', 'a.test'))).toMatchObject({
      verdict: 'redirected',
      status: '200',
      finalUrl: at('/ok', 'a.test'),
    });
    expect(row(at('/status/404', 'a.test'))).toMatchObject({ verdict: 'broken', status: '404', occurrences: '2' });
    expect(row(at('/status/500', 'a.test'))).toMatchObject({ verdict: 'broken', status: '500', reason: 'status' });
    expect(row(at('/doc-with-ids#intro', 'a.test'))).toMatchObject({ verdict: 'ok' });
    expect(row(at('/doc-with-ids#nope', 'a.test'))).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    expect(row(at('/pages/basic.html#present', 'site.test'))).toMatchObject({ verdict: 'ok', status: '' });
    expect(row(at('/pages/basic.html#absent', 'site.test'))).toMatchObject({
      verdict: 'broken',
      reason: 'fragment-missing',
    });
    expect(row(at('/auth', 'b.test'))).toMatchObject({ verdict: 'blocked', status: '401', reason: 'auth' });
    expect(row(at('/bot-challenge', 'b.test'))).toMatchObject({ verdict: 'blocked', reason: 'bot-challenge' });
    expect(row(at('/hang', 'b.test'))).toMatchObject({ verdict: 'error', reason: 'timeout', status: '', finalUrl: '' });
    expect(Number(row(at('/hang', 'b.test')).ms)).toBeLessThanOrEqual(30_000);
    expect(row(at('/reset', 'a.test'))).toMatchObject({ verdict: 'error', reason: 'connection' });
    expect(row(at('/', 'nx.test'))).toMatchObject({ verdict: 'error', reason: 'dns' });
    expect(row('mailto:someone@example.com')).toMatchObject({ verdict: 'skipped', reason: 'scheme' });
    expect(row('javascript:void(0)')).toMatchObject({ verdict: 'skipped', reason: 'scheme' });
    expect(row(at('/ok', '127.0.0.1'))).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
    // Links in an image map and inside an open shadow root are found too.
    expect(row(at('/ok?from=area', 'd.test')).verdict).toBe('ok');
    expect(row(at('/ok?from=shadow', 'd.test')).verdict).toBe('ok');
    await report.close();
  });

  it('was polite: never more than 6 requests in flight to one host, nothing sent to loopback by name', () => {
    for (const max of Object.values(server.maxInFlightByHost())) expect(max).toBeLessThanOrEqual(6);
    expect(server.maxInFlightByHost()['c.test']).toBeGreaterThan(1);
    expect(server.requests.filter((r) => r.host === '127.0.0.1' && !r.path.startsWith('/pages/'))).toEqual([]);
    expect(server.requests.filter((r) => r.path.startsWith('/ok?from=area'))).toHaveLength(1);
  });

  it('starts a fresh run on Re-check, asking the servers again', async () => {
    const popup = await openPopup(ext, page);
    server.resetStats();
    await popup.click('[data-testid="recheck"]');
    await waitForState(popup, 'running', 5_000);
    await popup.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="run-summary"]')?.dataset.checked) >= 30,
    );
    expect(server.requestsTo('/status/404').length).toBeGreaterThan(0);
    await popup.click('[data-testid="cancel"]');
    await waitForState(popup, 'cancelled', 5_000);
    // The badge follows the new run: its broken count so far.
    const broken = (await readSummary(popup)).broken;
    expect(await badgeText(ext, tabId)).toBe(broken === '0' ? '' : broken);
    await popup.close();
    await page.close();
  });
});

describe('what the background sends the popup', () => {
  it('sends every link once in the snapshot, then only the links whose state changed', async () => {
    const links = 300;
    const page = await openPage(`/generate?n=${links}&hosts=3&latency=50`, 'gen.test');
    const tabId = await tabIdOf(ext, page);
    // The popup as a page of its own (popup.html?tab=), with every message from its run port recorded before its own
    // script connects.
    const popup = await ext.browser.newPage();
    await popup.evaluateOnNewDocument(() => {
      type Message = { type: string; entries?: unknown[]; changes?: [number, { phase: string }][] };
      const seen: { type: string; entries?: number; phases?: string[] }[] = [];
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      const runtime = (
        globalThis as unknown as {
          chrome: {
            runtime: { connect(...args: unknown[]): { onMessage: { addListener(l: (m: Message) => void): void } } };
          };
        }
      ).chrome.runtime;
      const connect = runtime.connect.bind(runtime);
      runtime.connect = (...args: unknown[]) => {
        const port = connect(...args);
        port.onMessage.addListener((m) =>
          seen.push({ type: m.type, entries: m.entries?.length, phases: m.changes?.map(([, e]) => e.phase) }),
        );
        return port;
      };
    });
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html?tab=${tabId}`);
    await waitForState(popup, 'done', 30_000);
    const seen = await popup.evaluate(
      () => (window as unknown as { __seen: { type: string; entries?: number; phases?: string[] }[] }).__seen,
    );
    expect(seen[0]).toMatchObject({ type: 'snapshot', entries: links });
    const updates = seen.filter((m) => m.type === 'update');
    expect(updates.length).toBeGreaterThan(1);
    const phases = updates.flatMap((m) => m.phases ?? []);
    // Links wait as "queued" in the snapshot already: no update repeats that.
    expect(phases.filter((p) => p === 'queued')).toEqual([]);
    expect(phases.filter((p) => p === 'done').length).toBeGreaterThanOrEqual(links);
    await popup.close();
    await page.close();
  });
});

describe('pages with nothing ordinary about them', () => {
  it('resolves links against <base> as the browser does', async () => {
    const page = await openPage('/pages/base.html');
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 20_000);
    await popup.close();
    const report = await openReport(ext, await tabIdOf(ext, page));
    const rows = await readRows(report);
    expect([...rows.keys()].sort()).toEqual([server.url('/docs/page#part', 'b.test'), server.url('/ok', 'b.test')]);
    expect(rows.get(server.url('/ok', 'b.test'))?.verdict).toBe('ok');
    await report.close();
    await page.close();
  });

  it('says so when a page has no links', async () => {
    const page = await openPage('/pages/no-links.html');
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 10_000);
    expect((await readSummary(popup)).total).toBe('0');
    const notice = await popup.$eval('[data-testid="no-links"]', (el) => el.textContent ?? '');
    expect(notice).toMatch(/no links/i);
    await popup.close();
    await page.close();
  });

  it('explains, instead of failing, on a page the browser does not let extensions read', async () => {
    const page = await ext.browser.newPage();
    await page.goto('chrome://version');
    const popup = await openPopup(ext, page);
    const message = await popup.$eval('[data-testid="unavailable"]', (el) => el.textContent ?? '');
    expect(message).toMatch(/can't|cannot|not allowed|does not allow/i);
    expect(await uncaughtErrors(popup)).toEqual([]);
    await popup.close();
    await page.close();
  });
});
