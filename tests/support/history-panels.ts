// What the unit tests of the pages' history lists share (happy-dom): a root to draw in, the runs a panel lists, a
// panel opened or closed as a person does, and a kept page check as the history holds it.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { RunRecord } from '../../utils/history/history-store';
import { DEFAULT_SETTINGS } from '../../utils/settings';

let root: HTMLElement | null = null;

/** A fresh element in the document to draw a page's part in. */
export function panelRoot(): HTMLElement {
  root = document.createElement('div');
  document.body.append(root);
  return root;
}

/** Takes down what was drawn (for afterEach): effects are cleaned up, listeners let go. */
export function removePanelRoot(): void {
  if (root) render(null, root);
  root?.remove();
  root = null;
}

/** The runs a history panel lists: each one's id, and whether it is the one on screen (`aria-current`). */
export const listedRuns = () =>
  [...document.querySelectorAll<HTMLElement>('[data-testid="history-run"]')].map((row) => [
    row.dataset.runId,
    row.getAttribute('aria-current') ?? '',
  ]);

/** Opens or closes a `<details>` panel as a click on its summary does. */
export const toggleDetails = (details: HTMLDetailsElement, open: boolean) =>
  act(async () => {
    details.open = open;
    details.dispatchEvent(new Event('toggle'));
  });

/** Lets pending reads answer (each is a few promise steps) and the panel draw them. */
export const settleReads = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

/** A kept page check of `pageUrl`, finished at `finishedAt`, with no links. */
export function pageRecord(runId: string, pageUrl: string, finishedAt: number): RunRecord {
  return {
    runId,
    kind: 'page',
    pageKey: pageUrl,
    site: new URL(pageUrl).host,
    finishedAt,
    bytes: 10,
    meta: {
      runId,
      tabId: 1,
      page: { url: pageUrl, title: 'T' },
      startedAt: 0,
      finishedAt,
      state: 'done',
      settings: DEFAULT_SETTINGS,
      total: 0,
      truncated: false,
    },
    summary: {
      state: 'done',
      total: 0,
      checked: 0,
      ok: 0,
      redirected: 0,
      broken: 0,
      blocked: 0,
      error: 0,
      skipped: 0,
      newProblems: 0,
    },
    chunks: 0,
  };
}
