import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { inject } from 'vitest';
import { until } from '../support/until';

const ROOT = resolve(import.meta.dirname, '../..');
export const FIREFOX_EXTENSION_DIR = resolve(ROOT, '.output/firefox-mv3');
/** Which e2e run built the Firefox add-on last (see e2e-run.ts): outside the add-on's folder, which web-ext lints. */
const BUILT_FOR = resolve(ROOT, '.output/firefox-mv3.e2e-run');
export const GECKO_ID = 'linkpulse@linkpulse.dev';
/** A fixed internal UUID for the add-on, so its pages have a known moz-extension:// address. */
export const FIREFOX_UUID = '6f1c1f0e-5b1a-4c2e-9d51-4c1a2b3c4d5e';

export interface FirefoxWithExtension {
  browser: Browser;
  origin: string;
  close(): Promise<void>;
}

/**
 * Builds the Firefox add-on from the current sources once per e2e run: the first Firefox file of a run builds it, the
 * others find it built (`npm run build` makes only the Chromium one).
 */
export function buildFirefoxOnce(): void {
  const run = inject('e2eRun');
  if (existsSync(BUILT_FOR) && readFileSync(BUILT_FOR, 'utf8') === run) return;
  execFileSync(resolve(ROOT, 'node_modules/.bin/wxt'), ['build', '-b', 'firefox', '--mv3'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  writeFileSync(BUILT_FOR, run);
}

/**
 * Firefox ESR over WebDriver BiDi with the built add-on installed as a temporary extension. Firefox has no
 * --host-resolver-rules: `network.dns.localDomains` sends the given *.test names to localhost instead.
 */
export async function launchFirefox(
  testHosts: string[],
  /** Accept any certificate (the HTTP/2 test's self-signed fixture certificate): every other test leaves it off. */
  options: { acceptInsecureCerts?: boolean } = {},
): Promise<FirefoxWithExtension> {
  buildFirefoxOnce();
  const profile = mkdtempSync(join(tmpdir(), 'linkpulse-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_EXECUTABLE_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: profile,
    acceptInsecureCerts: options.acceptInsecureCerts ?? false,
    // WebDriver BiDi refuses to open moz-extension:// pages unless the automation is allowed system access.
    env: { ...process.env, MOZ_REMOTE_ALLOW_SYSTEM_ACCESS: '1' },
    extraPrefsFirefox: {
      'network.dns.localDomains': testHosts.join(','),
      'network.dns.disableIPv6': true,
      // Every other name goes to a DNS-over-HTTPS resolver on a loopback port where nothing listens, and only there:
      // it does not resolve, and no lookup leaves the machine (Chromium's harness maps such names to ~NOTFOUND).
      'network.trr.mode': 3,
      'network.trr.uri': 'https://127.0.0.1:9/dns-query',
      'network.trr.wait-for-portal': false,
      'network.proxy.type': 0,
      // Nothing but the tests' own traffic: no updates, telemetry, captive-portal or connectivity checks, push or
      // prefetching (Puppeteer's own Firefox preferences already turn off many more).
      'app.update.enabled': false,
      'dom.push.connection.enabled': false,
      'network.dns.disablePrefetch': true,
      'network.prefetch-next': false,
      'extensions.blocklist.enabled': false,
      'toolkit.telemetry.unified': false,
      'app.normandy.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
    },
  });
  await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return {
    browser,
    origin: `moz-extension://${FIREFOX_UUID}`,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens one of the add-on's pages in a tab. The navigation's load event is not reported for moz-extension:// pages. */
export async function openExtensionPage(ff: FirefoxWithExtension, path: string): Promise<Page> {
  const page = await ff.browser.newPage();
  // Not awaited: the navigation would wait out its whole timeout. The page is ready once its own markup is there; asked
  // in a loop, as a question asked while the navigation replaces the document can fail (a BiDi protocol error).
  void page.goto(`${ff.origin}${path}`, { waitUntil: 'domcontentloaded', timeout: 10_000 }).catch(() => {});
  const ready = () =>
    page
      .evaluate(
        (origin: string) =>
          location.origin === origin && document.readyState !== 'loading' && document.getElementById('app') !== null,
        ff.origin,
      )
      .catch(() => false);
  await until(ready, `${path} has opened`, 10_000);
  return page;
}

/** The tab id Firefox gave a page, asked of the extension from one of its own pages. */
export async function firefoxTabId(ff: FirefoxWithExtension, url: string): Promise<number> {
  const probe = await openExtensionPage(ff, '/report.html');
  const id = await probe.evaluate(async (wanted: string) => {
    const api = (
      globalThis as unknown as { browser: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }
    ).browser;
    return (await api.tabs.query({})).find((t) => t.url === wanted)?.id ?? -1;
  }, url);
  await probe.close();
  if (id < 0) throw new Error(`No Firefox tab shows ${url}`);
  return id;
}

/** Opens the popup of a tab in a page of its own: Firefox has no scriptable toolbar click. */
export async function openFirefoxPopup(ff: FirefoxWithExtension, tabId: number): Promise<Page> {
  const popup = await openExtensionPage(ff, `/popup.html?tab=${tabId}`);
  await popup.waitForSelector('[data-testid="run-summary"], [data-testid="unavailable"]', { timeout: 15_000 });
  return popup;
}
