// The context menu in Chromium: "Check this link" and "Check links in selection" on a public page, answered in the
// answer window. Puppeteer cannot open a native menu, so each test fires the menu's own click event in the service
// worker (chrome.contextMenus.onClicked.dispatch): the listener the browser calls on a real click runs, with the data a
// click gives, and the test reads the window the person would see.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { until } from '../support/until';
import { type ExtensionBrowser, launchWithExtension, openPopup, tabIdOf, waitForState, writeSettings } from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let page: Page;
let tabId: number;

interface ClickInfo {
  menuItemId: string;
  linkUrl?: string;
  selectionText?: string;
  pageUrl: string;
  frameId: number;
  editable: boolean;
}

/** Fires the menu's click as the browser does (the entry's id, what was under the pointer, the tab) and returns the
 * answer window that opens, once its check is done. */
async function clickMenu(
  info: ClickInfo,
  on: { page: Page; tabId: number } = { page, tabId },
  wait: 'done' | 'shown' = 'done',
): Promise<Page> {
  const worker = await ext.worker();
  const answerUrl = `chrome-extension://${ext.extensionId}/answer.html?`;
  // Each check opens a window of its own: the new one is the answer to this click.
  const before = new Set(ext.browser.targets().filter((t) => t.url().startsWith(answerUrl)));
  const opened = ext.browser.waitForTarget((t) => t.url().startsWith(answerUrl) && !before.has(t), {
    timeout: 10_000,
  });
  await worker.evaluate(
    (clicked: ClickInfo, tab: { id: number; url: string }) => {
      const api = (
        globalThis as unknown as {
          chrome: { contextMenus: { onClicked: { dispatch(info: object, tab: object): void } } };
        }
      ).chrome;
      api.contextMenus.onClicked.dispatch(clicked, { ...tab, active: true, index: 0, windowId: 1, incognito: false });
    },
    info,
    { id: on.tabId, url: on.page.url() },
  );
  const answer = (await (await opened).asPage()) as Page;
  const state = wait === 'done' ? '[data-state="done"]' : '';
  await answer.waitForSelector(`[data-testid="answer-summary"]${state}`, { timeout: 60_000 });
  return answer;
}

/** What the answer window shows of each link: its row's data-* and the words of each fact. */
async function readAnswers(answer: Page) {
  return answer.$$eval('[data-testid="link-row"]', (rows) =>
    rows.map((row) => {
      const el = row as HTMLElement;
      const text = (id: string) => el.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
      return {
        url: el.dataset.url ?? '',
        verdict: el.dataset.verdict ?? '',
        status: el.dataset.status ?? '',
        reason: el.dataset.reason ?? '',
        finalUrl: el.dataset.finalUrl ?? '',
        ms: el.dataset.ms ?? '',
        shown: {
          verdict: text('answer-verdict'),
          status: text('answer-status'),
          reason: text('answer-reason'),
          finalUrl: text('answer-final-url'),
          time: text('answer-ms'),
        },
        archive: el.querySelector<HTMLAnchorElement>('[data-testid="archive-link"]')?.href ?? null,
      };
    }),
  );
}

const summaryOf = (answer: Page) =>
  answer.$eval('[data-testid="answer-summary"]', (el) => ({ ...(el as HTMLElement).dataset }));

const hrefOf = (selector: string) => page.$eval(selector, (a) => (a as HTMLAnchorElement).href);

/** Selects in the page, by script, what a person would drag over: from one node and offset to another. */
async function select(fromSelector: string, fromOffset: number, toSelector: string, toOffset: number) {
  await page.evaluate(
    (from: string, fromAt: number, to: string, toAt: number) => {
      const textIn = (selector: string) => {
        const el = document.querySelector(selector) as Element;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        return walker.nextNode() ?? el;
      };
      const range = document.createRange();
      range.setStart(textIn(from), fromAt);
      range.setEnd(textIn(to), toAt);
      const selection = document.getSelection() as Selection;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    fromSelector,
    fromOffset,
    toSelector,
    toOffset,
  );
}

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  page = await ext.browser.newPage();
  await page.goto(server.url('/pages/context-menu.html', 'pub.test'));
  tabId = await tabIdOf(ext, page);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the context menu', () => {
  it('has its two entries once installed', async () => {
    const worker = await ext.worker();
    // contextMenus.update succeeds only for an entry that exists; there is no way to list them.
    const entries = () =>
      worker.evaluate(async () => {
        const api = (
          globalThis as unknown as { chrome: { contextMenus: { update(id: string, p: object): Promise<void> } } }
        ).chrome.contextMenus;
        const check = (id: string) =>
          api.update(id, {}).then(
            () => true,
            () => false,
          );
        return {
          link: await check('linkpulse-check-link'),
          selection: await check('linkpulse-check-selection'),
          other: await check('linkpulse-no-such-entry'),
        };
      });
    // Made by runtime.onInstalled, which may still be at work when the test starts (seen once under load: the link entry
    // asked for between the install's removeAll and its creates).
    await until(async () => {
      const now = await entries();
      return now.link && now.selection;
    }, 'both entries exist');
    expect(await entries()).toEqual({ link: true, selection: true, other: false });
  });
});

