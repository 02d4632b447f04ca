// Live pages in Chromium: links that join the page after the click (timers, scrolling, a route change, a frame added
// later), same-origin frames at any depth, SVG links, frames from other sites counted and not read, and a page that
// never stops changing: what it costs the page and the worker, and that nothing follows the page once nobody looks.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  readRows,
  readSummary,
  tabIdOf,
} from './harness';
import { busyMs, type CpuProfile, timeInScript } from './profile';

let server: FixtureServer;
let ext: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
}, 60_000);
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

/** The toolbar popup closes by itself when another page takes the focus (a report page opening). */
async function closeIfOpen(page: Page): Promise<void> {
  if (!page.isClosed()) await page.close().catch(() => {});
}

/** Waits until the summary says `total` links, every one with its verdict (`done`). */
async function waitForDone(page: Page, total: number, timeout = 30_000): Promise<void> {
  await page.waitForSelector(`[data-testid="run-summary"][data-state="done"][data-total="${total}"]`, { timeout });
}

describe('links that join the page later', () => {
  let page: Page;
  let popup: Page;
  let report: Page;
  let tabId: number;
  const at = (path: string, host = 'a.test') => server.url(path, host);

  it('joins links added 1 s and 3 s after the click to the same run, and keeps the one that left', async () => {
    page = await ext.browser.newPage();
    // What the page's own scripts hear on its window and document while Linkpulse's script is injected: nothing.
    await page.evaluateOnNewDocument(() => {
      const heard: string[] = [];
      (window as unknown as { __heard: string[] }).__heard = heard;
      window.addEventListener('message', (event) => heard.push(`message ${JSON.stringify(event.data)}`), true);
    });
    await page.goto(server.url('/pages/live-later.html', 'site.test'));
    tabId = await tabIdOf(ext, page);
    popup = await openPopup(ext, page);
    await page.evaluate(() => (window as unknown as { addLater(): void }).addLater());
    await waitForDone(popup, 1);
    // The run was done with one link; the two later ones make it run again, then done again with the popup open.
    await waitForDone(popup, 2, 10_000);
    await waitForDone(popup, 3, 10_000);
    expect(await readSummary(popup)).toMatchObject({ state: 'done', total: '3', checked: '3', ok: '2', broken: '1' });
    // The report page takes the focus, and the toolbar popup closes, as it does for a person: the report watches now.
    report = await openReport(ext, tabId);
    await waitForDone(report, 3);
    const rows = await readRows(report);
    expect(rows.get(at('/ok?at=load'))?.verdict).toBe('ok');
    // Removed from the page at 3 s: its row stays.
    expect(rows.get(at('/ok?at=1s'))?.verdict).toBe('ok');
    expect(await page.$('#first-late')).toBeNull();
    expect(rows.get(at('/status/404?at=3s', 'b.test'))).toMatchObject({ verdict: 'broken', status: '404' });
    // The page itself posts nothing: whatever came to its window came from the injected script.
    expect(await page.evaluate(() => (window as unknown as { __heard: string[] }).__heard)).toEqual([]);
  });

  it('joins a link revealed by scrolling', async () => {
    // Scroll events come with the rendering of a page in front, as for a person scrolling it.
    await page.bringToFront();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await until(() => server.requestsTo('/ok?at=scroll').length > 0, 'the revealed link is checked');
    await report.bringToFront();
    await waitForDone(report, 4, 10_000);
  });

  it('stops following once the run is done and no Linkpulse page is open, and catches up when one opens', async () => {
    await closeIfOpen(popup);
    await report.close();
    // Let the background hear the popup close and tell the page to stop.
    await new Promise((r) => setTimeout(r, 1000));
    await page.evaluate(() => (window as unknown as { addUnwatched(): void }).addUnwatched());
    await new Promise((r) => setTimeout(r, 2500));
    expect(server.requestsTo('/ok?at=unwatched')).toHaveLength(0);
    report = await openReport(ext, tabId);
    await waitForDone(report, 5);
    expect((await readRows(report)).get(at('/ok?at=unwatched'))?.verdict).toBe('ok');
    await report.close();
    await page.close();
  });
});

