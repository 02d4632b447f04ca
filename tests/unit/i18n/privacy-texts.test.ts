// The privacy text in each language says as much as the English one: the same sections and the same number of
// points in each, so a point added to PRIVACY.md and not to a translation fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const translations = readdirSync(ROOT).filter((f) => /^PRIVACY\.[a-z]{2}(_[A-Z]{2})?\.md$/.test(f));

/** Per section (by heading position), how many bullet points it has. */
function outline(text: string): number[] {
  const sections: number[] = [];
  for (const line of text.split('\n')) {
    if (/^#{1,3} /.test(line)) sections.push(0);
    else if (/^- /.test(line)) sections[sections.length - 1] = (sections.at(-1) ?? 0) + 1;
  }
  return sections;
}

describe('privacy texts', () => {
  it('exist in German', () => {
    expect(translations).toContain('PRIVACY.de.md');
  });

  it.each(translations)('%s has the sections and points of PRIVACY.md', (file) => {
    const english = outline(readFileSync(join(ROOT, 'PRIVACY.md'), 'utf8'));
    expect(english.length).toBeGreaterThan(2);
    expect(outline(readFileSync(join(ROOT, file), 'utf8'))).toEqual(english);
  });
});
