// @vitest-environment happy-dom
// The site check page's counts as a person uses them: a verdict's chip shows only its links, pressed again all of them.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it } from 'vitest';
import { createCrawlSignals } from '../../../components/crawl-signals';
import { CrawlApp } from '../../../entrypoints/crawl/App';
import { crawl, link, page } from '../../support/stored-crawls';

let root: HTMLElement | null = null;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  root = null;
});

it('shows only the links of the verdict whose chip is pressed, and every link again when it is pressed again', () => {
  // Frames drawn at once: the store publishes as soon as a message arrives.
  const signals = createCrawlSignals((publish) => publish());
  const links = [link('https://s.test/a', 'ok'), link('https://s.test/b', 'broken'), link('https://s.test/c', 'ok')];
  const meta = crawl('c1', 'https://s.test/', 1);
  signals.apply({ type: 'crawl-snapshot', meta, pages: [page('https://s.test/')], links });
  const host = document.body.appendChild(document.createElement('div'));
  root = host;
  const showSource = async () => ({ state: 'unreachable' }) as const;
  act(() => {
    render(<CrawlApp signals={signals} send={() => {}} download={() => {}} showSource={showSource} tabId={1} />, host);
  });
  const shown = () =>
    [...host.querySelectorAll<HTMLElement>('[data-testid="link-row"]')]
      .filter((r) => !r.hidden)
      .map((r) => r.dataset.url);
  expect(shown()).toHaveLength(3);
  const chip = host.querySelector<HTMLButtonElement>('[data-testid="crawl-summary"] [data-testid="chip-broken"]');
  expect(chip?.textContent).toMatch(/1$/);
  act(() => chip?.click());
  expect(chip?.getAttribute('aria-pressed')).toBe('true');
  expect(shown()).toEqual(['https://s.test/b']);
  act(() => chip?.click());
  expect(chip?.getAttribute('aria-pressed')).toBe('false');
  expect(shown()).toHaveLength(3);
});
