// @vitest-environment happy-dom
// The options page's kept history: read when the page opens, and again whenever the history says it changed (a check
// kept in another tab while the page is open), until the page goes.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { HistorySettings } from '../../../entrypoints/options/HistorySettings';
import type { KeptRecord, RunRecord } from '../../../utils/history/history-store';
import { pageRecord, panelRoot, removePanelRoot, settleReads as settle } from '../../support/history-panels';

const record = (runId: string, pageUrl: string): RunRecord => pageRecord(runId, pageUrl, 1);

afterEach(removePanelRoot);

describe('the options page’s kept history', () => {
  it('lists a check kept while the page is open once the history says so, and stops listening when it goes', async () => {
    const kept: KeptRecord[] = [record('a', 'https://s.test/one')];
    const listeners = new Set<() => void>();
    const history = {
      records: async () => [...kept],
      clearPage: async () => 0,
      clearSite: async () => 0,
      clearAll: async () => {},
    };
    const watch = (onChange: () => void) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    };
    const root = panelRoot();
    await act(() => render(<HistorySettings ignored={[]} unignore={() => {}} history={history} watch={watch} />, root));
    await settle();
    const pages = () =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="history-page"]')].map((li) => li.dataset.url);
    expect(pages()).toEqual(['https://s.test/one']);

    // Another tab's check is kept: nothing changes until the history says so, then it is listed.
    kept.push(record('b', 'https://s.test/two'));
    await settle();
    expect(pages()).toEqual(['https://s.test/one']);
    await act(async () => {
      for (const changed of listeners) changed();
    });
    await settle();
    expect(pages()).toEqual(['https://s.test/one', 'https://s.test/two']);

    await act(() => render(null, root));
    expect(listeners.size).toBe(0);
  });

  it('reads the lists once after clearing: on the history’s word when it gives one, else by itself', async () => {
    for (const watching of [true, false]) {
      let kept: KeptRecord[] = [record('a', 'https://s.test/one')];
      let reads = 0;
      const listeners = new Set<() => void>();
      // As the history store does: once cleared, it says so to every page that listens (the one that cleared too).
      const history = {
        records: async () => {
          reads += 1;
          return [...kept];
        },
        clearPage: async () => 0,
        clearSite: async () => 0,
        clearAll: async () => {
          kept = [];
          for (const changed of listeners) changed();
        },
      };
      const watch = (onChange: () => void) => {
        listeners.add(onChange);
        return () => listeners.delete(onChange);
      };
      const root = panelRoot();
      await act(() =>
        render(
          <HistorySettings ignored={[]} unignore={() => {}} history={history} watch={watching ? watch : undefined} />,
          root,
        ),
      );
      await settle();
      expect(document.querySelectorAll('[data-testid="history-page"]')).toHaveLength(1);
      const before = reads;
      await act(async () => {
        document.querySelector<HTMLButtonElement>('[data-testid="clear-history-all"]')?.click();
      });
      await settle();
      expect(document.querySelectorAll('[data-testid="history-page"]')).toHaveLength(0);
      expect(reads - before).toBe(1);
      await act(() => render(null, root));
    }
  });
});
