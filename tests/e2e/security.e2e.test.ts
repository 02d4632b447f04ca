// What the built extension asks for and ships, read from .output/chrome-mv3, and what a web page can reach of it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  clickToolbarIcon,
  EXTENSION_DIR,
  type ExtensionBrowser,
  launchWithExtension,
  openReport,
  readRows,
  readSummary,
  tabIdOf,
  waitForState,
} from './harness';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const manifest = () => JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));

describe('the built extension', () => {
  it('asks for exactly the permissions the README explains', () => {
    const m = manifest();
    expect([...m.permissions].sort()).toEqual([
      'alarms',
      'contextMenus',
      'declarativeNetRequestWithHostAccess',
      'downloads',
      'scripting',
      'storage',
      'webRequest',
    ]);
    expect(m.host_permissions).toEqual(['<all_urls>']);
    // No web page or other extension may message it, and it injects nothing into pages by itself.
    expect(m.externally_connectable).toBeUndefined();
    expect(m.content_scripts).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
  });

  it('has a strict CSP for its pages', () => {
    const csp: string = manifest().content_security_policy.extension_pages;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
    expect(csp).toMatch(/object-src 'self'/);
  });

  it('ships no eval, no Function constructor and no remote script', () => {
    const scripts = filesUnder(EXTENSION_DIR).filter((f) => /\.(js|html)$/.test(f));
    expect(scripts.length).toBeGreaterThan(3);
    for (const file of scripts) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/\beval\s*\(|new Function\s*\(/);
      expect(text, file).not.toMatch(/<script[^>]+src=["']https?:/i);
      expect(text, file).not.toMatch(/import\s*\(\s*["']https?:/);
    }
  });

  it('injects scripts into pages that announce nothing there (no content-script context posting on the window)', () => {
    // WXT's content-script context posts each start on the page's window and document: the page learned a check
    // began, and could stop the script. The injected scripts are unlisted scripts of their own instead.
    for (const name of ['live.js', 'highlight.js']) {
      const text = readFileSync(join(EXTENSION_DIR, name), 'utf8');
      expect(text, name).not.toMatch(/content-script-started|window\.postMessage/);
    }
    expect(manifest().content_scripts).toBeUndefined();
  });
});

describe('from a web page', () => {
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

  it('lets the guard by address stop a first request in Chromium: a request naming the public address space reaches no loopback server', async () => {
    // What the guard relies on (utils/rules/address-guard.ts): from the extension's own worker, a request naming
    // `targetAddressSpace: 'public'` to a name that resolves to loopback fails with net::ERR_FAILED, and nothing of it
    // reaches the server; named `loopback`, the same request is answered. (A name: *.test resolves to 127.0.0.1 here.)
    server.resetStats();
    const worker = await ext.worker();
    const tryIt = (url: string, space: string) =>
      worker.evaluate(
        async (u: string, s: string) => {
          type Details = { url: string; error: string };
          const errors: string[] = [];
          const events = (
            globalThis as unknown as {
              chrome: { webRequest: { onErrorOccurred: { addListener(f: (d: Details) => void, o: object): void } } };
            }
          ).chrome.webRequest.onErrorOccurred;
          events.addListener((d) => d.url === u && errors.push(d.error), { urls: ['<all_urls>'] });
          const outcome = await fetch(u, { targetAddressSpace: s, cache: 'no-store' } as RequestInit).then(
            (r) => `status ${r.status}`,
            (e) => String(e),
          );
          await new Promise((r) => setTimeout(r, 300));
          return { outcome, errors };
        },
        url,
        space,
      );
    const refused = await tryIt(server.url('/ok?space-public', 'rebind.test'), 'public');
    expect(refused).toEqual({ outcome: 'TypeError: Failed to fetch', errors: ['net::ERR_FAILED'] });
    const answered = await tryIt(server.url('/ok?space-loopback', 'rebind.test'), 'loopback');
    expect(answered).toEqual({ outcome: 'status 200', errors: [] });
    expect(server.requests.map((r) => r.path)).toEqual(['/ok?space-loopback']);
  });

  it('sends nothing to a name that resolves into the user network from a public page, not even a first request', async () => {
    // A public page: its tab's recorded server address says so (the machine serves every page from loopback, which
    // counts as a private network whose own links may be checked). The worker reads it anew when it restarts.
    server.resetStats();
    const page = await ext.browser.newPage();
    const pageUrl = server.url('/generate?n=6&hosts=2&tag=public-page', 'www.public-page.test');
    await page.goto(pageUrl);
    const tabId = await tabIdOf(ext, page);
    const worker = await ext.worker();
    await worker.evaluate(async (host: string) => {
      const session = (
        globalThis as unknown as {
          chrome: { storage: { session: { set(items: Record<string, unknown>): Promise<void> } } };
        }
      ).chrome.storage.session;
      await session.set({ 'page-addresses': [[host, '93.184.216.34']] });
    }, new URL(pageUrl).host);
    await worker.close();
    // An extension page's port wakes it again (the toolbar click is sent through the worker).
    await (await openReport(ext, tabId)).close();
    const { popup } = await clickToolbarIcon(ext, page);
    await waitForState(popup, 'done', 30_000);
    expect(await readSummary(popup)).toMatchObject({ total: '6', skipped: '6' });
    await popup.close();
    const report = await openReport(ext, tabId);
    await waitForState(report, 'done');
    const rows = [...(await readRows(report)).values()];
    expect(rows.map((r) => r.reason)).toEqual(Array(6).fill('private-network'));
    await report.close();
    // h0.test and h1.test resolve to 127.0.0.1: before, one request or more reached each of them.
    expect(server.requestsTo('/latency/')).toEqual([]);
    await page.close();
  });

  it('cannot reach the extension at all', async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/basic.html', 'evil.test'));
    const reach = await page.evaluate(async (id: string) => {
      const chromeApi = (globalThis as unknown as { chrome?: { runtime?: { connect?: unknown } } }).chrome;
      const pageResource = await fetch(`chrome-extension://${id}/popup.html`).then(
        () => 'loaded',
        () => 'refused',
      );
      return { connect: typeof chromeApi?.runtime?.connect, pageResource };
    }, ext.extensionId);
    expect(reach).toEqual({ connect: 'undefined', pageResource: 'refused' });
    await page.close();
  });

  it("refuses a port opened under the live script's name by anything but that script in a tab's top frame", async () => {
    server.resetStats();
    // A page of ours in a tab has an id, a tab and frame 0, like the live script: only the script's own place counts.
    const report = await ext.browser.newPage();
    await report.goto(`chrome-extension://${ext.extensionId}/report.html?tab=1`);
    const named = server.url('/ok?named-by-a-forged-live-port', 'ext.test');
    const outcome = await report.evaluate(async (url: string) => {
      type Port = {
        postMessage(m: unknown): void;
        onDisconnect: { addListener(f: () => void): void };
        onMessage: { addListener(f: (m: { type?: string }) => void): void };
      };
      const runtime = (globalThis as unknown as { chrome: { runtime: { connect(o: { name: string }): Port } } }).chrome
        .runtime;
      const until = (ms: number) => new Promise<string>((r) => setTimeout(() => r('still open'), ms));
      // Control: the run port of the same page is answered.
      const run = runtime.connect({ name: 'linkpulse-run' });
      const answered = new Promise<string>((r) => run.onMessage.addListener((m) => r(`answered ${m.type}`)));
      run.postMessage({ type: 'watch', tabId: 1, startIfNone: false });
      const live = runtime.connect({ name: 'linkpulse-live' });
      const cut = new Promise<string>((r) => live.onDisconnect.addListener(() => r('disconnected')));
      try {
        live.postMessage({
          type: 'live-found',
          token: 'guess',
          links: [{ url, occurrences: 1, texts: [] }],
          truncated: false,
          crossOriginFrames: 0,
        });
      } catch {}
      return { run: await Promise.race([answered, until(10_000)]), live: await Promise.race([cut, until(10_000)]) };
    }, named);
    expect(outcome.run).toMatch(/^answered /);
    expect(outcome.live).toBe('disconnected');
    expect(server.requests.some((r) => r.path.includes('named-by-a-forged-live-port'))).toBe(false);
    await report.close();
  });

  it('its pages take no <base> from anyone and cannot be framed, even by another page of its own', async () => {
    const popup = await ext.browser.newPage();
    await popup.goto(`chrome-extension://${ext.extensionId}/popup.html`);
    const result = await popup.evaluate(async (reportUrl: string) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
      const before = document.baseURI;
      const base = document.createElement('base');
      base.href = 'http://evil.test/';
      document.head.prepend(base);
      const after = document.baseURI;
      const frame = document.createElement('iframe');
      const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
      frame.src = reportUrl;
      document.body.append(frame);
      await loaded;
      // A report framed by anyone would be readable here (same origin); a refused frame is an opaque error page.
      let framed: string;
      try {
        framed = frame.contentDocument?.querySelector('#app, [data-testid]') ? 'rendered' : 'not rendered';
      } catch {
        framed = 'not rendered';
      }
      return { baseKept: before === after, violations, framed };
    }, `chrome-extension://${ext.extensionId}/report.html?tab=1`);
    expect(result.baseKept).toBe(true);
    expect(result.violations).toContain('base-uri');
    expect(result.framed).toBe('not rendered');
    await popup.close();
  });
});
