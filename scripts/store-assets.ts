// Store listing screenshots, made from the demo the way `npm run demo` makes the README's: a demo site served on
// loopback, the built extension in Debian's Chromium, a real check. Writes docs/store/*.png at the 1280×800 the Chrome
// Web Store and addons.mozilla.org take. Run with `npm run store-assets` (it builds first); the listing text beside
// them, docs/store/listing.md, is written by hand.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { launchWithExtension, openPopup, openReport, tabIdOf, waitForState } from '../tests/e2e/harness.ts';
import { startFixtureServer } from '../tests/fixtures/server.ts';

const WIDTH = 1280;
const HEIGHT = 800;
const out = resolve(import.meta.dirname, '../docs/store');
mkdirSync(out, { recursive: true });

/** Puts a smaller shot in the middle of a 1280×800 canvas in the icon's blue. */
async function framed(shot: Uint8Array, file: string): Promise<void> {
  const { width = 0, height = 0 } = await sharp(shot).metadata();
  await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 4, background: '#1565c0' } })
    .composite([
      { input: Buffer.from(shot), left: Math.round((WIDTH - width) / 2), top: Math.round((HEIGHT - height) / 2) },
    ])
    .png()
    .toFile(resolve(out, file));
}

const server = await startFixtureServer();
const ext = await launchWithExtension();
try {
  const page = await ext.browser.newPage();
  await page.goto(server.url('/pages/basic.html', 'demo.test'));
  const popup = await openPopup(ext, page);
  await waitForState(popup, 'done');
  await framed(await popup.screenshot(), '1-popup.png');

  const report = await openReport(ext, await tabIdOf(ext, page));
  await waitForState(report, 'done');
  await report.setViewport({ width: WIDTH, height: HEIGHT });
  await report.screenshot({ path: resolve(out, '2-report.png') });

  const options = await ext.browser.newPage();
  await options.setViewport({ width: WIDTH, height: HEIGHT });
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.waitForSelector('[data-testid="save"]');
  await options.screenshot({ path: resolve(out, '3-options.png') });
  console.log(`Store screenshots: ${out}/1-popup.png, 2-report.png, 3-options.png`);
} finally {
  await ext.close();
  await server.close();
}
