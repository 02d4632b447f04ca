// @vitest-environment happy-dom
// The pages' door to the language: the browser's messages and its UI language, read once per page.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { speak } from '../../support/browser-i18n';

async function freshL10n() {
  vi.resetModules();
  return await import('@/components/l10n');
}

describe('l10n', () => {
  afterEach(() => speak('en', 'en-US'));

  it('reads English messages and writes numbers the American way in an English browser', async () => {
    const { t, fmt, markPageLanguage } = await freshL10n();
    expect(t('manifest.actionTitle')).toBe('Check the links on this page');
    expect(fmt.count(1234)).toBe('1,234');
    document.documentElement.lang = '';
    markPageLanguage();
    expect(document.documentElement.lang).toBe('en');
  });

  it('reads German messages and writes German numbers in a German browser', async () => {
    speak('de', 'de-DE');
    const { t, fmt, markPageLanguage } = await freshL10n();
    expect(t('manifest.actionTitle')).toBe('Links auf dieser Seite prüfen');
    expect(fmt.count(1234)).toBe('1.234');
    markPageLanguage();
    expect(document.documentElement.lang).toBe('de');
  });

  it('marks the page English when the browser speaks a language Linkpulse lacks, numbers still in that language', async () => {
    // Chrome falls back to default_locale's messages; the test browser does the same with English.
    speak('en', 'fr-FR');
    const { fmt, markPageLanguage } = await freshL10n();
    expect(fmt.count(1234.5).replace(/\s/g, ' ')).toBe('1 235');
    markPageLanguage();
    expect(document.documentElement.lang).toBe('en');
  });

  it('writes numbers in the user’s first preferred language even where the browser reports another UI language', async () => {
    // Chromium with --lang=de: German messages, getUILanguage() still the process's en-US, navigator.languages German.
    speak('de', 'de-DE');
    Object.assign(fakeBrowser.i18n, { getUILanguage: () => 'en-US' });
    const { fmt, userLocale } = await freshL10n();
    expect(userLocale).toBe('de-DE');
    expect(fmt.count(1234)).toBe('1.234');
  });
});
