// The per-host limit over HTTP/2 in Firefox ESR, where the protocol comes from webRequest's status line (Firefox's
// Resource Timing leaves nextHopProtocol empty for the extension's fetches): the same servers and counts as in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Http2Fixture, startHttp2Fixture } from '../fixtures/h2-server';
import { readSummary, waitForState } from './harness';
import {
  type FirefoxWithExtension,
  firefoxTabId,
  launchFirefox,
  openExtensionPage,
  openFirefoxPopup,
} from './harness-firefox';
import { setPerHostLimits } from './limits-form';

const LINKS_PER_HOST = 40;

let servers: Http2Fixture;
let ff: FirefoxWithExtension;

beforeAll(async () => {
  servers = await startHttp2Fixture();
  // The fixture certificate is self-signed: this browser accepts it (HTTP/2 needs TLS).
  ff = await launchFirefox(['page.test', 'h2.test', 'h1.test'], { acceptInsecureCerts: true });
}, 120_000);
afterAll(async () => {
  await ff?.close();
  await servers?.close();
});

async function checkPage(tag: string) {
  servers.resetStats();
  const page = await ff.browser.newPage();
  const url = servers.url('h1', `/links?h2=${LINKS_PER_HOST}&h1=${LINKS_PER_HOST}&tag=${tag}`, 'page.test');
  await page.goto(url);
  const popup = await openFirefoxPopup(ff, await firefoxTabId(ff, url));
  await waitForState(popup, 'done', 120_000);
  const summary = await readSummary(popup);
  await popup.close();
  await page.close();
  return summary;
}

describe('the per-host limit over HTTP/2 in Firefox', () => {
  it('stays at the per-host limit for every host by default, HTTP/2 included', async () => {
    const summary = await checkPage('default');
    expect(summary).toMatchObject({ state: 'done', total: String(2 * LINKS_PER_HOST), ok: String(2 * LINKS_PER_HOST) });
    expect(servers.versions('h2')).toEqual(new Set(['2.0']));
    expect(servers.versions('h1')).toEqual(new Set(['1.1']));
    expect(servers.maxInFlight('h2')).toBeLessThanOrEqual(6);
    expect(servers.maxInFlight('h1')).toBeLessThanOrEqual(6);
  }, 180_000);

  it('sends more than 6 at once to the HTTP/2 host when allowed, never more than the per-host limit to the HTTP/1.1 host', async () => {
    const options = await openExtensionPage(ff, '/options.html');
    expect(await setPerHostLimits(options, 4, 16)).toEqual({ same: true, disabled: true });
    await options.close();
    const summary = await checkPage('raised');
    expect(summary).toMatchObject({ state: 'done', total: String(2 * LINKS_PER_HOST), ok: String(2 * LINKS_PER_HOST) });
    expect(servers.maxInFlight('h2')).toBeGreaterThan(6);
    expect(servers.maxInFlight('h2')).toBeLessThanOrEqual(16);
    expect(servers.maxInFlight('h1')).toBeLessThanOrEqual(4);
  }, 180_000);
});
