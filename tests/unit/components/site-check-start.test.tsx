// @vitest-environment happy-dom
// The popup's "Check this site" and its start dialog: what a person types into the depth and page fields is what
// the check starts with, within the limits.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { SiteCheckStart } from '../../../components/SiteCheckStart';
import type { CrawlOptions } from '../../../utils/crawl/types';
import { componentRoot } from '../../support/component-root';

const root = componentRoot();

const DEFAULTS: CrawlOptions = {
  maxDepth: 3,
  maxPages: 500,
  samePathOnly: false,
  useSitemap: true,
  respectRobots: true,
  asMe: false,
};

/** The start dialog over DEFAULTS; `started` receives what each click on "Check this site" starts with. */
function mount() {
  const started: CrawlOptions[] = [];
  act(() => render(<SiteCheckStart defaults={DEFAULTS} start={(options) => started.push(options)} />, root()));
  const field = (testid: string) => root().querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
  return { started, field };
}

/** Edits a field as the keyboard does: each key changes the text the field shows now, at its end. */
function press(input: HTMLInputElement | null, key: 'Backspace' | 'Tab' | string) {
  if (!input) throw new Error('no such field');
  act(() => {
    if (key === 'Tab') {
      input.dispatchEvent(new Event('blur'));
      input.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
      return;
    }
    input.value = key === 'Backspace' ? input.value.slice(0, -1) : input.value + key;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Backspace as often as the field has characters when the edit starts, then the text. */
function clearAndType(input: HTMLInputElement | null, text: string) {
  for (let n = input?.value.length ?? 0; n > 0; n--) press(input, 'Backspace');
  for (const key of text) press(input, key);
}

const clickStart = () => act(() => root().querySelector<HTMLButtonElement>('[data-testid="crawl-start"]')?.click());

describe('the site check start dialog', () => {
  it('starts with the number typed after the field was emptied, not one the emptied field put in its place', () => {
    const ui = mount();
    clearAndType(ui.field('crawl-pages'), '200');
    expect(ui.field('crawl-pages')?.value).toBe('200');
    clickStart();
    expect(ui.started.at(-1)?.maxPages).toBe(200);
  });

  it('keeps an emptied field empty while it is edited, and starts with the value it had', () => {
    const ui = mount();
    clearAndType(ui.field('crawl-depth'), '');
    expect(ui.field('crawl-depth')?.value).toBe('');
    clickStart();
    expect(ui.started.at(-1)?.maxDepth).toBe(DEFAULTS.maxDepth);
  });

  it('holds a number beyond the limits to the nearest limit, shown once the field is left', () => {
    const ui = mount();
    clearAndType(ui.field('crawl-pages'), '9000');
    press(ui.field('crawl-pages'), 'Tab');
    expect(ui.field('crawl-pages')?.value).toBe('5000');
    clearAndType(ui.field('crawl-depth'), '0');
    press(ui.field('crawl-depth'), 'Tab');
    clickStart();
    expect(ui.started.at(-1)).toMatchObject({ maxPages: 5000, maxDepth: 0 });
  });
});
