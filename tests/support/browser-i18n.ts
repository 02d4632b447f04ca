// The browser's i18n for unit tests: the real built messages of a language (locales/<lang>.yml through
// @wxt-dev/i18n's own build functions, as `wxt build` writes _locales/), looked up with Chrome's substitution rules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChromeMessage, generateChromeMessages, parseMessagesText } from '@wxt-dev/i18n/build';
import { fakeBrowser } from 'wxt/testing/fake-browser';

export const LOCALES_DIR = join(import.meta.dirname, '../../locales');

/** `_locales/<lang>/messages.json` as the build writes it. */
export function builtMessages(lang: string): Record<string, ChromeMessage> {
  return generateChromeMessages(parseMessagesText(readFileSync(join(LOCALES_DIR, `${lang}.yml`), 'utf8'), 'YAML'));
}

/** `chrome.i18n.getMessage` over `messages`: `$1`…`$9` take the substitutions, `$$` is a dollar, unknown names give ''. */
export function getMessageFrom(messages: Record<string, ChromeMessage>) {
  return (name: string, substitutions?: string | string[]): string => {
    const entry = messages[name];
    if (!entry) return '';
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    return entry.message.replace(/\$(\$|[1-9])/g, (_, which: string) =>
      which === '$' ? '$' : (subs[Number(which) - 1] ?? ''),
    );
  };
}

/**
 * Makes the fake browser speak `lang` (its messages) with `uiLanguage` as the browser's UI language and the user's
 * first preferred language (`navigator.languages`), as a browser set to that language has them.
 */
export function speak(lang: string, uiLanguage = lang): void {
  const getMessage = getMessageFrom(builtMessages(lang));
  Object.assign(fakeBrowser.i18n, { getMessage, getUILanguage: () => uiLanguage });
  if (globalThis.navigator) {
    Object.defineProperty(globalThis.navigator, 'languages', { value: [uiLanguage], configurable: true });
    Object.defineProperty(globalThis.navigator, 'language', { value: uiLanguage, configurable: true });
  }
}