describe('Check this link', () => {
  it('answers a fine link: ok, 200, no reason, its own address, the time', async () => {
    const url = await hrefOf('#fine');
    const answer = await clickMenu({
      menuItemId: 'linkpulse-check-link',
      linkUrl: url,
      pageUrl: page.url(),
      frameId: 0,
      editable: false,
    });
    expect(await summaryOf(answer)).toMatchObject({ kind: 'link', state: 'done', total: '1', checked: '1', ok: '1' });
    const [row, ...rest] = await readAnswers(answer);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ url, verdict: 'ok', status: '200', reason: '', finalUrl: url, archive: null });
    expect(row?.shown).toMatchObject({ verdict: 'OK', status: '200', reason: '—', finalUrl: url });
    expect(row?.shown.time).toMatch(new RegExp(`^${row?.ms}\\s?ms$`));
    expect(server.requestsTo('/ok?menu-single').length).toBeGreaterThan(0);
    await answer.close();
  });

  it('answers a missing page: broken, 404, reason status, and offers the Internet Archive copy', async () => {
    const url = await hrefOf('#gone');
    const answer = await clickMenu({
      menuItemId: 'linkpulse-check-link',
      linkUrl: url,
      pageUrl: page.url(),
      frameId: 0,
      editable: false,
    });
    const [row] = await readAnswers(answer);
    expect(row).toMatchObject({ url, verdict: 'broken', status: '404', reason: 'status', finalUrl: url });
    expect(row?.shown).toMatchObject({ verdict: 'Broken', status: '404', reason: 'status', finalUrl: url });
    expect(row?.archive).toBe(`https://web.archive.org/web/${url}`);
    expect(await summaryOf(answer)).toMatchObject({ state: 'done', broken: '1' });
    await answer.close();
  });

  it('sends nothing to a private address linked from a public page', async () => {
    const url = await hrefOf('#router');
    const answer = await clickMenu({
      menuItemId: 'linkpulse-check-link',
      linkUrl: url,
      pageUrl: page.url(),
      frameId: 0,
      editable: false,
    });
    const [row] = await readAnswers(answer);
    expect(row).toMatchObject({ url, verdict: 'skipped', status: '', reason: 'private-network' });
    expect(row?.shown).toMatchObject({ verdict: 'Skipped', status: 'no HTTP response', reason: 'private-network' });
    expect(server.requestsTo('/ok?menu-private')).toEqual([]);
    await answer.close();
  });
});

