// The per-host limit over HTTP/2 in Chromium: the extension learns from the browser which host answers over HTTP/2
// and, when the person allows it on the options page, sends it more than 6 requests at once — counted at the server —
// while the HTTP/1.1 host never gets more than the per-host limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Http2Fixture, startHttp2Fixture } from '../fixtures/h2-server';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  readSummary,
  waitForState,
  writeSettings,
} from './harness';
import { setPerHostLimits } from './limits-form';

let servers: Http2Fixture;
let ext: ExtensionBrowser;

const LINKS_PER_HOST = 40;

beforeAll(async () => {
  servers = await startHttp2Fixture();
  // The fixture certificate is self-signed: this browser is told to accept it (HTTP/2 needs TLS).
  ext = await launchWithExtension(['--ignore-certificate-errors']);
});
afterAll(async () => {
  await ext?.close();
  await servers?.close();
});

/** Checks a page of LINKS_PER_HOST slow links on each server, and returns what the popup shows when done. */
async function checkPage(tag: string) {
  servers.resetStats();
  const page = await ext.browser.newPage();
  await page.goto(servers.url('h1', `/links?h2=${LINKS_PER_HOST}&h1=${LINKS_PER_HOST}&tag=${tag}`, 'page.test'));
  const popup = await openPopup(ext, page);
  await waitForState(popup, 'done', 120_000);
  const summary = await readSummary(popup);
  await popup.close();
  await page.close();
  return summary;
}

describe('the per-host limit over HTTP/2', () => {
  it('stays at the per-host limit for every host by default, HTTP/2 included', async () => {
    await writeSettings(ext, null);
    const summary = await checkPage('default');
    expect(summary).toMatchObject({ state: 'done', total: String(2 * LINKS_PER_HOST), ok: String(2 * LINKS_PER_HOST) });
    // The servers really spoke what they are named for.
    expect(servers.versions('h2')).toEqual(new Set(['2.0']));
    expect(servers.versions('h1')).toEqual(new Set(['1.1']));
    expect(servers.maxInFlight('h2')).toBeLessThanOrEqual(6);
    expect(servers.maxInFlight('h1')).toBeLessThanOrEqual(6);
  }, 180_000);

  it('sends more than 6 at once to the HTTP/2 host when allowed, never more than the per-host limit to the HTTP/1.1 host', async () => {
    // A per-host limit below the browser's own 6: only Linkpulse's limiter holds the HTTP/1.1 host to it.
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    expect(await setPerHostLimits(options, 4, 16)).toEqual({ same: true, disabled: true });
    await options.close();
    const summary = await checkPage('raised');
    expect(summary).toMatchObject({ state: 'done', total: String(2 * LINKS_PER_HOST), ok: String(2 * LINKS_PER_HOST) });
    expect(servers.maxInFlight('h2')).toBeGreaterThan(6);
    expect(servers.maxInFlight('h2')).toBeLessThanOrEqual(16);
    expect(servers.maxInFlight('h1')).toBeLessThanOrEqual(4);
    await writeSettings(ext, null);
  }, 180_000);
});
