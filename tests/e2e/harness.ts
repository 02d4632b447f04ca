import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../../.output/chrome-mv3');

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  downloadDir: string;
  /** The extension's service worker; found again after it was stopped and restarted. */
  worker(): Promise<WebWorker>;
  close(): Promise<void>;
}

/**
 * Launches Debian's Chromium with the built extension (or another unpacked one: the benchmark's baseline); fails loudly
 * when the extension did not load.
 */
export async function launchWithExtension(
  extraArgs: string[] = [],
  extensionDir = EXTENSION_DIR,
): Promise<ExtensionBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'linkpulse-profile-'));
  const downloadDir = mkdtempSync(join(tmpdir(), 'linkpulse-downloads-'));
  const root = process.getuid?.() === 0;
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
    headless: true,
    pipe: true,
    enableExtensions: true,
    args: [
      ...(root ? ['--no-sandbox'] : []),
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      // Every *.test name reaches the local fixture server: many "hosts", one loopback server.
      '--host-resolver-rules=MAP nx.test ~NOTFOUND, MAP *.test 127.0.0.1',
      ...extraArgs,
    ],
  });
  const findWorker = async () => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const target = await browser
        .waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), {
          timeout: 15_000,
        })
        .catch(() => {
          throw new Error(`The extension's service worker did not start: is ${extensionDir} built (npm run build)?`);
        });
      const worker = await target.worker();
      if (!worker) throw new Error('The service worker target has no worker');
      // A worker a test stopped a moment ago can still be listed while the one the next event woke starts: only one
      // that answers is taken (evaluating in the stopped one fails: "Execution context is not available").
      if (await worker.evaluate(() => true).catch(() => false)) return worker;
      if (Date.now() > deadline) throw new Error("The extension's service worker is listed but does not answer");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const first = await findWorker();
  const extensionId = new URL(first.url()).host;
  const cdp = await browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir, eventsEnabled: true });
  return {
    browser,
    extensionId,
    downloadDir,
    worker: findWorker,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(downloadDir, { recursive: true, force: true });
    },
  };
}

/**
 * Clicks the toolbar icon the way a person does: the page in front, then the action's popup. `clickedAt` is the moment
 * of the click itself (everything before it — bringing the page forward, finding the worker — is done first).
 */
export async function clickToolbarIcon(ext: ExtensionBrowser, page: Page): Promise<{ popup: Page; clickedAt: number }> {
  await page.bringToFront();
  const worker = await ext.worker();
  const popupUrl = `chrome-extension://${ext.extensionId}/popup.html`;
  const opened = ext.browser.waitForTarget((t) => t.url() === popupUrl, { timeout: 10_000 });
  const clickedAt = Date.now();
  await worker.evaluate(() =>
    (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup(),
  );
  return { popup: (await (await opened).asPage()) as Page, clickedAt };
}

/** Clicks the toolbar icon and waits for the popup to show its run (or why there is none). */
export async function openPopup(ext: ExtensionBrowser, page: Page): Promise<Page> {
  const { popup } = await clickToolbarIcon(ext, page);
  await popup.waitForSelector('[data-testid="run-summary"], [data-testid="unavailable"]', { timeout: 10_000 });
  return popup;
}

/**
 * Clicks "Check this site" in the popup of `page` (once `prepare` has set the start dialog's options) and returns the
 * crawl page it opens; `timeout` bounds the wait for that page to open.
 */
export async function startSiteCheck(
  ext: ExtensionBrowser,
  page: Page,
  { prepare, timeout = 10_000 }: { prepare?: (popup: Page) => Promise<void>; timeout?: number } = {},
): Promise<Page> {
  const popup = await openPopup(ext, page);
  const tabId = await tabIdOf(ext, page);
  await popup.waitForSelector('[data-testid="crawl-start"]:not([disabled])');
  await prepare?.(popup);
  const opened = ext.browser.waitForTarget((t) => t.url().includes(`/crawl.html?tab=${tabId}`), { timeout });
  await popup.click('[data-testid="crawl-start"]');
  return (await (await opened).asPage()) as Page;
}

/** Waits until a crawl page shows its site check done. */
export async function siteCheckDone(crawl: Page, timeout = 90_000): Promise<void> {
  await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="done"]', { timeout });
}

/** Opens the report page of a tab in a new tab. */
export async function openReport(ext: ExtensionBrowser, tabId: number, errors?: string[]): Promise<Page> {
  const page = await ext.browser.newPage();
  // Listening before the page loads: an error in the first render is the one that matters most.
  if (errors) page.on('pageerror', (e) => errors.push(`report: ${e}`));
  await page.goto(`chrome-extension://${ext.extensionId}/report.html?tab=${tabId}`);
  await page.waitForSelector('[data-testid="run-summary"], [data-testid="unavailable"]');
  return page;
}

/** The tab id the browser gave a page, asked of the extension itself. */
export async function tabIdOf(ext: ExtensionBrowser, page: Page): Promise<number> {
  const worker = await ext.worker();
  const url = page.url();
  const id = await worker.evaluate(async (wanted: string) => {
    const api = (
      globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }
    ).chrome;
    const tabs = await api.tabs.query({});
    return tabs.find((t) => t.url === wanted)?.id ?? -1;
  }, url);
  if (id < 0) throw new Error(`No tab shows ${url}`);
  return id;
}

