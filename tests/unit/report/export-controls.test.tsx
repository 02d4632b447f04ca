// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportControls, type ExportFormat } from '../../../components/ExportControls';
import type { ReportScope } from '../../../utils/report/report';
import type { RunMeta } from '../../../utils/run/stored-run';
import type { LinkEntry } from '../../../utils/types';
import { COMMA_URL, hostileInput, IMG_URL, SCRIPT_URL, TIMEOUT_URL } from './hostile-run';

const input = hostileInput();
const META: RunMeta = {
  runId: 'r1',
  tabId: 7,
  page: input.page,
  startedAt: input.startedAt,
  finishedAt: input.finishedAt,
  state: input.state,
  settings: input.settings,
  total: input.entries.length,
  truncated: false,
};

let root: HTMLElement | null = null;

function mount(props: {
  entries?: LinkEntry[];
  onExport?: (format: ExportFormat, scope: ReportScope) => string | null;
  copy?: (text: string) => Promise<void>;
}): HTMLElement {
  root = document.createElement('div');
  document.body.append(root);
  render(
    <ExportControls
      meta={META}
      entries={props.entries ?? input.entries}
      onExport={props.onExport ?? (() => 'file.json')}
      copy={props.copy ?? (async () => {})}
    />,
    root,
  );
  return root;
}

function el<T extends Element>(scope: HTMLElement, testid: string): T {
  const found = scope.querySelector<T>(`[data-testid="${testid}"]`);
  if (!found) throw new Error(`no [data-testid="${testid}"]`);
  return found;
}

/** Clicks, then lets the click's promise and Preact's re-render settle. */
async function click(scope: HTMLElement, testid: string): Promise<string> {
  el<HTMLButtonElement>(scope, testid).click();
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
  return el(scope, 'export-status').textContent ?? '';
}

afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

describe('ExportControls', () => {
  it('has the four format buttons, the scope choice and the copy button', () => {
    const ui = mount({});
    for (const id of ['export-json', 'export-csv', 'export-md', 'export-html', 'export-scope', 'copy-problems']) {
      expect(el(ui, id)).toBeTruthy();
    }
  });

  it('copies broken, blocked and error URLs one per line and says how many', async () => {
    const copied: string[] = [];
    const ui = mount({ copy: async (text) => void copied.push(text) });
    expect(await click(ui, 'copy-problems')).toBe('Copied 4 links');
    // COMMA_URL holds a CRLF: it stays one line, percent-encoded.
    expect(copied).toEqual([[COMMA_URL.replace('\r\n', '%0D%0A'), SCRIPT_URL, IMG_URL, TIMEOUT_URL].join('\n')]);
  });

  it('says in words when the clipboard refuses', async () => {
    const ui = mount({
      copy: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
    });
    expect(await click(ui, 'copy-problems')).toBe('Could not copy: Write permission denied.');
  });

  it('says there is nothing to copy when no link is a problem', async () => {
    let called = false;
    const ok = input.entries.filter((e) => e.result?.verdict === 'ok');
    const ui = mount({
      entries: ok,
      copy: async () => {
        called = true;
      },
    });
    expect(await click(ui, 'copy-problems')).toBe('No broken, blocked or error links to copy.');
    expect(called).toBe(false);
  });

  it('passes the chosen format and scope and names the saved file', async () => {
    const asked: [ExportFormat, ReportScope][] = [];
    const ui = mount({
      onExport: (format, scope) => {
        asked.push([format, scope]);
        return `linkpulse.${format}`;
      },
    });
    const select = el<HTMLSelectElement>(ui, 'export-scope');
    select.value = 'problems';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    expect(await click(ui, 'export-csv')).toBe('Saved linkpulse.csv');
    expect(asked).toEqual([['csv', 'problems']]);
  });

  it('says the report page saves the file when the popup hands it over', async () => {
    const ui = mount({ onExport: () => null });
    expect(await click(ui, 'export-html')).toBe('Saving from the report page…');
  });
});
