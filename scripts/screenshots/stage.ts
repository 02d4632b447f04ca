// What every screenshot script stands on: the fixture server on fixed ports (so the addresses in the pictures stay the
// same from one run to the next), Debian's Chromium with the built extension speaking English whatever the machine's
// language, and a writer that keeps the PNGs small. Shared by `npm run screenshots` and `npm run store-assets`.
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { Page } from 'puppeteer';
import sharp from 'sharp';
import { type ExtensionBrowser, launchWithExtension } from '../../tests/e2e/harness.ts';
import { type FixtureServer, startFixtureServer } from '../../tests/fixtures/server.ts';

/** Ports the pictures show; any free ones when these are taken (the pictures then differ only in the port). */
const HTTP_PORT = 45009;
const TLS_PORT = 45443;

export interface Stage {
  server: FixtureServer;
  ext: ExtensionBrowser;
  close(): Promise<void>;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function startServer(): Promise<FixtureServer> {
  if ((await isFree(HTTP_PORT)) && (await isFree(TLS_PORT))) {
    return startFixtureServer({ port: HTTP_PORT, tlsPort: TLS_PORT });
  }
  console.warn(`Port ${HTTP_PORT} or ${TLS_PORT} is taken: the pictures will show other ports.`);
  return startFixtureServer();
}

/** The fixture's certificate, trusted by this browser only: the second opinion's navigation-only wall is on https. */
function fixtureSpki(): string {
  const cert = new X509Certificate(readFileSync(resolve(import.meta.dirname, '../../tests/fixtures/tls/cert.pem')));
  return createHash('sha256')
    .update(cert.publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

/** Starts the server and the browser; `extraArgs` go to Chromium. */
export async function startStage(extraArgs: string[] = []): Promise<Stage> {
  // Chromium on Linux takes its UI language from the environment; the extension's texts and Intl follow it.
  process.env.LANGUAGE = 'en_US';
  process.env.LANG = 'en_US.UTF-8';
  process.env.LC_ALL = 'en_US.UTF-8';
  const server = await startServer();
  const ext = await launchWithExtension([
    '--lang=en-US',
    '--accept-lang=en-US,en',
    `--ignore-certificate-errors-spki-list=${fixtureSpki()}`,
    ...extraArgs,
  ]).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const language = await (await ext.worker()).evaluate(() =>
    (globalThis as unknown as { chrome: { i18n: { getUILanguage(): string } } }).chrome.i18n.getUILanguage(),
  );
  if (!language.startsWith('en')) {
    await ext.close();
    await server.close();
    throw new Error(`The browser speaks ${language}, not English: the pictures would not match the README.`);
  }
  return {
    server,
    ext,
    async close() {
      await ext.close();
      await server.close();
    },
  };
}

/** Writes a PNG with a 256-colour palette: a UI picture loses nothing visible and shrinks to a third or less. */
export async function writePng(shot: Uint8Array, file: string): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  await sharp(shot).png({ palette: true, quality: 90, effort: 10, compressionLevel: 9 }).toFile(file);
  console.log(`  wrote ${file}`);
}

export interface ShotSize {
  width: number;
  height: number;
  /** Keep the whole height even below the page's end (the stores want exactly 1280×800). */
  exact?: boolean;
}

/** The page as a person sees it in a 1280×800 window, from the top; cut below the page's end unless `exact`. */
export async function shoot(page: Page, file: string, size: ShotSize = { width: 1280, height: 800 }): Promise<void> {
  const { width, height } = size;
  await page.setViewport({ width, height });
  await page.bringToFront();
  await page.evaluate(() => window.scrollTo(0, 0));
  // The bottom of the last thing drawn (the root's scrollHeight is never less than the window).
  const used = size.exact
    ? height
    : await page.evaluate(() => {
        const bottoms = [...document.body.children].map((el) => el.getBoundingClientRect().bottom);
        return Math.ceil(Math.max(0, ...bottoms)) + 24;
      });
  await writePng(await page.screenshot({ clip: { x: 0, y: 0, width, height: Math.min(height, used) } }), file);
}
