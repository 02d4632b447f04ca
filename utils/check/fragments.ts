/** The decoded fragment of a URL, or null when it has none worth checking (`#`, `#top` always exist). */
export function fragmentOf(url: string): string | null {
  const hash = url.indexOf('#');
  if (hash < 0) return null;
  const raw = url.slice(hash + 1);
  if (raw === '' || raw.toLowerCase() === 'top') return null;
  // Text fragments (#:~:text=) and PDF-style parameters (#page=2) are directives, not element ids.
  if (raw.startsWith(':~:')) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The URL a request is sent to: fragments never reach the server. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** As browsers do, a numeric reference to nothing, to a lone surrogate or past Unicode reads as U+FFFD. */
function characterFor(code: number): string {
  const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
  return valid ? String.fromCodePoint(code) : '\uFFFD';
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const hex = body[1] === 'x' || body[1] === 'X';
      return characterFor(hex ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1)));
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Elements whose content is not markup (script, style) or not part of the document (template). */
const OPAQUE_ELEMENTS = new Set(['script', 'style', 'template']);

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
const isLetter = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const GREATER = 0x3e;

/**
 * Reads the tag whose name starts at `start` and adds its `id` and `name` values to `anchors` (when given). Returns
 * the tag name and the index after its `>`, or -1 when the input ends inside the tag: browsers then drop the tag, and
 * nothing after it can be markup. Every character is read once, so the whole scan stays linear in the input.
 */
function readTag(html: string, start: number, anchors: Set<string> | null): { name: string; end: number } {
  let i = start;
  while (i < html.length) {
    const c = html.charCodeAt(i);
    if (isSpace(c) || c === SLASH || c === GREATER) break;
    i++;
  }
  const name = html.slice(start, i).toLowerCase();
  while (i < html.length) {
    const c = html.charCodeAt(i);
    if (isSpace(c) || c === SLASH) {
      i++;
      continue;
    }
    if (c === GREATER) return { name, end: i + 1 };
    // The first character of an attribute name may be anything else, even `=`.
    const nameStart = i++;
    while (i < html.length) {
      const n = html.charCodeAt(i);
      if (isSpace(n) || n === SLASH || n === GREATER || n === EQUALS) break;
      i++;
    }
    const attribute = html.slice(nameStart, i).toLowerCase();
    while (isSpace(html.charCodeAt(i))) i++;
    if (html.charCodeAt(i) !== EQUALS) continue;
    i++;
    while (isSpace(html.charCodeAt(i))) i++;
    let value: string;
    const quote = html[i];
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, i + 1);
      if (close < 0) return { name, end: -1 };
      value = html.slice(i + 1, close);
      i = close + 1;
    } else {
      const valueStart = i;
      while (i < html.length && !isSpace(html.charCodeAt(i)) && html.charCodeAt(i) !== GREATER) i++;
      value = html.slice(valueStart, i);
    }
    if (anchors && value !== '' && (attribute === 'id' || attribute === 'name')) anchors.add(decodeEntities(value));
  }
  return { name, end: -1 };
}

/** Reads the markup at the `<` at `at`; returns where to look for the next `<`, or -1 when the rest is not markup. */
function readMarkup(html: string, at: number, anchors: Set<string>): number {
  const next = html[at + 1] ?? '';
  if (html.startsWith('<!--', at)) {
    // Searching from `<!` also closes the empty comments `<!-->` and `<!--->`, as browsers do.
    const close = html.indexOf('-->', at + 2);
    return close < 0 ? -1 : close + 3;
  }
  if (isLetter(next.charCodeAt(0))) {
    const tag = readTag(html, at + 1, anchors);
    if (tag.end < 0 || !OPAQUE_ELEMENTS.has(tag.name)) return tag.end;
    const closing = new RegExp(`</${tag.name}[\\t\\n\\f\\r />]`, 'gi');
    closing.lastIndex = tag.end;
    return closing.exec(html)?.index ?? -1;
  }
  if (next === '/' && isLetter(html.charCodeAt(at + 2))) return readTag(html, at + 2, null).end;
  if (next === '!' || next === '?' || next === '/') {
    // Doctypes, CDATA, processing instructions and stray `</`: browsers read them as comments up to the next `>`.
    const close = html.indexOf('>', at + 2);
    return close < 0 ? -1 : close + 1;
  }
  return at + 1;
}

/**
 * Collects every `id` and `name` attribute value of an HTML document. The service worker has no DOM, so this reads
 * start tags the way a browser's tokenizer does, skipping comments and the contents of scripts, styles and templates
 * so an id mentioned there does not count. Hand-written rather than regular expressions, so that no page, however
 * hostile, can make the scan backtrack: its time stays linear in the length of the body.
 */
export function extractAnchors(html: string): Set<string> {
  const anchors = new Set<string>();
  let at = html.indexOf('<');
  while (at >= 0) {
    const after = readMarkup(html, at, anchors);
    at = after < 0 ? -1 : html.indexOf('<', after);
  }
  return anchors;
}
