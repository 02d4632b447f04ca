// What the built extension asks for and ships, read from .output/chrome-mv3, and what a web page can reach of it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixtures/server';
import { EXTENSION_DIR, type ExtensionBrowser, launchWithExtension } from './harness';

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
    expect([...m.permissions].sort()).toEqual(['alarms', 'downloads', 'scripting', 'storage', 'webRequest']);
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
});
