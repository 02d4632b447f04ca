// @vitest-environment happy-dom
// The options page as a person uses it, in happy-dom: what it shows for what storage holds, typing, saving.
import { type ComponentProps, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../entrypoints/options/App';
import type { IgnoredLink } from '../../../utils/history/ignore';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import { until } from '../../support/until';

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

/** The options page on `stored`; its writes are kept in `saved` unless `props` gives its own. */
function mount(stored: unknown, props: Partial<ComponentProps<typeof App>> = {}) {
  const saved: Settings[] = [];
  root = document.createElement('div');
  document.body.append(root);
  const host = root;
  act(() => {
    render(
      <App
        stored={stored}
        save={async (settings) => {
          saved.push(settings);
        }}
        {...props}
      />,
      host,
    );
  });
  const field = (key: string) =>
    host.querySelector<HTMLInputElement & HTMLTextAreaElement>(`[data-testid="opt-${key}"]`);
  const text = (testid: string) => host.querySelector(`[data-testid="${testid}"]`)?.textContent ?? null;
  return { host, saved, field, text };
}

async function type(input: HTMLInputElement | HTMLTextAreaElement | null, value: string) {
  if (!input) throw new Error('no such field');
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(host: HTMLElement) {
  await act(async () => {
    host.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
}

describe('the options page', () => {
  it('shows the stored settings', () => {
    const ui = mount({ ...DEFAULT_SETTINGS, perHostConcurrency: 3, excludePatterns: ['*.pdf', '/^mailto:/'] });
    expect(ui.field('perHostConcurrency')?.value).toBe('3');
    expect(ui.field('excludePatterns')?.value).toBe('*.pdf\n/^mailto:/');
    expect(ui.text('status')).toBeFalsy();
  });

  it.each([
    ['a string', '*.pdf', '*.pdf'],
    ['a number', 42, ''],
    ['an object', { 0: '*.pdf' }, ''],
    ['null', null, ''],
  ])(
    'opens when the stored list of patterns is %s, names the problem and keeps the other fields',
    (_, value, shown) => {
      const ui = mount({ ...DEFAULT_SETTINGS, perHostConcurrency: 2, excludePatterns: value });
      expect(ui.field('excludePatterns')?.value).toBe(shown);
      expect(ui.field('perHostConcurrency')?.value).toBe('2');
      expect(ui.text('status')).toMatch(
        /stored settings have problems \(excludePatterns: Must be a list of patterns\.\)/,
      );
      // A run keeps the valid fields (readSettings), and the message says so.
      expect(ui.text('status')).toMatch(/checks use the default for each of these and your other settings as saved/);
    },
  );

  it('opens on stored settings that are not an object at all, showing the defaults', () => {
    for (const stored of ['settings', 7, ['a'], null]) {
      const ui = mount(stored);
      expect(ui.field('perHostConcurrency')?.value).toBe(String(DEFAULT_SETTINGS.perHostConcurrency));
      expect(ui.text('status')).toMatch(/stored settings have problems/);
      render(null, ui.host);
    }
  });

  it('has a control [data-testid="opt-<key>"] for every key of the settings a report exports', () => {
    const ui = mount(DEFAULT_SETTINGS);
    const missing = Object.keys(DEFAULT_SETTINGS).filter((key) => ui.field(key) === null);
    expect(missing).toEqual([]);
    // The kinds collected: one group, its switches inside.
    expect(ui.field('collect')?.querySelector('[data-testid="opt-collect-images"]')).not.toBeNull();
  });

  it('marks a bad value as it is typed and saves nothing; a good one is saved', async () => {
    const ui = mount(DEFAULT_SETTINGS);
    await type(ui.field('perHostConcurrency'), '9');
    expect(ui.text('error-perHostConcurrency')).toBe('Must be from 1 to 6 (got 9).');
    expect(ui.field('perHostConcurrency')?.getAttribute('aria-invalid')).toBe('true');
    await submit(ui.host);
    expect(ui.saved).toEqual([]);
    expect(ui.text('status')).toMatch(/^Not saved/);
    await type(ui.field('perHostConcurrency'), '2');
    await type(ui.field('excludePatterns'), '*.pdf\n\n  /x/i ');
    expect(ui.text('error-perHostConcurrency')).toBeNull();
    await submit(ui.host);
    expect(ui.saved).toEqual([{ ...DEFAULT_SETTINGS, perHostConcurrency: 2, excludePatterns: ['*.pdf', '/x/i'] }]);
    expect(ui.text('status')).toMatch(/^Saved/);
  });

  it('imports a file whole or not at all: its ignored links go back when the settings cannot be written', async () => {
    const kept: IgnoredLink = { site: 'a.test', url: 'https://a.test/x', note: '', at: 1 };
    let list: IgnoredLink[] = [kept];
    const ignored = {
      current: async () => list,
      merge: async (links: IgnoredLink[]) => {
        list = [...list, ...links];
        return null;
      },
      replace: async (links: IgnoredLink[]) => {
        list = links;
        return null;
      },
    };
    const { host } = mount(DEFAULT_SETTINGS, {
      save: async () => {
        throw new Error('QUOTA_BYTES_PER_ITEM quota exceeded');
      },
      ignored,
    });
    const file = new File(
      [
        JSON.stringify({
          format: 'linkpulse-settings',
          version: 1,
          settings: { retries: 4 },
          ignoredLinks: [{ site: 'b.test', url: 'https://b.test/y', note: 'n', at: 2 }],
        }),
      ],
      'shared.json',
    );
    const input = host.querySelector<HTMLInputElement>('[data-testid="import-settings"]');
    if (!input) throw new Error('no import control');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await until(() => host.querySelector('[data-testid="status"]')?.textContent !== '', 'the import is answered');
    expect(host.querySelector('[data-testid="status"]')?.textContent).toBe(
      'Not saved: QUOTA_BYTES_PER_ITEM quota exceeded Nothing was changed.',
    );
    expect(list).toEqual([kept]);
    // The form still shows what is kept, not the file's values.
    expect(host.querySelector<HTMLInputElement>('[data-testid="opt-retries"]')?.value).toBe(
      String(DEFAULT_SETTINGS.retries),
    );
  });
});
