// The options page in Chromium: bad values are shown and never saved; good ones change the next run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import {
  type ExtensionBrowser,
  launchWithExtension,
  openPopup,
  openReport,
  readSummary,
  tabIdOf,
  waitForState,
} from './harness';

let server: FixtureServer;
let ext: ExtensionBrowser;
let options: Page;

async function storedSettings(): Promise<Record<string, unknown> | undefined> {
  const worker = await ext.worker();
  return worker.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { storage: { sync: { get(k: string): Promise<object> } } } })
      .chrome;
    return ((await api.storage.sync.get('settings')) as { settings?: Record<string, unknown> }).settings;
  });
}

async function typeInto(testid: string, text: string): Promise<void> {
  const field = (await options.$(`[data-testid="${testid}"]`)) as ElementHandle<HTMLInputElement>;
  await field.click({ count: 3 });
  await field.evaluate((el) => {
    el.select();
  });
  await options.keyboard.press('Backspace');
  if (text) await field.type(text);
}

const fieldValue = (testid: string) =>
  options.$eval(`[data-testid="${testid}"]`, (el) => (el as HTMLInputElement | HTMLTextAreaElement).value);
const statusOf = () =>
  options.$eval('[data-testid="status"]', (el) => ({
    kind: (el as HTMLElement).dataset.kind,
    text: el.textContent ?? '',
  }));

