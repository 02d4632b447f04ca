// @vitest-environment happy-dom
// The popup's list and the report page's table as a person uses them, in happy-dom: verdict chips, search, sort,
// and a run streaming in (rows placed where they belong as their verdicts arrive).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunSignals } from '../../../components/run-signals';
import { App as Report } from '../../../entrypoints/report/App';
import type { ServerMessage } from '../../../utils/protocol';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import type { LinkEntry, Verdict } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';
import { renderRunPage } from '../../support/run-pages';

const META: RunMeta = {
  runId: 'r',
  tabId: 3,
  page: { url: 'https://a.test/', title: 'A' },
  startedAt: 1,
  finishedAt: null,
  state: 'running',
  settings: DEFAULT_SETTINGS,
  total: 0,
  truncated: false,
};

function link(path: string, verdict?: Verdict, text = ''): LinkEntry {
  const url = `https://a.test/${path}`;
  return {
    url,
    occurrences: 1,
    texts: text ? [text] : [],
    phase: verdict ? 'done' : 'queued',
    result: verdict ? { ...resultOf(url, verdict), ms: path.length * 10 } : undefined,
  };
}

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

function mount(page: 'popup' | 'report', entries: LinkEntry[]) {
  // Published at once instead of on the next animation frame.
  const store = createRunSignals((publish) => publish());
  const send = (message: ServerMessage) => act(() => store.apply(message));
  send({ type: 'snapshot', meta: { ...META, total: entries.length }, entries });
  const host = renderRunPage(page, store);
  root = host;
  const selector = page === 'popup' ? '[data-testid="popup-row"]' : '[data-testid="link-row"]';
  return {
    host,
    send,
    /** The paths of the rows shown, in order (the report's hidden rows left out). */
    shown: () =>
      [...host.querySelectorAll<HTMLElement>(selector)]
        .filter((row) => !row.hidden)
        .map((row) => (row.dataset.url ?? '').slice('https://a.test/'.length)),
    all: () => host.querySelectorAll(selector).length,
    click: (testid: string) => act(() => host.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.click()),
    search: (text: string) =>
      act(() => {
        const input = host.querySelector<HTMLInputElement>('[data-testid="search"]');
        if (!input) throw new Error('no search field');
        input.value = text;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }),
    sort: (key: string) =>
      act(() => {
        const select = host.querySelector<HTMLSelectElement>('[data-testid="sort"]');
        if (!select) throw new Error('no sort control');
        select.value = key;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }),
  };
}

const ENTRIES = [
  link('home', 'ok', 'Home'),
  link('gone', 'broken', 'Old page'),
  link('moved', 'redirected'),
  link('wait'),
  link('down', 'error', 'Status page'),
  link('mail', 'skipped'),
];

describe.each(['popup', 'report'] as const)('the %s list', (page) => {
  it('shows problems first, then the rest, links still waiting last', () => {
    const ui = mount(page, ENTRIES);
    expect(ui.shown()).toEqual(['gone', 'down', 'moved', 'home', 'mail', 'wait']);
  });

  it('shows only the verdicts whose chips are pressed, and all again when none is', () => {
    const ui = mount(page, ENTRIES);
    ui.click('chip-broken');
    ui.click('chip-error');
    expect(ui.shown()).toEqual(['gone', 'down']);
    ui.click('chip-broken');
    ui.click('chip-error');
    expect(ui.shown()).toHaveLength(6);
  });

  it('searches the URL and the link text, ignoring case', () => {
    const ui = mount(page, ENTRIES);
    ui.search('STATUS');
    expect(ui.shown()).toEqual(['down']);
    ui.search('mo');
    expect(ui.shown()).toEqual(['moved']);
  });

  it('sorts by URL and by time', () => {
    const ui = mount(page, ENTRIES);
    ui.sort('url');
    expect(ui.shown()).toEqual(['down', 'gone', 'home', 'mail', 'moved', 'wait']);
    ui.sort('time');
    // Slowest first (here: longer paths took longer), waiting links last.
    expect(ui.shown()).toEqual(['moved', 'home', 'gone', 'down', 'mail', 'wait']);
  });

  it('places each row where it belongs as verdicts stream in, new links included', () => {
    const ui = mount(page, [link('a'), link('b'), link('c')]);
    ui.send({ type: 'update', meta: META, changes: [[1, link('b', 'broken')]] });
    expect(ui.shown()).toEqual(['b', 'a', 'c']);
    ui.send({
      type: 'update',
      meta: META,
      changes: [
        [2, link('c', 'error')],
        [3, link('d')],
      ],
    });
    expect(ui.shown()).toEqual(['b', 'c', 'a', 'd']);
    ui.send({
      type: 'update',
      meta: { ...META, state: 'done', total: 4 },
      changes: [
        [0, link('a', 'broken')],
        [3, link('d', 'ok')],
      ],
    });
    expect(ui.shown()).toEqual(['a', 'b', 'c', 'd']);
    // A new run starts from its own snapshot.
    ui.send({ type: 'snapshot', meta: META, entries: [link('z', 'ok'), link('y')] });
    expect(ui.shown()).toEqual(['z', 'y']);
  });
});

describe('the report page', () => {
  it('keeps every row in the DOM, hiding those a filter leaves out', () => {
    const ui = mount('report', ENTRIES);
    ui.click('chip-ok');
    expect(ui.shown()).toEqual(['home']);
    expect(ui.all()).toBe(6);
  });

  it('draws again only the rows an update changed, re-creating none', () => {
    const ui = mount('report', [link('a'), link('b'), link('c'), link('d')]);
    const before = [...ui.host.querySelectorAll<HTMLElement>('[data-testid="link-row"]')];
    // Each row's URL cell blanked behind the page's back: a row drawn again writes its URL back.
    for (const row of before) (row.querySelector('td.url') as HTMLElement).textContent = '';
    ui.send({ type: 'update', meta: META, changes: [[2, link('c', 'ok')]] });
    const drawn = before.filter((row) => row.querySelector('td.url')?.textContent !== '').map((row) => row.dataset.url);
    expect(drawn).toEqual(['https://a.test/c']);
    expect(ui.shown()).toEqual(['c', 'a', 'b', 'd']);
    const after = [...ui.host.querySelectorAll('[data-testid="link-row"]')];
    expect(new Set(after)).toEqual(new Set(before));
  });

  it('saves an export asked for on opening once every row of a large run is drawn, all of them', () => {
    const frames: (() => void)[] = [];
    // Two new rows a frame, published when the test runs the frames.
    const store = createRunSignals((publish) => frames.push(publish), 2);
    const frame = () =>
      act(() => {
        for (const publish of frames.splice(0)) publish();
      });
    const five = ['a', 'b', 'c', 'd', 'e'].map((path) => link(path, 'ok'));
    store.apply({ type: 'snapshot', meta: { ...META, state: 'done', finishedAt: 2, total: 5 }, entries: five });
    const saved: string[] = [];
    const host = document.createElement('div');
    root = host;
    document.body.append(host);
    act(() => {
      render(
        <Report
          store={store}
          send={() => {}}
          download={(_name, _mime, text) => saved.push(text)}
          copy={async () => {}}
          tabId={3}
          pendingExport={{ format: 'json', scope: 'all' }}
        />,
        host,
      );
    });
    frame();
    frame();
    expect(saved).toEqual([]);
    frame();
    expect(saved).toHaveLength(1);
    const report = JSON.parse(saved[0] as string) as { links: { url: string }[] };
    expect(report.links.map((l) => l.url)).toEqual(five.map((e) => e.url));
    frame();
    expect(saved).toHaveLength(1);
  });
});
