// No page writes English past the messages: JSX text and the attributes a person reads (title, placeholder,
// aria-label, alt) hold no literal words in components/ and entrypoints/. Names that are the same in every language
// are allowed by name. A heuristic (it reads the source, not the rendered page), kept simple on purpose.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SAME_IN_EVERY_LANGUAGE = new Set(['Linkpulse']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** Literal words a person would read: text between tags, and quoted values of the attributes people read. */
function literalWords(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  // Text right after an HTML element's opening or closing tag (or a fragment), up to the next tag: JSX text.
  for (const match of code.matchAll(/(?:<([a-z][\w-]*)(?:\s[^<>]*?)?>|<\/[a-z][\w-]*>|<\/?>)([^<>{}]+)(?=<)/g)) {
    const text = (match[2] ?? '').trim();
    // <code> and <kbd> hold what is typed, not words; code that only looks like text between angle brackets (a
    // generic type, a comparison, an object after a closing tag) has code's characters.
    if (match[1] === 'code' || match[1] === 'kbd') continue;
    if (!/[A-Za-z]{2,}/.test(text) || /[();=]|&&|\|\||^,/.test(text) || SAME_IN_EVERY_LANGUAGE.has(text)) continue;
    found.push(text);
  }
  for (const match of code.matchAll(/\b(title|placeholder|aria-label|alt|label)="([^"]*[A-Za-z]{2,}[^"]*)"/g)) {
    found.push(`${match[1]}="${match[2]}"`);
  }
  return found;
}

const files = [...sources(join(ROOT, 'components')), ...sources(join(ROOT, 'entrypoints'))];

describe('user-facing text', () => {
  it('finds the pages to read', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => relative(ROOT, f)))('%s writes no literal words (they go through t())', (file) => {
    expect(literalWords(readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
  });

  it('would catch a literal label or title', () => {
    expect(literalWords('<button title="Open it">Save now</button>')).toEqual(['Save now', 'title="Open it"']);
    expect(literalWords("<b>{t('x')}</b> <h1>Linkpulse</h1>")).toEqual([]);
  });
});
