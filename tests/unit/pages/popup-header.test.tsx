// @vitest-environment happy-dom
// The popup's header names the page it checked: its title, or else where it is.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunSignals } from '../../../components/run-signals';
import type { RunMeta } from '../../../utils/run/stored-run';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { renderRunPage } from '../../support/run-pages';

let host: HTMLElement | null = null;
afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

/** The popup's heading and the line under it, for a finished run of a page at `url` titled `title`. */
function headerOf(url: string, title: string) {
  const store = createRunSignals((publish) => publish());
  const meta: RunMeta = {
    runId: 'r',
    tabId: 3,
    page: { url, title },
    startedAt: 1,
    finishedAt: 2,
    state: 'done',
    settings: DEFAULT_SETTINGS,
    total: 0,
    truncated: false,
  };
  act(() => store.apply({ type: 'snapshot', meta, entries: [] }));
  host = renderRunPage('popup', store);
  return {
    heading: host.querySelector('h1')?.textContent ?? '',
    sub: host.querySelector('.sub')?.textContent ?? '',
  };
}

describe('the popup header', () => {
  it('names an untitled web page by its host', () => {
    expect(headerOf('https://a.test/docs/', '').heading).toBe('a.test');
  });

  it('names an untitled local file by its address, which has no host', () => {
    const { heading, sub } = headerOf('file:///home/me/notes/links.html', '');
    expect(heading).toBe('file:///home/me/notes/links.html');
    expect(sub).not.toMatch(/^\s*·/);
  });
});