beforeAll(async () => {
  server = await startFixtureServer();
  ext = await launchWithExtension();
  options = await ext.browser.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.waitForSelector('[data-testid="save"]');
});
afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the options page', () => {
  it('shows the defaults', async () => {
    expect(await fieldValue('opt-perHostConcurrency')).toBe('6');
    // The global limit is automatic: the number field waits, disabled, with the most a fixed limit may be.
    expect(
      await options.$eval('[data-testid="opt-globalConcurrency-auto"]', (el) => (el as HTMLInputElement).checked),
    ).toBe(true);
    expect(
      await options.$eval('[data-testid="opt-globalConcurrency"]', (el) => (el as HTMLInputElement).disabled),
    ).toBe(true);
    expect(await fieldValue('opt-globalConcurrency')).toBe('64');
    expect(
      await options.$eval('[data-testid="opt-privateNetworkGuard"]', (el) => (el as HTMLInputElement).checked),
    ).toBe(true);
  });

  it('shows the exact error next to a bad field as it is typed, and saves nothing', async () => {
    await typeInto('opt-perHostConcurrency', '9');
    const perHostError = await options.waitForSelector('[data-testid="error-perHostConcurrency"]');
    expect(await perHostError?.evaluate((el) => el.textContent)).toBe('Must be from 1 to 6 (got 9).');
    expect(await options.$eval('[data-testid="opt-perHostConcurrency"]', (el) => el.getAttribute('aria-invalid'))).toBe(
      'true',
    );

    await typeInto('opt-excludePatterns', '*.pdf\n/[unclosed/');
    const patternError = await options.waitForSelector('[data-testid="error-excludePatterns"]');
    expect(await patternError?.evaluate((el) => el.textContent)).toMatch(
      /^Line 2 \(\/\[unclosed\/\): Invalid regular expression/,
    );

    await options.click('[data-testid="save"]');
    expect(await statusOf()).toMatchObject({ kind: 'error', text: expect.stringMatching(/^Not saved/) });
    expect(await storedSettings()).toBeUndefined();
    await options.reload();
    await options.waitForSelector('[data-testid="save"]');
    expect(await fieldValue('opt-perHostConcurrency')).toBe('6');
    expect(await fieldValue('opt-excludePatterns')).toBe('');
  });

  it('saves a good value, and the next run keeps to it while later changes wait for the run after', async () => {
    await typeInto('opt-perHostConcurrency', '2');
    expect(await options.$('[data-testid="error-perHostConcurrency"]')).toBeNull();
    await options.click('[data-testid="save"]');
    await options.waitForSelector('[data-testid="status"][data-kind="saved"]');
    expect(await storedSettings()).toMatchObject({ perHostConcurrency: 2, globalConcurrency: 'auto' });

    server.resetStats();
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=30&hosts=1&latency=300', 'gen.test'));
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'running');
    // A change saved mid-run (30 links, two at a time, 300 ms each: about 4.5 s) does not touch the run in progress.
    // The options tab sits behind the page under test, where Chromium does not render, so it is edited by events.
    await options.$eval('[data-testid="opt-perHostConcurrency"]', (el) => {
      (el as HTMLInputElement).value = '3';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await options.$eval('[data-testid="save"]', (el) => (el as HTMLButtonElement).click());
    await options.waitForSelector('[data-testid="status"][data-kind="saved"]');
    expect(await storedSettings()).toMatchObject({ perHostConcurrency: 3 });
    expect((await readSummary(popup)).state).toBe('running');
    await waitForState(popup, 'done', 30_000);
    expect(server.requestsTo('/latency/300/').length).toBeGreaterThanOrEqual(30);
    expect(server.maxInFlightByHost()['h0.test']).toBe(2);

    // The report says which settings the run used.
    const report = await openReport(ext, await tabIdOf(ext, page));
    const used = await report.$eval('[data-testid="run-settings"] [data-key="perHostConcurrency"]', (el) => ({
      label: el.querySelector('dt')?.textContent,
      value: el.querySelector('dd')?.textContent,
    }));
    expect(used).toEqual({ label: 'Requests at once, per host', value: '2' });
    await report.close();

    // The popup's Options control opens this page in a tab (the popup closed when the report took focus). Chromium
    // focuses an options tab already open rather than opening another, so this one closes first.
    await options.close();
    const again = await openPopup(ext, page);
    const opened = ext.browser.waitForTarget((t) => t.type() === 'page' && t.url().endsWith('/options.html'), {
      timeout: 10_000,
    });
    await again.click('[data-testid="open-options"]');
    options = await (await opened).asPage();
    await options.waitForSelector('[data-testid="save"]');
    expect(await fieldValue('opt-perHostConcurrency')).toBe('3');
    if (!again.isClosed()) await again.close();
    await page.close();
    await options.bringToFront();
  });

  it('refuses an invalid settings file with words, changing nothing', async () => {
    const file = join(ext.downloadDir, 'bad-settings.json');
    writeFileSync(file, JSON.stringify({ perHostConcurrency: 50, sendCookies: 'yes' }));
    const input = (await options.$('[data-testid="import-settings"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await options.waitForSelector('[data-testid="status"][data-kind="error"]');
    expect((await statusOf()).text).toBe(
      'Not imported — perHostConcurrency: Must be from 1 to 6 (got 50).; sendCookies: Must be true or false. Nothing was changed.',
    );
    expect(await storedSettings()).toMatchObject({ perHostConcurrency: 3 });
    expect(await fieldValue('opt-perHostConcurrency')).toBe('3');
  });

  it('refuses patterns that storage.sync could not hold, before writing anything, its ignored links too', async () => {
    const worker = await ext.worker();
    type Area = { set(items: object): Promise<void>; get(key: string): Promise<Record<string, unknown>> };
    type Chrome = { chrome: { storage: { sync: Area; local: Area } } };
    // What the limit stands on: Chromium refuses a synced item over 8 192 bytes.
    const refusal = await worker.evaluate(async () => {
      const { sync } = (globalThis as unknown as Chrome).chrome.storage;
      return sync.set({ probe: 'x'.repeat(9_000) }).then(
        () => 'written',
        (error: Error) => error.message,
      );
    });
    expect(refusal).toMatch(/QuotaBytesPerItem|QUOTA_BYTES_PER_ITEM/);
    const before = await storedSettings();
    const glob = (c: string) => `https://a.test/${c.repeat(1_500)}*`;
    const file = join(ext.downloadDir, 'big-patterns.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'linkpulse-settings',
        version: 1,
        settings: { retries: 4, excludePatterns: ['a', 'b', 'c', 'd', 'e', 'f'].map(glob) },
        ignoredLinks: [{ site: 'b.test', url: 'https://b.test/y', note: '', at: 1 }],
      }),
    );
    const input = (await options.$('[data-testid="import-settings"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await options.waitForSelector('[data-testid="status"][data-kind="error"]');
    expect((await statusOf()).text).toBe(
      'Not imported — excludePatterns: At most 6000 bytes of patterns in all: the browser syncs settings in items of 8 KB. Nothing was changed.',
    );
    expect(await storedSettings()).toEqual(before);
    const ignored = await worker.evaluate(
      async () => (await (globalThis as unknown as Chrome).chrome.storage.local.get('ignoredLinks')).ignoredLinks,
    );
    expect(ignored ?? []).toEqual([]);
  });

  it('imports a valid settings file and saves it', async () => {
    const file = join(ext.downloadDir, 'good-settings.json');
    writeFileSync(file, JSON.stringify({ format: 'linkpulse-settings', version: 1, settings: { retries: 4 } }));
    const input = (await options.$('[data-testid="import-settings"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await options.waitForSelector('[data-testid="status"][data-kind="saved"]');
    expect(await fieldValue('opt-retries')).toBe('4');
    expect(await storedSettings()).toMatchObject({ retries: 4, perHostConcurrency: 6 });
  });

  it('takes a fixed global limit from 1 to 64 instead of the automatic one, and the next run keeps to it', async () => {
    await options.click('[data-testid="opt-globalConcurrency-auto"]');
    await typeInto('opt-globalConcurrency', '65');
    const tooMany = await options.waitForSelector('[data-testid="error-globalConcurrency"]');
    expect(await tooMany?.evaluate((el) => el.textContent)).toBe('Must be from 1 to 64 (got 65).');
    await typeInto('opt-globalConcurrency', '3');
    expect(await options.$('[data-testid="error-globalConcurrency"]')).toBeNull();
    await options.click('[data-testid="save"]');
    await options.waitForSelector('[data-testid="status"][data-kind="saved"]');
    expect(await storedSettings()).toMatchObject({ globalConcurrency: 3, perHostConcurrency: 6 });

    // Twelve links on three hosts, six allowed per host: never more than three in flight in all.
    server.resetStats();
    const page = await ext.browser.newPage();
    await page.goto(server.url('/generate?n=12&hosts=3&latency=250', 'global.test'));
    const popup = await openPopup(ext, page);
    await waitForState(popup, 'done', 30_000);
    expect(await readSummary(popup)).toMatchObject({ total: '12', ok: '12' });
    expect(server.maxInFlight()).toBe(3);
    await popup.close();
    await page.close();
    await options.bringToFront();
  });

  it('asks before resetting to defaults', async () => {
    await typeInto('opt-retries', '1');
    await options.click('[data-testid="save"]');
    await options.waitForSelector('[data-testid="status"][data-kind="saved"]');
    await options.click('[data-testid="reset"]');
    // Nothing happens until the reset is confirmed.
    expect(await storedSettings()).toMatchObject({ retries: 1 });
    await options.click('[data-testid="reset-confirm"]');
    await options.waitForFunction(() =>
      document.querySelector('[data-testid="status"]')?.textContent?.startsWith('Defaults restored'),
    );
    expect(await fieldValue('opt-retries')).toBe('2');
    expect(await storedSettings()).toMatchObject({ retries: 2, perHostConcurrency: 6, globalConcurrency: 'auto' });
    expect(
      await options.$eval('[data-testid="opt-globalConcurrency-auto"]', (el) => (el as HTMLInputElement).checked),
    ).toBe(true);
  });
});
