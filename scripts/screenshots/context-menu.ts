// Context menu: "Check links in selection" over part of the demo page, answered in its window. No automation opens a
// native menu, so the menu's click is fired in the service worker as the browser fires it (as the e2e test does).
import { resolve } from 'node:path';
import type { Page } from 'puppeteer';
import { tabIdOf } from '../../tests/e2e/harness.ts';
import { type Stage, shoot } from './stage.ts';

export async function shootContextMenu({ ext, server }: Stage, docs: string): Promise<void> {
  const page = await ext.browser.newPage();
  await page.goto(server.url('/pages/basic.html', 'menu.test'));
  const tabId = await tabIdOf(ext, page);
  // What a person drags over: from the "Redirected" heading to the end of the "Blocked" list.
  const selectionText = await page.evaluate(() => {
    const headings = [...document.querySelectorAll('h2')];
    const from = headings.find((h) => h.textContent === 'Redirected') as HTMLElement;
    const to = headings.find((h) => h.textContent?.startsWith('Blocked'))?.nextElementSibling as HTMLElement;
    const range = document.createRange();
    range.setStartBefore(from);
    range.setEndAfter(to);
    const selection = document.getSelection() as Selection;
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  });

  const answerUrl = `chrome-extension://${ext.extensionId}/answer.html?`;
  const opened = ext.browser.waitForTarget((t) => t.url().startsWith(answerUrl), { timeout: 15_000 });
  await (await ext.worker()).evaluate(
    (text: string, tab: { id: number; url: string }) => {
      const api = (
        globalThis as unknown as {
          chrome: { contextMenus: { onClicked: { dispatch(info: object, tab: object): void } } };
        }
      ).chrome;
      const info = {
        menuItemId: 'linkpulse-check-selection',
        selectionText: text,
        pageUrl: tab.url,
        frameId: 0,
        editable: false,
      };
      api.contextMenus.onClicked.dispatch(info, { ...tab, active: true, index: 0, windowId: 1, incognito: false });
    },
    selectionText,
    { id: tabId, url: page.url() },
  );
  const answer = (await (await opened).asPage()) as Page;
  await answer.waitForSelector('[data-testid="answer-summary"][data-state="done"]', { timeout: 60_000 });
  // The size the extension asks for a selection's window (headless Chromium does not apply it).
  await shoot(answer, resolve(docs, 'context-menu.png'), { width: 720, height: 640 });
  await answer.close();
  await page.close();
}
