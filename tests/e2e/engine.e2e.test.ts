// The checking engine in Chromium, on a page of the servers that fool other checkers: each row's verdict, status,
// final URL, reason and occurrences, as the report page shows them.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  type Row,
  readRows,
  tabIdOf,
  waitForState,
  writeSettings,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
let rows: Map<string, Row>;

const setSettings = (settings: Record<string, unknown> | null) => writeSettings(ext, settings);

/** Checks the page through the popup and returns the report page's rows. */
async function checkAndRead(target: Page, action: 'open' | 'recheck' = 'open'): Promise<Map<string, Row>> {
  const popup = await openPopup(ext, target);
  if (action === 'recheck') {
    await waitForState(popup, 'done', 60_000);
    await popup.click('[data-testid="recheck"]');
    await waitForState(popup, 'running', 5_000);
  }
  await waitForState(popup, 'done', 60_000);
  await popup.close();
  const report = await openReport(ext, await tabIdOf(ext, target));
  await waitForState(report, 'done');
  const result = await readRows(report);
  const cached = await report.$$eval('[data-testid="link-row"][data-cached="true"]', (els) =>
    els.map((el) => (el as HTMLElement).dataset.url ?? ''),
  );
  await report.close();
  for (const url of cached) {
    const row = result.get(url);
    if (row) row.reason = `${row.reason}|cached`;
  }
  return result;
}

/** Opens the popup on the checked page, opens one link's row and returns its details, one line per hop joined by |. */
async function popupDetails(url: string): Promise<string> {
  const popup = await openPopup(ext, page);
  try {
    await waitForState(popup, 'done', 10_000);
    await popup.type('[data-testid="search"]', url);
    const button = `[data-testid="popup-row"][data-url="${url}"] button`;
    await popup.waitForSelector(button, { visible: true });
    await popup.click(button);
    await popup.waitForSelector('[data-testid="link-details"]');
    return await popup.$eval('[data-testid="link-details"]', (el) => {
      const hops = [...el.querySelectorAll('ol.hops li')].map((li) => li.textContent?.trim() ?? '');
      return `${el.textContent ?? ''}\n${hops.join('|')}`;
    });
  } finally {
    await popup.close();
  }
}