describe('a single-page app changing route with pushState', () => {
  it('keeps the rows, covers the new address, checks its links; a real navigation ends the run', async () => {
    const page = await ext.browser.newPage();
    const start = server.url('/pages/live-spa.html', 'spa.test');
    await page.goto(start);
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForDone(popup, 2);
    await page.evaluate(() => (window as unknown as { go(route: string): void }).go('second'));
    await waitForDone(popup, 4, 15_000);
    await page.evaluate(() => (window as unknown as { go(route: string, replace: boolean): void }).go('third', true));
    await waitForDone(popup, 5, 15_000);
    const report = await openReport(ext, tabId);
    await waitForDone(report, 5);
    const rows = await readRows(report);
    expect(rows.get(server.url('/status/404?route=first', 'a.test'))?.verdict).toBe('broken');
    expect(rows.get(server.url('/redirect/1?route=second', 'b.test'))?.verdict).toBe('redirected');
    expect(rows.get(server.url('/ok?route=third', 'c.test'))?.verdict).toBe('ok');
    const covered = await report.$eval('[data-testid="covered-addresses"]', (el) => el.textContent ?? '');
    expect(covered).toContain(server.url('/pages/live-spa.html?view=second', 'spa.test'));
    expect(covered).toContain(server.url('/pages/live-spa.html?view=third', 'spa.test'));
    // Another document: the run ends as before.
    await page.goto(server.url('/pages/no-links.html', 'spa.test'));
    await report.waitForSelector('[data-testid="unavailable"]', { timeout: 10_000 });
    await closeIfOpen(popup);
    await report.close();
    await page.close();
  });
});

describe('open shadow roots', () => {
  it('collects links in a shadow root, and follows it, and a component defined after the click', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/live-shadow.html', 'shadow.test'));
    const popup = await openPopup(ext, page);
    await waitForDone(popup, 1);
    await page.evaluate(() => (window as unknown as { addInShadow(): void }).addInShadow());
    await waitForDone(popup, 2, 10_000);
    await page.evaluate(() => (window as unknown as { defineLater(): void }).defineLater());
    await waitForDone(popup, 3, 10_000);
    expect(server.requestsTo('/ok?shadow=upgraded').length).toBeGreaterThan(0);
    await closeIfOpen(popup);
    await page.close();
  });
});

describe('a page reloaded while its report is open', () => {
  it('follows the reloaded page: a link it adds joins the run', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/live-later.html', 'reload.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForDone(popup, 1);
    const report = await openReport(ext, tabId);
    await closeIfOpen(popup);
    await waitForDone(report, 1);
    await page.reload();
    await new Promise((r) => setTimeout(r, 1000));
    await page.evaluate(() => (window as unknown as { addUnwatched(): void }).addUnwatched());
    await waitForDone(report, 2, 10_000);
    await report.close();
    await page.close();
  });
});

describe('frames and SVG', () => {
  it('reads same-origin frames at any depth and SVG links, and counts the frame from another site', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/live-frames.html', 'site.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForDone(popup, 6);
    const report = await openReport(ext, tabId);
    await waitForDone(report, 6);
    const rows = await readRows(report);
    const frameUrl = server.url('/pages/live-frame-inner.html', 'site.test');
    expect([...rows.keys()].sort()).toEqual(
      [
        server.url('/ok?in=top', 'a.test'),
        server.url('/ok?in=svg-href', 'a.test'),
        server.url('/status/404?in=svg-xlink', 'a.test'),
        server.url('/ok?in=frame', 'a.test'),
        `${frameUrl}#in-frame-missing`,
        server.url('/ok?in=nested-frame', 'b.test'),
      ].sort(),
    );
    expect(rows.get(server.url('/status/404?in=svg-xlink', 'a.test'))?.verdict).toBe('broken');
    // A fragment into the frame's own document is judged on that document.
    expect(rows.get(`${frameUrl}#in-frame-missing`)).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    const frameOf = (url: string) =>
      report.$eval(`[data-testid="link-row"][data-url="${url}"]`, (el) => (el as HTMLElement).dataset.frame ?? '');
    expect(await frameOf(server.url('/ok?in=frame', 'a.test'))).toBe(frameUrl);
    expect(await frameOf(server.url('/ok?in=nested-frame', 'b.test'))).toBe(
      server.url('/pages/live-frame-nested.html', 'site.test'),
    );
    expect(await frameOf(server.url('/ok?in=top', 'a.test'))).toBe('');
    expect(await report.$eval('[data-testid="cross-origin-frames"]', (el) => el.textContent)).toMatch(
      /^1 frame from another site was not read/,
    );
    expect(server.requestsTo('/ok?in=cross-origin-frame')).toHaveLength(0);

    // A frame added later: its link joins.
    await page.evaluate(() => (window as unknown as { addFrame(): void }).addFrame());
    await waitForDone(report, 7, 15_000);
    expect((await readRows(report)).get(server.url('/ok?in=late-frame', 'c.test'))?.verdict).toBe('ok');
    await report.close();
    await closeIfOpen(popup);
    await page.close();
  });
});

