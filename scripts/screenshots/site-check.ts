// Site check: the crawl page after "Check this site" on the fixture site (pages over several levels, a logout link
// never requested, nofollow and robots-disallowed links, a members area, missing and moved pages). One picture of two
// parts of the page: its top down to the last link that is not plainly ok, then the start of the list of pages.
import { resolve } from 'node:path';
import sharp from 'sharp';
import { siteCheckDone, startSiteCheck } from '../../tests/e2e/harness.ts';
import { type Stage, writePng } from './stage.ts';

const WIDTH = 1280;
const HEIGHT = 800;
/** The grey line between the two parts, so nobody takes them for one stretch of the page. */
const DIVIDER = 3;

export async function shootSiteCheck({ ext, server }: Stage, docs: string): Promise<void> {
  const page = await ext.browser.newPage();
  await page.goto(server.url('/site/', 'site.test'));
  const crawl = await startSiteCheck(ext, page, { timeout: 15_000 });
  await siteCheckDone(crawl, 120_000);
  await crawl.setViewport({ width: WIDTH, height: HEIGHT });
  await crawl.bringToFront();

  // Rows off screen are laid out lazily (content-visibility), so each part is measured and taken where it is seen.
  await crawl.evaluate(() => window.scrollTo(0, 0));
  const topEnd = await crawl.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="link-row"]')];
    const last = rows.filter((row) => row.dataset.verdict !== 'ok').at(-1) ?? rows[0];
    return Math.ceil(last?.getBoundingClientRect().bottom ?? 0) + 1;
  });
  const topHeight = Math.min(topEnd, 600);
  const top = await sharp(await crawl.screenshot())
    .extract({ left: 0, top: 0, width: WIDTH, height: topHeight })
    .toBuffer();
  const pagesStart = await crawl.evaluate(async () => {
    const heading = document.querySelector('[data-testid="page-row"]')?.closest('table')?.previousElementSibling;
    heading?.scrollIntoView();
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    return Math.max(0, Math.floor(heading?.getBoundingClientRect().top ?? 0) - 8);
  });
  const pagesHeight = Math.min(HEIGHT - topHeight - DIVIDER, HEIGHT - pagesStart);
  const pages = await sharp(await crawl.screenshot())
    .extract({ left: 0, top: pagesStart, width: WIDTH, height: pagesHeight })
    .toBuffer();
  const picture = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#c8c8c8' } })
    .composite([
      { input: Buffer.from(top), left: 0, top: 0 },
      { input: Buffer.from(pages), left: 0, top: topHeight + DIVIDER },
    ])
    .png()
    .toBuffer();
  await writePng(picture, resolve(docs, 'site-check.png'));
  await crawl.close();
  await page.close();
}
