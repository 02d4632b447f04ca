// Store listing screenshots, made from the demo the way `npm run screenshots` makes the README's: a demo site served on
// loopback, the built extension in Debian's Chromium (in English), a real check. Writes docs/store/*.png at the
// 1280×800 the Chrome Web Store and addons.mozilla.org take. Run with `npm run store-assets` (it builds first); the
// listing text beside them, docs/store/listing.md, is written by hand.
import { resolve } from 'node:path';
import sharp from 'sharp';
import { openPopup, openReport, tabIdOf, waitForState } from '../tests/e2e/harness.ts';
import { shoot, startStage, writePng } from './screenshots/stage.ts';

const WIDTH = 1280;
const HEIGHT = 800;
const out = resolve(import.meta.dirname, '../docs/store');

/** Puts a smaller shot in the middle of a 1280×800 canvas in the icon's blue. */
async function framed(shot: Uint8Array, file: string): Promise<void> {
  const { width = 0, height = 0 } = await sharp(shot).metadata();
  const canvas = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 4, background: '#1565c0' } })
    .composite([
      { input: Buffer.from(shot), left: Math.round((WIDTH - width) / 2), top: Math.round((HEIGHT - height) / 2) },
    ])
    .png()
    .toBuffer();
  await writePng(canvas, resolve(out, file));
}

const { server, ext, close } = await startStage();
try {
  const page = await ext.browser.newPage();
  await page.goto(server.url('/pages/basic.html', 'demo.test'));
  const popup = await openPopup(ext, page);
  // The demo page holds a server that never answers: the check ends at its 25 s deadline.
  await waitForState(popup, 'done', 90_000);
  await framed(await popup.screenshot(), '1-popup.png');

  const report = await openReport(ext, await tabIdOf(ext, page));
  await waitForState(report, 'done');
  await shoot(report, resolve(out, '2-report.png'), { width: WIDTH, height: HEIGHT, exact: true });

  const options = await ext.browser.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options.html`);
  await options.waitForSelector('[data-testid="save"]');
  await shoot(options, resolve(out, '3-options.png'), { width: WIDTH, height: HEIGHT, exact: true });
} finally {
  await close();
}
