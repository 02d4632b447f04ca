/** The rules of robots.txt (RFC 9309) that apply to every crawler (`User-agent: *`). */
export interface RobotsRules {
  allows(url: URL): boolean;
}

interface Rule {
  allow: boolean;
  pattern: string;
}

/** robots.txt is read up to this size (RFC 9309 asks crawlers to read at least 500 KiB). */
export const ROBOTS_MAX_BYTES = 512 * 1024;
const MAX_RULES = 5_000;
const MAX_PATTERN = 2_000;

export const ALLOW_ALL: RobotsRules = { allows: () => true };

/**
 * Parses robots.txt and keeps the group for `*`: the most specific (longest) matching rule decides, Allow wins a tie,
 * `*` matches any run of characters and a final `$` anchors the end; paths compare percent-encoded. Unknown lines are
 * ignored, as crawlers do.
 */
export function parseRobots(text: string): RobotsRules {
  const rules: Rule[] = [];
  let groupIsStar = false;
  let inAgents = false;
  for (const raw of text.slice(0, ROBOTS_MAX_BYTES).split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      // The user-agent lines before a group's first rule form its header, whatever else sits between them (a
      // Crawl-delay, a Sitemap): only a rule ends it, as in Google's parser (RFC 9309: other records must not
      // interfere with the parsing of the ones it defines).
      if (!inAgents) groupIsStar = false;
      inAgents = true;
      if (value === '*') groupIsStar = true;
      continue;
    }
    if (key !== 'allow' && key !== 'disallow') continue;
    inAgents = false;
    if (groupIsStar && rules.length < MAX_RULES) {
      // An empty Disallow allows everything: it is no rule at all.
      const pattern = percentEncoded(value);
      if (pattern === '' || pattern.length > MAX_PATTERN) continue;
      rules.push({ allow: key === 'allow', pattern });
    }
  }
  if (rules.length === 0) return ALLOW_ALL;
  return {
    allows(url: URL): boolean {
      const path = upperCaseEscapes(url.pathname + url.search);
      let best: Rule | null = null;
      for (const rule of rules) {
        if (!matchesPattern(rule.pattern, path)) continue;
        const longer = best === null || rule.pattern.length > best.pattern.length;
        const tieAllow = best !== null && rule.pattern.length === best.pattern.length && rule.allow;
        if (longer || tieAllow) best = rule;
      }
      return best === null || best.allow;
    },
  };
}

const utf8 = new TextEncoder();

/**
 * A rule's path as a URL sends it, so that the two compare octet for octet (RFC 9309 compares percent-encoded paths):
 * `/café` is `/caf%C3%A9` in a URL's path, and `%3c` and `%3C` are the same octet.
 */
function percentEncoded(pattern: string): string {
  const encoded = pattern.replace(/[\u0080-\uffff]+/g, (run) =>
    Array.from(utf8.encode(run), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return upperCaseEscapes(encoded);
}

/** `%3c` → `%3C`: the URL parser keeps an escape's hex digits as written, and robots.txt may write either case. */
function upperCaseEscapes(text: string): string {
  return text.replace(/%[0-9a-f]{2}/gi, (octet) => octet.toUpperCase());
}

/**
 * Does a robots.txt path pattern match the start of `path`? `*` is any run of characters, a final `$` the end. The
 * pieces between stars are found in order, each at its first place after the one before (the first place is always
 * the best: it leaves the most path for the rest): linear in the path for each rule, whatever a hostile robots.txt
 * holds, where matching character by character with backtracking took pattern × path.
 */
export function matchesPattern(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  const pieces = (anchored ? pattern.slice(0, -1) : pattern).split('*');
  const first = pieces[0] ?? '';
  if (!path.startsWith(first)) return false;
  if (pieces.length === 1) return !anchored || path.length === first.length;
  let at = first.length;
  const last = pieces.length - 1;
  for (let k = 1; k < last; k++) {
    const piece = pieces[k] ?? '';
    const found = path.indexOf(piece, at);
    if (found < 0) return false;
    at = found + piece.length;
  }
  const tail = pieces[last] ?? '';
  // Unanchored, the rest of the path is free: the tail need only be found. Anchored, it must end the path.
  return anchored ? path.length - tail.length >= at && path.endsWith(tail) : path.indexOf(tail, at) >= 0;
}
