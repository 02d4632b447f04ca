import { describe, expect, it, vi } from 'vitest';
import { compileExclusions, compileGlob, type MatchMeter } from '../../../utils/rules/exclusions';
import { createUrlRules } from '../../../utils/rules/url-rules';
import { DEFAULT_SETTINGS } from '../../../utils/settings';

/** A glob as the specification says it: the whole text, `*` any run of characters, case-insensitive. */
function specGlob(glob: string, text: string): boolean {
  const source = glob.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '[^]*');
  return new RegExp(`^${source}$`, 'i').test(text);
}

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('compileGlob', () => {
  it('matches the whole URL, * standing for any run of characters, case-insensitive', () => {
    const pdf = compileGlob('https://*/*/*.pdf');
    expect(pdf('https://a.org/docs/x.pdf')).toBe(true);
    expect(pdf('HTTPS://A.ORG/DOCS/X.PDF')).toBe(true);
    expect(pdf('https://a.org/x.pdf')).toBe(false);
    expect(pdf('https://a.org/docs/x.pdf?download')).toBe(false);
    expect(compileGlob('*')('anything')).toBe(true);
    expect(compileGlob('*')('')).toBe(true);
    expect(compileGlob('https://a.org/')('https://a.org/')).toBe(true);
    expect(compileGlob('https://a.org/')('https://a.org/x')).toBe(false);
    expect(compileGlob('a*a')('a')).toBe(false);
    expect(compileGlob('ab*ba')('aba')).toBe(false);
    expect(compileGlob('ab*ba')('abba')).toBe(true);
  });
  it('agrees with the specification on thousands of generated globs and texts', () => {
    const random = lcg(42);
    const pick = (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const glob = pick('ab/*', Math.floor(random() * 8));
      const text = pick('abAB/', Math.floor(random() * 10));
      expect(compileGlob(glob)(text), `${glob} against ${text}`).toBe(specGlob(glob, text));
    }
  });
  it('takes linear time on hostile URLs: twice the URL, at most about twice the work', () => {
    const cases: [glob: string, url: (n: number) => string][] = [
      ['https://*/*/*.pdf', (n) => `https://${'/'.repeat(n)}`],
      ['https://*/*/*.pdf', (n) => `https://${'/'.repeat(n)}x.pdf`],
      ['https://*/*/*/*/*.pdf', (n) => `https://${'/a'.repeat(n)}.pdx`],
      ['*a*a*a*a*b*', (n) => 'a'.repeat(n)],
      ['*aaaa*', (n) => 'aaab'.repeat(n)],
    ];
    for (const [glob, url] of cases) {
      const match = compileGlob(glob);
      const work = (n: number) => {
        const meter: MatchMeter = { steps: 0 };
        match(url(n), meter);
        return meter.steps;
      };
      const small = work(4000);
      const large = work(8000);
      expect(large, glob).toBeLessThanOrEqual(2 * small + 64);
      // And bounded by a small multiple of the URL itself: no quadratic work hides in a constant.
      expect(large, glob).toBeLessThanOrEqual(8 * url(8000).length);
    }
  });
});

describe('compileExclusions', () => {
  it('compiles each /regex/ once per run, however many links it judges', () => {
    const compiled = vi.spyOn(globalThis, 'RegExp');
    try {
      const rules = createUrlRules('https://example.com/', { ...DEFAULT_SETTINGS, excludePatterns: ['/\\.zip$/i'] });
      const before = compiled.mock.calls.length;
      for (let i = 0; i < 100; i++) rules(`https://a.org/${i}.zip`);
      expect(compiled.mock.calls.length - before).toBe(0);
      expect(rules('https://a.org/x.ZIP')).toEqual({ action: 'skip', reason: 'excluded' });
    } finally {
      compiled.mockRestore();
    }
  });
  it('says which pattern does not compile, and then excludes everything rather than ignoring it', () => {
    const exclusions = compileExclusions(['*.pdf', '/(unclosed/']);
    expect(exclusions.ok).toBe(false);
    expect(exclusions).toMatchObject({ ok: false, index: 2, pattern: '/(unclosed/', error: expect.any(String) });
    const rules = createUrlRules('https://example.com/', { ...DEFAULT_SETTINGS, excludePatterns: ['/(unclosed/'] });
    expect(rules('https://a.org/logout')).toMatchObject({
      action: 'skip',
      reason: 'excluded',
      detail: { code: 'exclusion-broken', index: 1, pattern: '/(unclosed/', error: expect.any(String) },
    });
    expect(rules('mailto:a@b.c')).toEqual({ action: 'skip', reason: 'scheme' });
  });
});
