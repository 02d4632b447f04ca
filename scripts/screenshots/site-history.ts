// Site checks in the history: three site checks from one start page while its links change (the fixture's
// /changing-page and /changeable/<key>), then the last one's crawl page — each row's change, "New problems" — with its
// history panel open: the kept site checks with their counts and the trend.
import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { siteCheckDone, startSiteCheck, writeSettings } from '../../tests/e2e/harness.ts';
import { type Stage, shoot } from './stage.ts';

/** Each site check: what the changeable links answer from then on, and which of them the start page lists. */
const CHECKS: { answers: Record<string, number>; links: string[] }[] = [
  { answers: { changelog: 404, careers: 500 }, links: ['getting-started', 'pricing', 'changelog', 'careers'] },
  { answers: { careers: 200 }, links: ['getting-started', 'pricing', 'changelog', 'careers', 'old-press-kit'] },
  // The changelog is fixed, the pricing page breaks, a new link is dead from the start.
  {
    answers: { changelog: 200, pricing: 404, 'webinar-2026': 410 },
    links: ['getting-started', 'pricing', 'changelog', 'careers', 'webinar-2026'],
  },
];

export async function shootSiteHistory({ ext, server }: Stage, docs: string): Promise<void> {
  // Fresh answers on every check: the recent-results cache would otherwise hide the site's change.
  await writeSettings(ext, { cacheMinutes: 0 });
  const page = await ext.browser.newPage();
  await page.goto(server.url('/changing-page', 'site.test'));
  let crawl: Page | null = null;
  for (const { answers, links } of CHECKS) {
    for (const [key, status] of Object.entries(answers)) server.setAnswer(key, status);
    server.setChangingPage(links.map((key) => server.url(`/changeable/${key}`, 'links.test')));
    await crawl?.close();
    crawl = await startSiteCheck(ext, page, { timeout: 15_000 });
    await siteCheckDone(crawl, 120_000);
  }
  if (!crawl) return;
  await crawl.setViewport({ width: 1280, height: 800 });
  await crawl.bringToFront();
  await crawl.click('[data-testid="open-history"]');
  await crawl.waitForSelector('[data-testid="history-trend"] polyline');
  await shoot(crawl, resolve(docs, 'site-history.png'));
  await crawl.close();
  await page.close();
  await writeSettings(ext, null);
}
