// A root element for rendering components in a test's DOM (happy-dom), emptied and removed after each test, with the
// browser's language set back to English and the modules (which read it once) loaded afresh.
import { render } from 'preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { speak } from './browser-i18n';

/** Registers the hooks; the returned function gives the current test's root. */
export function componentRoot(): () => HTMLElement {
  let root: HTMLElement | null = null;
  beforeEach(() => {
    root = document.createElement('div');
    document.body.append(root);
  });
  afterEach(() => {
    if (root) render(null, root);
    root?.remove();
    root = null;
    speak('en', 'en-US');
    vi.resetModules();
  });
  return () => {
    if (!root) throw new Error('componentRoot: used outside a test');
    return root;
  };
}
