// What a person sees of a page, measured from a screenshot: the share of pixels of one colour around an element (the
// highlights drawn on the overlay, which no page script can read, are seen this way).
import type { Page } from 'puppeteer';
import type { ExtensionBrowser } from './harness';

/** Colours as the person sees them: the verdicts' outlines on a page, and the flash of a link being shown. */
export const BROKEN: [number, number, number] = [198, 40, 40];
export const OK: [number, number, number] = [30, 125, 58];
export const BLOCKED: [number, number, number] = [154, 91, 0];
export const FLASH: [number, number, number] = [255, 179, 0];

/** Measures the share of pixels around an element, as the person sees the page, that have this colour. */
export function colourMeter(ext: () => ExtensionBrowser) {
  return async (target: Page, selector: string, rgb: [number, number, number]): Promise<number> => {
    const rect = await target.evaluate((selectorInPage) => {
      const [hostSelector, inner] = selectorInPage.split(' >>> ');
      const host = document.querySelector(hostSelector ?? '');
      const el = inner ? host?.shadowRoot?.querySelector(inner) : host;
      const r = el?.getBoundingClientRect();
      return r ? { left: r.left, top: r.top, width: r.width, height: r.height, viewport: window.innerWidth } : null;
    }, selector);
    if (!rect) throw new Error(`${selector} is not on the page`);
    // A tab in the background draws nothing to capture; in front, it closes the popup (as a click on the page would).
    await target.bringToFront();
    const png = await target.screenshot({ encoding: 'base64', captureBeyondViewport: false });
    // Decoded in the extension's worker: nothing of the measure runs where the page's scripts are.
    const worker = await ext().worker();
    return worker.evaluate(
      async (data, area, [r, g, b]) => {
        const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${data}`)).blob());
        const scale = image.width / area.viewport;
        const canvas = new OffscreenCanvas(image.width, image.height);
        const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
        context.drawImage(image, 0, 0);
        const x = Math.max(0, Math.floor((area.left - 6) * scale));
        const y = Math.max(0, Math.floor((area.top - 6) * scale));
        const width = Math.min(image.width - x, Math.ceil((area.width + 12) * scale));
        const height = Math.min(image.height - y, Math.ceil((area.height + 12) * scale));
        if (width <= 0 || height <= 0) throw new Error('The element is not in view');
        const pixels = context.getImageData(x, y, width, height).data;
        let matching = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const near =
            Math.abs((pixels[i] ?? 0) - r) + Math.abs((pixels[i + 1] ?? 0) - g) + Math.abs((pixels[i + 2] ?? 0) - b);
          if (near < 30) matching += 1;
        }
        return matching / (pixels.length / 4);
      },
      png,
      rect,
      rgb,
    );
  };
}
