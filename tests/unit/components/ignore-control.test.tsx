// @vitest-environment happy-dom
// "Ignore" on a report row from the keyboard: each step leaves the focus where the next key is meant to go, never on
// the page's body (in a report of thousands of rows, Tab from there starts over at the top).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { IgnoreControl } from '../../../components/IgnoreControl';
import type { IgnoredLink } from '../../../utils/history/ignore';
import { componentRoot } from '../../support/component-root';

const root = componentRoot();
const LINK: IgnoredLink = { site: 'a.test', url: 'https://a.test/gone', note: '', at: 0 };

/** The control as a row draws it: `ignored` follows the site's list, which changes once a click has been saved. */
function draw(ignored: IgnoredLink | undefined, notes: string[] = []) {
  act(() =>
    render(
      <IgnoreControl ignored={ignored} onIgnore={(note) => notes.push(note)} onUnignore={() => notes.push('-')} />,
      root(),
    ),
  );
}
const focused = () => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName;
const press = (testid: string) => {
  const element = root().querySelector<HTMLElement>(`[data-testid="${testid}"]`);
  if (!element) throw new Error(`no ${testid}`);
  act(() => element.click());
};

describe('ignoring a link from the keyboard', () => {
  it('puts the focus in the note field, then on Un-ignore once ignored, then back on Ignore', () => {
    const notes: string[] = [];
    draw(undefined, notes);
    root().querySelector<HTMLElement>('[data-testid="ignore"]')?.focus();
    press('ignore');
    expect(focused()).toBe('ignore-note');
    press('ignore-confirm');
    expect(notes).toEqual(['']);
    draw(LINK, notes);
    expect(focused()).toBe('unignore');
    press('unignore');
    draw(undefined, notes);
    expect(focused()).toBe('ignore');
  });

  it('gives the focus back to Ignore when the note is cancelled', () => {
    draw(undefined);
    root().querySelector<HTMLElement>('[data-testid="ignore"]')?.focus();
    press('ignore');
    const cancel = root().querySelector<HTMLElement>('.ignore-form button[type="button"]');
    act(() => cancel?.click());
    expect(focused()).toBe('ignore');
  });
});
