// History: four checks of one page while its site changes (the fixture's /changing-page and /changeable/<key>), then
// the last check's report — each row's change, "New problems" — and the page's history with its trend.
import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { openPopup, openReport, tabIdOf, writeSettings } from '../../tests/e2e/harness.ts';
import { type Stage, shoot } from './stage.ts';

/** Each check: what the changeable links answer from then on, and which of them the page lists. */
const FIRST = ['getting-started', 'pricing', 'changelog', 'old-press-kit', 'partner-portal', 'careers'];
const LATER = ['getting-started', 'pricing', 'changelog', 'partner-portal', 'careers', 'roadmap'];
const CHECKS: { answers: Record<string, number>; links: string[] }[] = [
  // 4 problems: a login wall, two missing pages, a server error.
  { answers: { 'partner-portal': 403, changelog: 404, 'old-press-kit': 404, careers: 500 }, links: FIRST },
  // 2: the press kit and the careers page are back.
  { answers: { 'old-press-kit': 200, careers: 200 }, links: FIRST },
  // 2: the press kit leaves the page, a roadmap joins it.
  { answers: {}, links: LATER },
  // 3: the changelog is fixed, the pricing page breaks, a new link is dead from the start.
  {
    answers: { changelog: 200, pricing: 404, 'webinar-2026': 410 },
    links: [...LATER, 'webinar-2026', 'api-reference'],
  },
];

export async function shootHistory({ ext, server }: Stage, docs: string): Promise<void> {
  // Fresh answers on every check: the recent-results cache would otherwise hide the site's change.
  await writeSettings(ext, { cacheMinutes: 0 });
  const pageUrl = server.url('/changing-page', 'site.test');
  const page = await ext.browser.newPage();
  for (const { answers, links } of CHECKS) {
    for (const [key, status] of Object.entries(answers)) server.setAnswer(key, status);
    server.setChangingPage(links.map((key) => server.url(`/changeable/${key}`, 'links.test')));
    // Away and back: the tab's run is forgotten, so the popup starts a new check at once.
    await page.goto(server.url('/ok', 'elsewhere.test'));
    await page.goto(pageUrl);
    const popup = await openPopup(ext, page);
    await popup.waitForSelector(`[data-testid="run-summary"][data-state="done"][data-total="${links.length}"]`, {
      timeout: 60_000,
    });
    await popup.close();
  }

  const report: Page = await openReport(ext, await tabIdOf(ext, page));
  await report.waitForSelector('[data-testid="run-summary"][data-state="done"]');
  await shoot(report, resolve(docs, 'history.png'));
  await report.click('[data-testid="open-history"]');
  await report.waitForSelector('[data-testid="history-trend"] polyline');
  // From the top of the report down to the end of the history: the rows below are in history.png already.
  const end = await report.$eval('[data-testid="open-history"]', (summary) => {
    const box = (summary.closest('details') ?? summary).getBoundingClientRect();
    return Math.ceil(box.bottom + window.scrollY) + 4;
  });
  await shoot(report, resolve(docs, 'history-view.png'), { width: 1280, height: Math.min(800, end) });
  await report.close();
  await page.close();
  await writeSettings(ext, null);
}