const at = (path: string, host: string) => server.url(path, host);
function row(url: string): Row {
  const found = rows.get(url);
  if (!found) throw new Error(`no row for ${url}; rows: ${[...rows.keys()].join(' ')}`);
  return found;
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  page = await ext.browser.newPage();
  await page.goto(at('/pages/engine.html', 'pub.test'));
  rows = await checkAndRead(page);
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the checking engine in Chromium', () => {
  it('finds every distinct link once, with its occurrences', () => {
    expect(rows.size).toBe(45);
    expect(row(at('/head-405', 'h.test')).occurrences).toBe('2');
  });

  it('follows redirects to their end and keeps the chain', () => {
    expect(row(at('/redirect/3', 'r.test'))).toMatchObject({
      verdict: 'redirected',
      status: '200',
      finalUrl: at('/ok', 'r.test'),
      reason: 'redirect',
    });
    expect(row(at('/redirect-301/1?to=/status/404', 'r.test'))).toMatchObject({
      verdict: 'broken',
      status: '404',
      finalUrl: at('/status/404', 'r.test'),
      reason: 'status',
    });
    for (const path of ['/redirect-loop/a', '/redirect/25']) {
      expect(row(at(path, 'r.test'))).toMatchObject({
        verdict: 'error',
        reason: 'too-many-redirects',
        status: '',
        finalUrl: '',
      });
    }
  });

  it('shows each hop of a redirect chain with its status', async () => {
    const report = await openReport(ext, await tabIdOf(ext, page));
    const [hops, trail] = await report.$eval(
      `[data-testid="link-row"][data-url="${at('/redirect/3', 'r.test')}"]`,
      (el) => [(el as HTMLElement).dataset.redirects, el.querySelector('td[title]')?.getAttribute('title')],
    );
    await report.close();
    expect(hops).toBe('3');
    const chain = [
      `302 ${at('/redirect/3', 'r.test')}`,
      `302 ${at('/redirect/2', 'r.test')}`,
      `302 ${at('/redirect/1', 'r.test')}`,
      `200 ${at('/ok', 'r.test')}`,
    ];
    // The report row carries the chain; the row's details in the popup list it hop by hop.
    expect(trail).toBe(chain.join('\n'));
    expect(await popupDetails(at('/redirect/3', 'r.test'))).toContain(chain.join('|'));
  });

  it('asks with GET, as a person’s browser does: HEAD refused, failing or lying changes nothing', () => {
    for (const [path, host] of [
      ['/head-405', 'h.test'],
      ['/head-404', 'h.test'],
      ['/head-reset', 'hr.test'],
    ] as const) {
      expect(row(at(path, host))).toMatchObject({ verdict: 'ok', status: '200' });
      expect(server.requestsTo(path).map((r) => r.method)).toEqual(['GET']);
    }
    expect(row(at('/head-ok-get-404', 'hl.test'))).toMatchObject({ verdict: 'broken', status: '404' });
    expect(row(at('/head-ok-get-500', 'hl.test'))).toMatchObject({ verdict: 'broken', status: '500' });
  });

  it('retries transient failures and honours Retry-After given as a date', () => {
    expect(row(at('/flaky/engine?fail=1', 't.test'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(row(at('/reset-once/engine', 't.test'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(row(at('/rate-limit/engine?after=1&retryAfter=1&date=1', 'q.test'))).toMatchObject({
      verdict: 'ok',
      status: '200',
    });
    expect(row(at('/ok?queued=behind-429', 'q.test')).verdict).toBe('ok');
  });

  it('calls refusals of automated checks blocked, never broken', () => {
    expect(row(at('/rate-limit-always', 's.test'))).toMatchObject({
      verdict: 'blocked',
      status: '429',
      reason: 'rate-limited',
    });
    expect(row(at('/auth', 'b.test'))).toMatchObject({ verdict: 'blocked', status: '401', reason: 'auth' });
    expect(row(at('/forbidden', 'b.test'))).toMatchObject({ verdict: 'blocked', status: '403', reason: 'auth' });
    // Chromium backs off on its own only from URLs answering 500, 503 or 509 to an extension, not 429:
    // every try (the first, then two more after the waits it asked for) reached the server.
    expect(server.requestsTo('/rate-limit-always').map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    // Each 429 paused its host for the second it asked: no try reached s.test again before that second was over.
    const tries = server.requestsTo('/rate-limit-always');
    for (let i = 1; i < tries.length; i++) {
      expect(tries[i]?.at).toBeGreaterThanOrEqual((tries[i - 1]?.answeredAt ?? Number.POSITIVE_INFINITY) + 1000);
    }
    expect(row(at('/status/999', 'b.test'))).toMatchObject({
      verdict: 'blocked',
      status: '999',
      reason: 'bot-challenge',
    });
    expect(row(at('/bot-challenge', 'b.test'))).toMatchObject({
      verdict: 'blocked',
      status: '403',
      reason: 'bot-challenge',
    });
    expect(row(at('/cookie-required', 'c.test'))).toMatchObject({ verdict: 'blocked', reason: 'auth' });
  });

  it('names network errors by kind', () => {
    const refused = [...rows.values()].find((r) => r.url.startsWith('http://e.test:'));
    expect(refused).toMatchObject({ verdict: 'error', reason: 'connection', status: '' });
    expect(row(at('/', 'nx.test'))).toMatchObject({ verdict: 'error', reason: 'dns', status: '' });
    expect(row(server.tlsUrl('/ok', 'tls.test'))).toMatchObject({ verdict: 'error', reason: 'tls', status: '' });
  });

  it("keeps the browser's own error text and shows it in the row's details", async () => {
    const refused = [...rows.values()].find((r) => r.url.startsWith('http://e.test:'));
    expect(await popupDetails(refused?.url ?? 'none')).toContain('net::ERR_CONNECTION_REFUSED');
    const report = await openReport(ext, await tabIdOf(ext, page));
    const trail = await report.$eval(`[data-testid="link-row"][data-url="${refused?.url}"] td[title]`, (el) =>
      el.getAttribute('title'),
    );
    await report.close();
    expect(trail).toBe('net::ERR_CONNECTION_REFUSED');
    expect(await popupDetails(at('/', 'nx.test'))).toContain('net::ERR_NAME_NOT_RESOLVED');
  });

  it('checks fragments in the target document, fetched once, and in the page itself without a request', () => {
    expect(row(at('/doc-with-ids#intro', 'f.test')).verdict).toBe('ok');
    expect(row(at('/doc-with-ids#legacy', 'f.test')).verdict).toBe('ok');
    for (const fragment of ['#commented', '#missing']) {
      expect(row(at(`/doc-with-ids${fragment}`, 'f.test'))).toMatchObject({
        verdict: 'broken',
        status: '200',
        reason: 'fragment-missing',
      });
    }
    expect(server.requestsTo('/doc-with-ids').map((r) => r.method)).toEqual(['GET']);
    expect(row(at('/pages/engine.html#top-heading', 'pub.test'))).toMatchObject({ verdict: 'ok', status: '' });
    expect(row(at('/pages/engine.html#nowhere', 'pub.test'))).toMatchObject({
      verdict: 'broken',
      reason: 'fragment-missing',
    });
  });

  it('takes a 3xx that is not a redirect as the final answer', () => {
    expect(row(at('/not-a-redirect/304', 'r.test'))).toMatchObject({
      verdict: 'broken',
      status: '304',
      reason: 'status',
      finalUrl: at('/not-a-redirect/304', 'r.test'),
    });
    expect(server.requestsTo('/ok?followed')).toEqual([]);
  });

  it('checks an address with a name and password without sending them, and says so', async () => {
    const written = at('/auth', 'b.test').replace('//', '//someone:secret@');
    expect(row(written)).toMatchObject({ verdict: 'blocked', reason: 'auth', status: '401' });
    expect(server.requestsTo('/auth').every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(await popupDetails(written)).toMatch(/name and password written in the address: they were not sent/);
  });

  it('keeps 8 kB and 12 kB addresses whole, each with the server’s answer', () => {
    const eight = at(`/url-limit-8k/${'y'.repeat(8192)}`, 'l.test');
    const twelve = at(`/any-length/${'z'.repeat(12288)}`, 'l.test');
    expect(row(eight)).toMatchObject({ verdict: 'broken', status: '414', finalUrl: eight });
    expect(row(twelve)).toMatchObject({ verdict: 'ok', status: '200', finalUrl: twelve });
  });

  it('reads a target document only until its anchor, keeps what it read, and skips documents that are not HTML', async () => {
    expect(row(at('/html-anchor-early-then-endless#early', 'fs.test'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(row(at('/html-anchor-then-reset#before-reset', 'fs.test'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(row(at('/doc-browser-targets#meta-only', 'fs.test'))).toMatchObject({
      verdict: 'broken',
      reason: 'fragment-missing',
    });
    const pdf = at('/pdf-document#page=2', 'fs.test');
    expect(row(pdf)).toMatchObject({ verdict: 'ok', status: '200' });
    expect(await popupDetails(pdf)).toMatch(/not checked: the target is not an HTML document \(application\/pdf\)/);
  });

  it('sends nothing to private addresses from a public page', () => {
    const privateUrls = [
      at('/ok', '127.0.0.1'),
      at('/ok', 'localhost'),
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://172.16.0.1/',
      'http://[fc00::1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://printer.local/',
    ];
    for (const url of privateUrls) expect(row(url)).toMatchObject({ verdict: 'skipped', reason: 'private-network' });
    // Nor where a public link redirects: the hop into loopback is not requested.
    const viaRedirect = at(`/redirect-to?url=${encodeURIComponent(at('/ok?via=redirect', '127.0.0.1'))}`, 'r.test');
    expect(row(viaRedirect)).toMatchObject({ verdict: 'skipped', reason: 'private-network', status: '' });
    expect(server.requests.filter((r) => r.host === '127.0.0.1' || r.host === 'localhost')).toEqual([]);
    expect(server.requestsTo('/ok?via=redirect')).toEqual([]);
  });

  it('was polite: never more than 6 in flight to one host', () => {
    for (const max of Object.values(server.maxInFlightByHost())) expect(max).toBeLessThanOrEqual(6);
  });

  it('keeps its connections to an HTTP/1.1 server: pages of 100 kB are read to their end, not cut off', async () => {
    // Cancelling each answer after its headers closed its connection: 60 links opened ~20–60 connections.
    for (const chunked of [false, true]) {
      const target = await ext.browser.newPage();
      await target.goto(at(`/sized-page?n=60&bytes=100000&tag=keep${chunked ? '&chunked' : ''}`, 'conn.test'));
      server.resetStats();
      const checked = await checkAndRead(target);
      await target.close();
      const verdicts = [...checked.values()].map((r) => r.verdict);
      expect(verdicts).toEqual(Array(60).fill('ok'));
      // The 6 a browser keeps per host, and a spare it may open ahead.
      expect(server.connectionsOpened()).toBeLessThanOrEqual(8);
    }
  });

  it('reuses recent results in another tab without asking the servers again, and marks them', async () => {
    server.resetStats();
    const second = await ext.browser.newPage();
    // Another address for the same page, so the two tabs are told apart.
    await second.goto(at('/pages/engine.html?tab=2', 'pub.test'));
    const again = await checkAndRead(second);
    expect(server.requests.filter((r) => !r.path.startsWith('/pages/'))).toEqual([]);
    expect(again.get(at('/redirect/3', 'r.test'))).toMatchObject({ verdict: 'redirected', reason: 'redirect|cached' });
    expect(again.get(at('/status/999', 'b.test'))?.reason).toBe('bot-challenge|cached');
    await second.close();
  });

  it("sends the user's cookies only when the option is on", async () => {
    await setSettings({ sendCookies: true });
    try {
      // The person logs in: the site sets its session cookie in the browser.
      const login = await ext.browser.newPage();
      await login.goto(at('/set-cookie', 'c.test'));
      await login.close();
      server.resetStats();
      rows = await checkAndRead(page, 'recheck');
      // A re-check asks again: nothing comes from the recent-results cache.
      expect([...rows.values()].filter((r) => r.reason.endsWith('|cached'))).toEqual([]);
      expect(server.requestsTo('/redirect/3')).not.toEqual([]);
      expect(row(at('/cookie-required', 'c.test'))).toMatchObject({ verdict: 'ok', status: '200' });
      expect(server.requestsTo('/cookie-required')[0]?.headers.cookie).toBe('session=1');
    } finally {
      await setSettings(null);
    }
    // With the option off again (the default), a fresh check is anonymous.
    server.resetStats();
    rows = await checkAndRead(page, 'recheck');
    expect(row(at('/cookie-required', 'c.test')).verdict).toBe('blocked');
    expect(server.requestsTo('/cookie-required').every((r) => r.headers.cookie === undefined)).toBe(true);
  });
});

describe('settings of a run', () => {
  it("puts redirect hops under their own host's limit: a moved site's links and www's own never exceed it", async () => {
    await setSettings({ perHostConcurrency: 2 });
    const moved = await ext.browser.newPage();
    try {
      // A page on loopback (no guard): every link's redirects are still followed by the checker, hop by hop.
      await moved.goto(server.url('/pages/moved-host.html'));
      server.resetStats();
      const popup = await openPopup(ext, moved);
      await waitForState(popup, 'done', 60_000);
      await popup.close();
      const report = await openReport(ext, await tabIdOf(ext, moved));
      const found = await readRows(report);
      await report.close();
      const viaOld = [...found.values()].filter((r) => r.url.includes('//moved.test'));
      expect(viaOld).toHaveLength(12);
      for (const r of viaOld) expect(r).toMatchObject({ verdict: 'redirected', status: '200' });
      expect(server.requests.filter((r) => r.host === 'www.moved.test' && r.path.startsWith('/slow/'))).toHaveLength(
        24,
      );
      expect(server.maxInFlightByHost()['www.moved.test']).toBe(2);
    } finally {
      await setSettings(null);
      await moved.close();
    }
  });

  it('stay those it started with when the options change and another tab starts a run', async () => {
    // Tab A: six 3-second links on one host, one at a time, each given 1 second.
    await setSettings({ requestTimeoutSec: 1, perHostConcurrency: 1, retries: 0 });
    const pageA = await ext.browser.newPage();
    await pageA.goto(server.url('/generate?n=6&hosts=1&latency=3000&tag=run-a'));
    server.resetStats();
    const popupA = await openPopup(ext, pageA);
    const deadline = Date.now() + 15_000;
    while (!server.requests.some((r) => r.path.startsWith('/latency/3000/run-a-')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await popupA.close();
    // The person changes the options while A is going, and checks tab B: its links get the new 10 seconds.
    await setSettings({ requestTimeoutSec: 10, perHostConcurrency: 1, retries: 0 });
    const pageB = await ext.browser.newPage();
    await pageB.goto(server.url('/generate?n=2&hosts=1&latency=3000&tag=run-b'));
    const popupB = await openPopup(ext, pageB);
    await waitForState(popupB, 'done', 90_000);
    await popupB.close();
    try {
      const reportA = await openReport(ext, await tabIdOf(ext, pageA));
      await waitForState(reportA, 'done', 90_000);
      const a = [...(await readRows(reportA)).values()].filter((r) => r.url.includes('/latency/'));
      await reportA.close();
      const reportB = await openReport(ext, await tabIdOf(ext, pageB));
      const b = [...(await readRows(reportB)).values()].filter((r) => r.url.includes('/latency/'));
      await reportB.close();
      // Every link of A, those sent after the change included, had A's 1 second; B's had its 10.
      expect(a.map((r) => `${r.verdict} ${r.reason}`)).toEqual(Array(6).fill('error timeout'));
      expect(b.map((r) => r.verdict)).toEqual(['ok', 'ok']);
    } finally {
      await setSettings(null);
      await pageA.close();
      await pageB.close();
    }
  });

  it("keep a run's global throttle of 1 while another tab runs with the defaults", async () => {
    await setSettings({ globalConcurrency: 1 });
    const pageA = await ext.browser.newPage();
    // Eight links over four hosts: only the throttle keeps them one at a time.
    await pageA.goto(server.url('/generate?n=8&hosts=4&latency=500&tag=throttled'));
    server.resetStats();
    await (await openPopup(ext, pageA)).close();
    await setSettings(null);
    const pageB = await ext.browser.newPage();
    await pageB.goto(server.url('/generate?n=24&hosts=4&latency=500&tag=default'));
    const popupB = await openPopup(ext, pageB);
    await waitForState(popupB, 'done', 60_000);
    await popupB.close();
    const reportA = await openReport(ext, await tabIdOf(ext, pageA));
    await waitForState(reportA, 'done', 60_000);
    await reportA.close();
    const spans = (tag: string) =>
      server.requests
        .filter((r) => r.path.startsWith(`/latency/500/${tag}-`))
        .map((r) => [r.at, r.answeredAt ?? Number.POSITIVE_INFINITY] as const);
    const mostAtOnce = (list: (readonly [number, number])[]) =>
      Math.max(...list.map(([at]) => list.filter(([s, e]) => s <= at && at < e).length));
    const a = spans('throttled');
    const b = spans('default');
    expect(a).toHaveLength(8);
    expect(mostAtOnce(a)).toBe(1);
    // B was not held to A's throttle, and ran while A did.
    expect(mostAtOnce(b)).toBeGreaterThan(4);
    const aEnds = Math.max(...a.map(([, e]) => e));
    expect(b.some(([at]) => at < aEnds)).toBe(true);
    await pageA.close();
    await pageB.close();
  });
});
