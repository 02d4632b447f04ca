import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { defineWxtModule } from 'wxt/modules';
import { STATE_ICON_SIZES, STATE_MARKS, stateIconPath } from '../utils/toolbar-icon';

/**
 * The toolbar icon's states (running, problems found) drawn at build time from the one source, assets/icon.svg, with a
 * coloured dot in the corner: the toolbar shows a tab's state at a glance, besides the badge's count.
 */
export default defineWxtModule({
  name: 'linkpulse-state-icons',
  setup(wxt) {
    const source = resolve(wxt.config.root, 'assets/icon.svg');
    wxt.hooks.hook('build:done', async (_wxt, output) => {
      await mkdir(resolve(wxt.config.outDir, 'icons'), { recursive: true });
      for (const [state, colour] of Object.entries(STATE_MARKS)) {
        for (const size of STATE_ICON_SIZES) {
          const r = size * 0.22;
          const dot = Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">` +
              `<circle cx="${size - r}" cy="${size - r}" r="${r}" fill="${colour}" stroke="#ffffff" ` +
              `stroke-width="${Math.max(1, size / 16)}"/></svg>`,
          );
          const file = stateIconPath(state as keyof typeof STATE_MARKS, size);
          await sharp(source)
            .resize(size)
            .composite([{ input: dot }])
            .png()
            .toFile(resolve(wxt.config.outDir, file));
          output.publicAssets.push({ type: 'asset', fileName: file });
        }
      }
    });
  },
});
