/**
 * The one door to the user's language for every page: `t` reads the browser's i18n messages (locales/*.yml, built to
 * _locales/ by @wxt-dev/i18n, typed keys), `fmt` writes numbers and dates in the browser's UI language. Components
 * read it directly rather than through props: it is static for the life of a page, like the stylesheet.
 */

import type { ComponentChildren } from 'preact';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { createLocaleFormat } from '@/utils/locale-format';

const plainTexts = new Map<string, string>();
const translate = i18n.t as (key: string, ...args: unknown[]) => string;

/**
 * A message in the user's language. A message without substitutions is read from the browser once per page: live pages
 * draw their labels again at every frame (the site check's page asked for the same few dozen thousands of times a run).
 */
export const t = ((key: string, ...args: unknown[]): string => {
  if (args.length > 0) return translate(key, ...args);
  let text = plainTexts.get(key);
  if (text === undefined) {
    text = translate(key);
    plainTexts.set(key, text);
  }
  return text;
}) as typeof i18n.t;

/**
 * The user's locale for numbers and dates: the first language of their browser's preferences (by default its UI
 * language), else the UI language itself. Not getUILanguage() first: Chromium started with `--lang=de` shows the German
 * messages but reports the process locale there (seen: `en-US`), which would put English dates into German text.
 */
export const userLocale: string =
  globalThis.navigator?.languages?.[0] ?? globalThis.navigator?.language ?? browser.i18n.getUILanguage();

export const fmt = createLocaleFormat(userLocale);

/**
 * Marks the page with the language of its text, for screen readers, hyphenation and spelling (the HTML files say
 * `en`): the language of the messages the browser picked, which is English when it has none in the UI language.
 */
export function markPageLanguage(doc: Document = document): void {
  doc.documentElement.lang = t('meta.lang');
}

/**
 * A translated text with elements in it: `{name}` placeholders become the given nodes (a `<kbd>`, a link), so each
 * language keeps its own word order around them. Unknown placeholders stay as written.
 */
export function interleave(text: string, nodes: Record<string, ComponentChildren>): ComponentChildren[] {
  return text.split(/(\{[A-Za-z0-9_]+\})/).map((part) => {
    const name = /^\{([A-Za-z0-9_]+)\}$/.exec(part)?.[1];
    return name !== undefined && Object.hasOwn(nodes, name) ? nodes[name] : part;
  });
}
