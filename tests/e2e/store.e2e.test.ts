// What a person expects of an installed extension before trusting it: an icon, a shortcut, a privacy page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iconPaths } from '../../utils/toolbar-icon';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { EXTENSION_DIR, type ExtensionBrowser, launchWithExtension, openPopup } from './harness';

const manifest = () => JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));

describe('the built extension, as a store and a toolbar show it', () => {
  it('has its icon at every size the stores and toolbars ask for, rendered to that size', async () => {
    const m = manifest();
    for (const icons of [m.icons, m.action.default_icon]) {
      expect(Object.keys(icons).sort()).toEqual(['128', '16', '32', '48']);
      for (const [size, path] of Object.entries(icons as Record<string, string>)) {
        const { width, height, format } = await sharp(join(EXTENSION_DIR, path)).metadata();
        expect({ width, height, format }).toEqual({ width: Number(size), height: Number(size), format: 'png' });
      }
    }
  });

  it('ships the toolbar icons of a running check and of one that found problems, at toolbar sizes', async () => {
    for (const state of ['running', 'problems'] as const) {
      for (const [size, path] of Object.entries(iconPaths(state))) {
        const { width, height } = await sharp(join(EXTENSION_DIR, path)).metadata();
        expect({ width, height }).toEqual({ width: Number(size), height: Number(size) });
      }
    }
  });

  it('declares the keyboard command that opens the popup', () => {
    expect(manifest().commands?._execute_action?.suggested_key?.default).toBe('Alt+Shift+L');
  });

  it('speaks English by default and German too, down to its name and description in the store', () => {
    const m = manifest();
    expect(m.default_locale).toBe('en');
    const messagesOf = (lang: string) =>
      JSON.parse(readFileSync(join(EXTENSION_DIR, '_locales', lang, 'messages.json'), 'utf8'));
    const texts = [m.name, m.description, m.commands._execute_action.description];
    for (const text of texts) expect(text).toMatch(/^__MSG_\w+__$/);
    const say = (lang: string, text: string) => messagesOf(lang)[text.slice('__MSG_'.length, -2)]?.message;
    expect(texts.map((text) => say('en', text))).toEqual([
      'Linkpulse',
      'Finds broken links on the page you are looking at.',
      'Check the links on this page',
    ]);
    for (const text of texts) expect(say('de', text), text).toBeTruthy();
    expect(say('de', m.description)).not.toBe(say('en', m.description));
  });
});

describe('the shortcut and the privacy page', () => {
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

  it("shows the browser's shortcut for Linkpulse in the popup", async () => {
    const page = await ext.browser.newPage();
    await page.goto(server.url('/pages/basic.html', 'shortcut.test'));
    const popup = await openPopup(ext, page);
    const hint = await popup.waitForSelector('[data-testid="shortcut"]');
    expect(await hint?.evaluate((el) => el.textContent)).toContain('Alt+Shift+L');
    await popup.close();
    await page.close();
  });

  it('links the options page to the privacy text shipped in the extension', async () => {
    const options = await ext.browser.newPage();
    await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
    const href = await options.$eval('[data-testid="privacy"]', (a) => (a as HTMLAnchorElement).href);
    expect(href).toBe(`chrome-extension://${ext.extensionId}/privacy.html`);
    const privacy = await ext.browser.newPage();
    await privacy.goto(href);
    const text = await privacy.$eval('#app', (el) => el.textContent ?? '');
    expect(text).toBe(readFileSync(join(import.meta.dirname, '../../PRIVACY.md'), 'utf8'));
    await privacy.close();
    await options.close();
  });
});
