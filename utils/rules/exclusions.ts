// The user's exclusion patterns, compiled once per run. A glob is matched by hand in linear time: a regular expression
// built from `https://*/*/*.pdf` backtracks on a hostile URL (8 000 slashes take minutes), and the page writes the URLs.

/** Counts the characters a glob match compares; only tests pass one, to hold the linear bound without a clock. */
export interface MatchMeter {
  steps: number;
}

/**
 * Where `part` first occurs in `text` from `from` on, or -1. Written out rather than `indexOf` so that a test can count
 * its comparisons; it is the naive search, at most `part.length` comparisons per position of `text`.
 */
function find(text: string, part: string, from: number, end: number, meter?: MatchMeter): number {
  for (let i = from; i + part.length <= end; i++) {
    let j = 0;
    while (j < part.length && text.charCodeAt(i + j) === part.charCodeAt(j)) j++;
    if (meter) meter.steps += j + 1;
    if (j === part.length) return i;
  }
  return -1;
}

/**
 * A glob matcher for the whole text, case-insensitive; `*` is any run of characters (none included). The literal parts
 * between stars are found left to right, each at its first place after the previous one: with `*` as the only
 * wildcard, the leftmost place never loses a match that a later one would make, so nothing is ever tried twice.
 */
export function compileGlob(glob: string): (text: string, meter?: MatchMeter) => boolean {
  const parts = glob.toLowerCase().split('*');
  const first = parts[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1] ?? '') : null;
  const middle = parts.slice(1, -1);
  return (raw, meter) => {
    const text = raw.toLowerCase();
    if (last === null) {
      if (meter) meter.steps += text.length;
      return text === first;
    }
    if (meter) meter.steps += first.length + last.length;
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
    let at = first.length;
    const end = text.length - last.length;
    for (const part of middle) {
      if (part === '') continue;
      const found = find(text, part, at, end, meter);
      if (found < 0) return false;
      at = found + part.length;
    }
    return true;
  };
}

export type Exclusions =
  | { ok: true; matches: (url: string, meter?: MatchMeter) => boolean }
  /** A pattern did not compile (a `/regex/` this browser refuses): the run must say so rather than ignore it. */
  | { ok: false; index: number; pattern: string; error: string };

/** Compiles every pattern once: a `/regex/flags` as a regular expression, anything else as a glob over the whole URL. */
export function compileExclusions(patterns: readonly string[]): Exclusions {
  const matchers: ((url: string, meter?: MatchMeter) => boolean)[] = [];
  for (const [i, pattern] of patterns.entries()) {
    const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
    if (!regex) {
      matchers.push(compileGlob(pattern));
      continue;
    }
    try {
      // `g` and `y` make `test` resume from the last match, so one link's result would leak into the next: drop them
      // (a `y` pattern then matches anywhere, as without it). The other flags change what matches and are kept.
      const re = new RegExp(regex[1] ?? '', (regex[2] ?? '').replace(/[gy]/g, ''));
      matchers.push((url) => re.test(url));
    } catch (error) {
      return { ok: false, index: i + 1, pattern, error: (error as Error).message };
    }
  }
  return { ok: true, matches: (url, meter) => matchers.some((m) => m(url, meter)) };
}
