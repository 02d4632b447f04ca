// The private-network guard in a verification tab: a link's site, once loaded in a real tab, redirects it into the
// user's own network or makes it fetch from there. The test pages are public (`*.test` names, though they resolve to
// loopback); what counts as private is the host as written (127.0.0.1, localhost), as for the checker's own requests.
// The browser trusts the fixture's certificate: workers exist on secure origins only.
import type { Target } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../utils/settings';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import {
  type ExtensionBrowser,
  fixtureSpki,
  launchWithExtension,
  openPopup,
  openReport,
  readRows,
  sessionRules,
  tabIdOf,
  verificationDone,
  waitForState,
  writeSettings,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension([`--ignore-certificate-errors-spki-list=${fixtureSpki()}`]);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('a verification tab and the user’s own network', () => {
  it('blocks a redirect, a subresource or a worker into a private address before it is sent, and removes its rules after', async () => {
    await writeSettings(ext, { ...DEFAULT_SETTINGS, verifyTimeoutSec: 8 });
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/verify-private.html', 'inward.test'));
    const tabId = await tabIdOf(ext, page);
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done');
    await popup.close();
    const report = await openReport(ext, tabId);
    const wall = (key: string, then: string, to: string) =>
      `http://wall.test:${server.port}/wall/js-challenge/${key}?then=${then}&to=${encodeURIComponent(to)}`;
    const redirected = wall('inward', 'redirect', `http://127.0.0.1:${server.port}/ok?verify-redirected`);
    const named = wall('named', 'redirect', `http://localhost:${server.port}/ok?verify-named`);
    const image = wall('pixel', 'image', `http://127.0.0.1:${server.port}/ok?verify-image`);
    // A service worker and a shared worker ask from outside the tab (no tab id): the tab's block rules never see them.
    const workers = server.tlsUrl(
      `/wall/js-challenge/workers?then=worker&to=${encodeURIComponent(`http://127.0.0.1:${server.port}/ok?verify-worker`)}`,
      'wall.test',
    );
    const before = await readRows(report);
    for (const url of [redirected, named, image, workers])
      expect(before.get(url), url).toMatchObject({ verdict: 'blocked' });

    const ours = new Set<Target>(ext.browser.targets().filter((t) => t.type() === 'page'));
    const opened = new Set<Target>();
    const created = (t: Target) => {
      if (t.type() === 'page' && !ours.has(t)) opened.add(t);
    };
    ext.browser.on('targetcreated', created);
    server.resetStats();
    await report.click('[data-testid="verify-in-browser"]');
    await verificationDone(report);
    await until(() => ext.browser.targets().filter((t) => opened.has(t)).length === 0, 'every tab closed', 10_000);
    ext.browser.off('targetcreated', created);
    // A worker's request could come after its tab closed (a service worker outlives it): give one the time to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    // Each tab did pass its wall: the site's redirect (or page) was asked for by the tab's navigation.
    expect(server.requestsTo('/wall/js-challenge/inward').length).toBeGreaterThanOrEqual(2);
    expect(server.requestsTo('/wall/js-challenge/named').length).toBeGreaterThanOrEqual(2);
    expect(server.requestsTo('/wall/js-challenge/workers').length).toBeGreaterThanOrEqual(2);
    // Nothing reached the private targets: not the redirect hop, not the page's image, not a worker (none was even
    // fetched: the tab's documents may start no worker).
    expect(server.requestsTo('/ok')).toEqual([]);
    expect(server.requestsTo('/wall/worker.js')).toEqual([]);
    expect(server.requests.filter((r) => r.host !== 'wall.test')).toEqual([]);

    const rows = await readRows(report);
    const verifiedAttr = (url: string) =>
      report.$eval(`[data-testid="link-row"][data-url="${url}"]`, (el) => el.getAttribute('data-verified'));
    // A tab stopped at the guard settles nothing: the row stays as the check left it.
    for (const url of [redirected, named]) {
      expect(rows.get(url), url).toMatchObject({ verdict: 'blocked', reason: before.get(url)?.reason });
      expect(await verifiedAttr(url), url).toBe('');
    }
    // The page itself loads for the person; only its request into their network is refused.
    for (const url of [image, workers]) {
      expect(rows.get(url), url).toMatchObject({ verdict: 'ok', status: '200' });
      expect(await verifiedAttr(url), url).toBe('browser');
    }
    // Each tab's rules went with it.
    expect(await sessionRules(ext)).toEqual([]);
    await report.close();
    await page.close();
    await writeSettings(ext, null);
  });
});