describe('Check links in selection', () => {
  it('checks exactly the links inside the selection, as a page check would', async () => {
    await page.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('picked') as HTMLElement);
      const selection = document.getSelection() as Selection;
      selection.removeAllRanges();
      selection.addRange(range);
    });
    const answer = await clickMenu({
      menuItemId: 'linkpulse-check-selection',
      selectionText: 'Selected: fine gone moved mail private',
      pageUrl: page.url(),
      frameId: 0,
      editable: false,
    });
    const b = (path: string) => server.url(path, 'b.test');
    const rows = new Map((await readAnswers(answer)).map((r) => [r.url, r]));
    expect([...rows.keys()].sort()).toEqual(
      [
        b('/ok?menu-picked'),
        b('/status/410?menu-picked'),
        b('/redirect/1?menu-picked'),
        'mailto:someone@example.com',
        server.url('/ok?menu-picked-private'),
        b('/ok?menu-picked-area'),
      ].sort(),
    );
    expect(rows.get(b('/ok?menu-picked'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(rows.get(b('/ok?menu-picked-area'))).toMatchObject({ verdict: 'ok', status: '200' });
    expect(rows.get(b('/status/410?menu-picked'))).toMatchObject({
      verdict: 'broken',
      status: '410',
      reason: 'status',
    });
    expect(rows.get(b('/redirect/1?menu-picked'))).toMatchObject({
      verdict: 'redirected',
      status: '200',
      finalUrl: b('/ok'),
    });
    expect(rows.get('mailto:someone@example.com')).toMatchObject({ verdict: 'skipped', reason: 'scheme' });
    expect(rows.get(server.url('/ok?menu-picked-private'))).toMatchObject({
      verdict: 'skipped',
      reason: 'private-network',
    });
    expect(await summaryOf(answer)).toMatchObject({
      kind: 'selection',
      state: 'done',
      total: '6',
      checked: '6',
      ok: '2',
      redirected: '1',
      broken: '1',
      skipped: '2',
    });
    // Nothing outside the selection, and nothing private, was requested.
    expect(server.requests.filter((r) => r.path.includes('menu-outside'))).toEqual([]);
    expect(server.requestsTo('/ok?menu-picked-private')).toEqual([]);
    await answer.close();
  });

  it('takes a link the selection only partly covers, and none it does not touch', async () => {
    // From the middle of the first link's text to the middle of the third's.
    await select('#partial-first', 5, '#partial-last', 4);
    const answer = await clickMenu({
      menuItemId: 'linkpulse-check-selection',
      selectionText: 'partly selected wholly selected last',
      pageUrl: page.url(),
      frameId: 0,
      editable: false,
    });
    const d = (path: string) => server.url(path, 'd.test');
    const rows = new Map((await readAnswers(answer)).map((r) => [r.url, r]));
    expect([...rows.keys()].sort()).toEqual(
      [d('/ok?menu-partial-first'), d('/status/404?menu-partial-middle'), d('/ok?menu-partial-last')].sort(),
    );
    expect(rows.get(d('/status/404?menu-partial-middle'))?.archive).toBe(
      `https://web.archive.org/web/${d('/status/404?menu-partial-middle')}`,
    );
    expect(server.requests.filter((r) => r.path.includes('menu-outside'))).toEqual([]);
    await answer.close();
  });

  it('says so when the selection holds no link', async () => {
    await select('#before', 0, '#before', 10);
    const answer = await clickMenu({
      menuItemId: 'linkpulse-check-selection',
      selectionText: 'Before the',
      pageUrl: page.url(),
      frameId: 0,
      editable: false,
    });
    expect(await summaryOf(answer)).toMatchObject({ state: 'done', total: '0' });
    expect(await answer.$eval('[data-testid="answer-problem"]', (el) => el.textContent)).toMatch(/no links/i);
    await answer.close();
  });
});

describe('a menu check while a page check runs', () => {
  it('shares the per-host limit with it', async () => {
    await writeSettings(ext, { perHostConcurrency: 1 });
    const busy = await ext.browser.newPage();
    try {
      await busy.goto(server.url('/pages/context-menu-shared.html', 'pub.test'));
      const busyTab = await tabIdOf(ext, busy);
      server.resetStats();
      const popup = await openPopup(ext, busy);
      // The page check holds the host's one slot; the menu asks about another link of that host meanwhile.
      await until(() => server.requestsTo('/slow/400?page').length > 0, 'the page check has started');
      const asked = await busy.$eval('#asked', (a) => (a as HTMLAnchorElement).href);
      const answer = await clickMenu(
        { menuItemId: 'linkpulse-check-link', linkUrl: asked, pageUrl: busy.url(), frameId: 0, editable: false },
        { page: busy, tabId: busyTab },
      );
      const [row] = await readAnswers(answer);
      expect(row).toMatchObject({ url: asked, verdict: 'ok', status: '200' });
      await waitForState(popup, 'done', 60_000);
      expect(server.requestsTo('/slow/400?asked').length).toBeGreaterThan(0);
      // One limiter for both: never two requests at once to the host, though each check alone would keep to one.
      expect(server.maxInFlightByHost()['shared.test']).toBe(1);
      await answer.close();
      await popup.close();
    } finally {
      await busy.close();
      await writeSettings(ext, null);
    }
  });
});

describe('a menu check when the service worker stops', () => {
  it('goes on in the worker that starts next, and the window shows its answer', async () => {
    const url = await hrefOf('#slow');
    const answer = await clickMenu(
      { menuItemId: 'linkpulse-check-link', linkUrl: url, pageUrl: page.url(), frameId: 0, editable: false },
      { page, tabId },
      'shown',
    );
    await until(() => server.requestsTo('/slow/2500?menu-slow').length > 0, 'the link was sent');
    expect(await summaryOf(answer)).toMatchObject({ state: 'running' });
    // As Chrome stops an idle worker: its globals and its request are gone.
    await (await ext.worker()).close();
    // The window's port closed with the worker; it connects again, which starts a new worker that finds the check.
    await answer.waitForSelector('[data-testid="answer-summary"][data-state="done"]', { timeout: 60_000 });
    const [row] = await readAnswers(answer);
    expect(row).toMatchObject({ url, verdict: 'ok', status: '200' });
    expect(server.requestsTo('/slow/2500?menu-slow').length).toBeGreaterThanOrEqual(2);
    await answer.close();
  });
});
