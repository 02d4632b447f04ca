// @vitest-environment happy-dom
// Re-check and Cancel from the keyboard: the button pressed gives way to the other as the run starts and ends, and the
// focus goes with it rather than to the page's body (from where Tab starts over at the top).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunSignals } from '../../../components/run-signals';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';
import { renderRunPage } from '../../support/run-pages';

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

const URL_A = 'https://a.test/gone';
const meta = (runId: string, state: RunMeta['state']): RunMeta => ({
  runId,
  tabId: 3,
  page: { url: 'https://a.test/', title: 'A' },
  startedAt: 1,
  finishedAt: state === 'running' ? null : 2,
  state,
  settings: DEFAULT_SETTINGS,
  total: 1,
  truncated: false,
});
const done: LinkEntry = { url: URL_A, occurrences: 1, texts: [], phase: 'done', result: resultOf(URL_A, 'broken') };
const queued: LinkEntry = { url: URL_A, occurrences: 1, texts: [], phase: 'queued' };
const focused = () => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName;

describe.each(['popup', 'report'] as const)('the %s’s Re-check from the keyboard', (page) => {
  it('keeps the focus on the control that takes its place as the run starts and ends', () => {
    const store = createRunSignals((publish) => publish());
    act(() => store.apply({ type: 'snapshot', meta: meta('r1', 'done'), entries: [done] }));
    host = renderRunPage(page, store);
    host.querySelector<HTMLElement>('[data-testid="recheck"]')?.focus();
    expect(focused()).toBe('recheck');
    // The background's answer to the click: a new run, going.
    act(() => store.apply({ type: 'snapshot', meta: meta('r2', 'running'), entries: [queued] }));
    expect(document.activeElement?.textContent).toBe('Cancel');
    act(() => store.apply({ type: 'update', meta: meta('r2', 'done'), changes: [[0, done]] }));
    expect(focused()).toBe('recheck');
  });
});

describe('the popup’s Re-check failed from the keyboard', () => {
  it('moves the focus on to Cancel, as the button goes while the run it started is going', () => {
    const store = createRunSignals((publish) => publish());
    act(() => store.apply({ type: 'snapshot', meta: meta('r1', 'done'), entries: [done] }));
    host = renderRunPage('popup', store);
    const failed = host.querySelector<HTMLElement>('[data-testid="recheck-failed"]');
    failed?.focus();
    act(() => failed?.click());
    act(() => store.apply({ type: 'snapshot', meta: meta('r2', 'running'), entries: [queued] }));
    expect(focused()).toBe('cancel');
  });
});
