// Every language says everything English says, with the same values filled in: a key missing, left empty or with
// other placeholders in any locales/<lang>.yml fails here, before a user sees an empty label or a raw `{count}`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ParsedMessage, parseMessagesText, SUPPORTED_LOCALES } from '@wxt-dev/i18n/build';
import { describe, expect, it } from 'vitest';
import { LOCALES_DIR } from '../../support/browser-i18n';

const languages = readdirSync(LOCALES_DIR)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => f.slice(0, -'.yml'.length));

/** Each message of a file by key, without the browser's predefined `@@` ones the parser adds. */
function messagesOf(lang: string): Map<string, ParsedMessage> {
  const parsed = parseMessagesText(readFileSync(join(LOCALES_DIR, `${lang}.yml`), 'utf8'), 'YAML');
  return new Map(parsed.filter((m) => !m.key[0]?.startsWith('@@')).map((m) => [m.key.join('.'), m]));
}

/** The texts of a message: one, or one per plural form (by its count key). */
function textsOf(message: ParsedMessage): Record<string, string> {
  if (message.type === 'plural') return message.plurals;
  return { '': message.message };
}

/** What the code fills in: positional `$1`…`$9` (not an escaped `$$`) and named `{name}`, sorted. */
function placeholdersOf(text: string): string[] {
  const positional = [...text.matchAll(/(?<!\$)(?:\$\$)*\$([1-9])/g)].map((m) => `$${m[1]}`);
  const named = [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => `{${m[1]}}`);
  return [...new Set([...positional, ...named])].sort();
}

const english = messagesOf('en');

describe('the languages', () => {
  it('include English, the default locale, and German', () => {
    expect(languages).toContain('en');
    expect(languages).toContain('de');
  });

  it.each(languages)('%s is a locale browsers accept', (lang) => {
    expect(SUPPORTED_LOCALES.has(lang)).toBe(true);
  });

  it.each(languages)('%s has keys a browser can look up (letters, digits, _ once built)', (lang) => {
    for (const key of messagesOf(lang).keys()) expect(key, key).toMatch(/^[A-Za-z0-9_.]+$/);
  });

  it.each(languages)('%s has no empty message', (lang) => {
    for (const [key, message] of messagesOf(lang)) {
      for (const [form, text] of Object.entries(textsOf(message))) expect(text.trim(), `${key} ${form}`).not.toBe('');
    }
  });

  it.each(languages.filter((l) => l !== 'en'))('%s has every English key and no other', (lang) => {
    const keys = [...messagesOf(lang).keys()];
    expect(keys.filter((k) => !english.has(k)).sort(), 'keys English does not have').toEqual([]);
    expect([...english.keys()].filter((k) => !keys.includes(k)).sort(), 'keys missing').toEqual([]);
  });

  it.each(languages.filter((l) => l !== 'en'))('%s fills in the same values as English, form by form', (lang) => {
    for (const [key, message] of messagesOf(lang)) {
      const reference = english.get(key);
      if (!reference) continue;
      expect(message.type, `${key}: plural or not`).toBe(reference.type);
      const forms = textsOf(message);
      const referenceForms = textsOf(reference);
      expect(Object.keys(forms).sort(), `${key}: plural forms`).toEqual(Object.keys(referenceForms).sort());
      for (const [form, text] of Object.entries(forms)) {
        expect(placeholdersOf(text), `${key} ${form}`).toEqual(placeholdersOf(referenceForms[form] ?? ''));
      }
    }
  });
});
