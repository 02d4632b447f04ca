// @vitest-environment happy-dom
// Exporting from the popup and the report page while a run's rows are still arriving (a large snapshot comes in
// several messages, and the report page draws it a few hundred rows a frame): the file holds the whole run or none.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunSignals } from '../../../components/run-signals';
import type { Report as ExportedReport } from '../../../utils/report/report';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';
import { renderRunPage } from '../../support/run-pages';

const META: RunMeta = {
  runId: 'r',
  tabId: 3,
  page: { url: 'https://a.test/', title: 'A' },
  startedAt: 1,
  finishedAt: 2,
  state: 'done',
  settings: DEFAULT_SETTINGS,
  total: 3,
  truncated: false,
};

const entry = (path: string): LinkEntry => {
  const url = `https://a.test/${path}`;
  return { url, occurrences: 1, texts: [], phase: 'done', result: resultOf(url, 'broken') };
};

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

function mount(page: 'popup' | 'report') {
  const store = createRunSignals((publish) => publish());
  const files: ExportedReport[] = [];
  const download = (_name: string, _mime: string, text: string) => void files.push(JSON.parse(text));
  const host = renderRunPage(page, store, download);
  root = host;
  return {
    files,
    apply: (message: Parameters<typeof store.apply>[0]) => act(() => store.apply(message)),
    exportJson: () => act(() => host.querySelector<HTMLButtonElement>('[data-testid="export-json"]')?.click()),
  };
}

describe.each(['popup', 'report'] as const)('the %s export while the run is still arriving', (page) => {
  it('never saves part of a finished run as the whole of it', () => {
    const ui = mount(page);
    ui.apply({ type: 'snapshot', meta: META, entries: [entry('a')], more: true });
    ui.exportJson();
    for (const file of ui.files) {
      expect(file.links).toHaveLength(file.summary.total);
      expect(file.summary.total).toBe(META.total);
    }
    // The click is not lost: the file is written once the last rows are in, with all of them.
    ui.apply({ type: 'rows', runId: 'r', entries: [entry('b'), entry('c')] });
    expect(ui.files).toHaveLength(1);
    ui.exportJson();
    expect(ui.files).toHaveLength(2);
    for (const file of ui.files) {
      expect(file.summary).toMatchObject({ state: 'done', total: 3, broken: 3 });
      expect(file.links).toHaveLength(3);
    }
  });
});