export type Summary = Record<
  'state' | 'total' | 'checked' | 'ok' | 'redirected' | 'broken' | 'blocked' | 'error' | 'skipped',
  string
>;

/** Reads the contract's summary element as a person's tools would. */
export async function readSummary(page: Page): Promise<Summary> {
  return page.$eval('[data-testid="run-summary"]', (el) => {
    const d = (el as HTMLElement).dataset;
    return {
      state: d.state ?? '',
      total: d.total ?? '',
      checked: d.checked ?? '',
      ok: d.ok ?? '',
      redirected: d.redirected ?? '',
      broken: d.broken ?? '',
      blocked: d.blocked ?? '',
      error: d.error ?? '',
      skipped: d.skipped ?? '',
    };
  });
}

export async function waitForState(
  page: Page,
  state: 'running' | 'done' | 'cancelled',
  timeout = 60_000,
): Promise<void> {
  await page.waitForSelector(`[data-testid="run-summary"][data-state="${state}"]`, { timeout });
}

/** Opens `url` in a new tab and checks it from the popup, to the end; the popup is closed again. */
export async function checkedPage(
  ext: ExtensionBrowser,
  url: string,
  timeout?: number,
): Promise<{ page: Page; tabId: number }> {
  const page = await ext.browser.newPage();
  await page.goto(url);
  const tabId = await tabIdOf(ext, page);
  const popup = await openPopup(ext, page);
  await waitForState(popup, 'done', timeout);
  await popup.close();
  return { page, tabId };
}

export interface Row {
  url: string;
  verdict: string;
  status: string;
  finalUrl: string;
  ms: string;
  occurrences: string;
  reason: string;
}

/** Every link row's data-*, read in the page in one call ($$eval makes a handle of each row first: slow by thousands). */
export async function readRows(page: Page): Promise<Map<string, Row>> {
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="link-row"]')].map((el) => {
      const d = el.dataset;
      return {
        url: d.url ?? '',
        verdict: d.verdict ?? '',
        status: d.status ?? '',
        finalUrl: d.finalUrl ?? '',
        ms: d.ms ?? '',
        occurrences: d.occurrences ?? '',
        reason: d.reason ?? '',
      };
    }),
  );
  return new Map(rows.map((r) => [r.url, r]));
}

/** Writes the stored settings as the options page would (`null` removes them: defaults apply). */
export async function writeSettings(ext: ExtensionBrowser, settings: Record<string, unknown> | null): Promise<void> {
  const worker = await ext.worker();
  await worker.evaluate(async (value: Record<string, unknown> | null) => {
    const sync = (
      globalThis as unknown as {
        chrome: { storage: { sync: { set(v: object): Promise<void>; remove(k: string): Promise<void> } } };
      }
    ).chrome.storage.sync;
    if (value === null) await sync.remove('settings');
    else await sync.set({ settings: value });
  }, settings);
}

/** The toolbar badge text of a tab. */
export async function badgeText(ext: ExtensionBrowser, tabId: number): Promise<string> {
  const worker = await ext.worker();
  return worker.evaluate(
    (id: number) =>
      (
        globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }
      ).chrome.action.getBadgeText({ tabId: id }),
    tabId,
  );
}

/**
 * Every uncaught exception of a page since it loaded, its first render included. A `pageerror` listener added once
 * Puppeteer hands over a popup it did not open comes too late for those; a fresh DevTools session is told of them all
 * when it enables the runtime (the inspector keeps them), so this asks one.
 */
export async function uncaughtErrors(page: Page): Promise<string[]> {
  const cdp = await page.createCDPSession();
  const errors: string[] = [];
  cdp.on('Runtime.exceptionThrown', (event) => {
    const details = event.exceptionDetails;
    errors.push(details.exception?.description ?? details.text);
  });
  // Kept exceptions are reported before the command's own answer.
  await cdp.send('Runtime.enable');
  await cdp.detach();
  return errors;
}

/**
 * The fixture's certificate (tests/fixtures/tls) as `--ignore-certificate-errors-spki-list` wants it: a browser given
 * it trusts the fixture's HTTPS server and nothing else. Chromium sends Sec-Fetch-* and allows service workers on
 * secure origins alone.
 */
export function fixtureSpki(): string {
  const cert = new X509Certificate(readFileSync(join(import.meta.dirname, '../fixtures/tls/cert.pem')));
  const der = cert.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

/** The declarativeNetRequest session rules the extension holds now (the verification tabs' guard). */
export async function sessionRules(ext: ExtensionBrowser): Promise<unknown[]> {
  const worker = await ext.worker();
  return worker.evaluate(() =>
    (
      globalThis as unknown as { chrome: { declarativeNetRequest: { getSessionRules(): Promise<unknown[]> } } }
    ).chrome.declarativeNetRequest.getSessionRules(),
  );
}

/** Waits until a report's verification in the browser has ended with at least one row verified. */
export function verificationDone(report: Page): Promise<unknown> {
  return report.waitForFunction(
    () =>
      document.querySelector('[data-testid="link-row"][data-verifying]') === null &&
      document.querySelector('[data-testid="link-row"][data-verified="browser"]') !== null,
    { timeout: 90_000 },
  );
}
