// Site check: the crawl page after "Check this site" on the fixture site (pages over several levels, a logout link
// never requested, nofollow and robots-disallowed links, a members area, missing and moved pages).
import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { openPopup, tabIdOf } from '../../tests/e2e/harness.ts';
import { type Stage, shoot } from './stage.ts';

export async function shootSiteCheck({ ext, server }: Stage, docs: string): Promise<void> {
  const page = await ext.browser.newPage();
  await page.goto(server.url('/site/', 'site.test'));
  const popup = await openPopup(ext, page);
  const tabId = await tabIdOf(ext, page);
  await popup.waitForSelector('[data-testid="crawl-start"]:not([disabled])');
  const opened = ext.browser.waitForTarget((t) => t.url().includes(`/crawl.html?tab=${tabId}`), { timeout: 15_000 });
  await popup.click('[data-testid="crawl-start"]');
  const crawl = (await (await opened).asPage()) as Page;
  await crawl.waitForSelector('[data-testid="crawl-summary"][data-state="done"]', { timeout: 120_000 });
  await shoot(crawl, resolve(docs, 'site-check.png'));
  await crawl.close();
  await page.close();
}