describe('a page that changes 1000 times a second', () => {
  it('costs the page and the worker little, keeps the popup responsive, and nothing once nobody looks', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/live-churn.html', 'churn.test'));
    const popup = await openPopup(ext, page);
    await waitForDone(popup, 1);
    const worker = await ext.worker();
    const pageCdp = await page.createCDPSession();
    const workerCdp = worker.client;
    const profile = async (run: () => Promise<unknown>) => {
      await Promise.all([pageCdp.send('Profiler.enable'), workerCdp.send('Profiler.enable')]);
      await Promise.all([pageCdp.send('Profiler.start'), workerCdp.send('Profiler.start')]);
      const started = Date.now();
      const value = await run();
      const wallMs = Date.now() - started;
      const [pageProfile, workerProfile] = await Promise.all([
        pageCdp.send('Profiler.stop') as Promise<{ profile: CpuProfile }>,
        workerCdp.send('Profiler.stop') as Promise<{ profile: CpuProfile }>,
      ]);
      return { value, wallMs, page: pageProfile.profile, worker: workerProfile.profile };
    };

    // While the popup is open: the page changes 1000 times a second for 10 s and gains a link every 100 ms.
    const latencies: number[] = [];
    let churning = true;
    const probe = (async () => {
      while (churning) {
        const sent = Date.now();
        await popup.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
        latencies.push(Date.now() - sent);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    type Churned = { mutations: number; added: number };
    const watched = await profile(() =>
      page.evaluate(() => (window as unknown as { churn(s: number): Promise<Churned> }).churn(10)),
    );
    churning = false;
    await probe;
    const { mutations, added } = watched.value as Churned;
    expect(added).toBeGreaterThanOrEqual(90);
    await waitForDone(popup, 1 + added, 30_000);
    const watcherMs = timeInScript(watched.page, '/live.js');
    const workerMs = busyMs(watched.worker);
    const report = {
      mutations,
      wallMs: watched.wallMs,
      watcherMs: Math.round(watcherMs),
      workerMs: Math.round(workerMs),
      popupFrameMaxMs: Math.max(...latencies),
      popupFrameMedianMs: latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)],
    };
    console.log('live churn, watched:', JSON.stringify(report));
    expect(report.mutations).toBeGreaterThanOrEqual(9000);
    // The watcher scans at most about once a second and rests 20× a scan's cost: well under 5 % of the page's time.
    expect(watcherMs).toBeLessThan(0.05 * watched.wallMs);
    // The worker hears one message per scan with only the new links: a few percent of one core at most.
    expect(workerMs).toBeLessThan(0.1 * watched.wallMs);
    // A frame of the popup never waits long behind the stream of updates.
    expect(report.popupFrameMaxMs).toBeLessThan(500);

    // Nobody looks: the popup closed and the run done. The page goes on changing; nothing follows it.
    await closeIfOpen(popup);
    await new Promise((r) => setTimeout(r, 1500));
    const before = server.requestsTo('/ok?churn=').length;
    const unwatched = await profile(() =>
      page.evaluate(() => (window as unknown as { churn(s: number): Promise<unknown> }).churn(3)),
    );
    const idleMs = timeInScript(unwatched.page, '/live.js');
    console.log('live churn, unwatched:', JSON.stringify({ watcherMs: idleMs, wallMs: unwatched.wallMs }));
    expect(idleMs).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(server.requestsTo('/ok?churn=').length).toBe(before);
    await pageCdp.detach();
    await page.close();
  });
});
