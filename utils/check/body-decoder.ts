/**
 * A body's text as a browser decodes it (the HTML standard's "determine the character encoding", without the parser's
 * late change of mind): a byte-order mark, else the `Content-Type`'s charset, else a `<meta charset>` or `<meta
 * http-equiv=content-type content="…; charset=…">` in the first 1024 bytes, else UTF-8. A label TextDecoder does not
 * know (it throws a RangeError) counts as none. Read as UTF-8, a windows-1252 page's `id="café"` was not the `#café` a
 * browser finds there.
 */
export interface BodyDecoder {
  /** The text of the next piece of the body; null at its end, for what was still held. */
  decode(chunk: Uint8Array | null): string;
}

/** How far into a document a `<meta>` naming its encoding is looked for (as browsers do). */
const PRESCAN_BYTES = 1024;

export function createBodyDecoder(contentType: string | null): BodyDecoder {
  const declared = encodingOf(headerCharset(contentType));
  let decoder: TextDecoder | null = null;
  /** Bytes held until the encoding is known, and how many of them went out already as ASCII. */
  let head: Uint8Array = new Uint8Array(0);
  let given = 0;
  return {
    decode(chunk) {
      if (decoder) return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
      if (chunk) head = joined(head, chunk);
      decoder = chooseDecoder(head, declared, chunk === null);
      if (decoder) {
        const rest = head.subarray(given);
        head = new Uint8Array(0);
        return chunk ? decoder.decode(rest, { stream: true }) : decoder.decode(rest);
      }
      // Undecided (no charset declared, fewer than 1024 bytes so far): ASCII reads the same in every encoding a <meta>
      // may name, so it goes on at once — a page that streams slowly is read as it comes, as before. ESC is left out:
      // ISO-2022-JP's escapes are made of it.
      let end = given;
      while (end < head.length && (head[end] as number) < 0x80 && head[end] !== 0x1b) end++;
      const ascii = String.fromCharCode(...head.subarray(given, end));
      given = end;
      return ascii;
    },
  };
}

/** The decoder for a body starting with `head`, or null while more bytes are needed to tell. */
function chooseDecoder(head: Uint8Array, declared: string | null, ended: boolean): TextDecoder | null {
  const bom = bomEncoding(head);
  // A byte-order mark outweighs any declaration; TextDecoder drops it from the text.
  if (bom) return new TextDecoder(bom);
  const mayBeBom = head.length < 3 && (head.length === 0 || [0xef, 0xfe, 0xff].includes(head[0] as number));
  if (mayBeBom && !ended) return null;
  // The mark, when there was one, has been looked for: a later U+FEFF is text.
  if (declared) return new TextDecoder(declared, { ignoreBOM: true });
  if (head.length < PRESCAN_BYTES && !ended) return null;
  return new TextDecoder(metaEncoding(head.subarray(0, PRESCAN_BYTES)) ?? 'utf-8', { ignoreBOM: true });
}

function bomEncoding(head: Uint8Array): string | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  return null;
}

/** The encoding a label names, by the Encoding standard's labels (TextDecoder knows them); null when none. */
function encodingOf(label: string | null): string | null {
  if (label === null) return null;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
}

/** The `charset` parameter of a `Content-Type`. */
function headerCharset(contentType: string | null): string | null {
  const match = /;[\t ]*charset[\t ]*=[\t ]*(?:"([^"]*)"|([^;\t ]*))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2] ?? null) : null;
}

/** The charset a `<meta http-equiv=content-type>`'s content names (HTML: "extracting a character encoding"). */
function contentCharset(content: string): string | null {
  const match = /charset[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r ;"']+))/i.exec(content);
  return match ? (match[1] ?? match[2] ?? match[3] ?? null) : null;
}

/**
 * The encoding the first `<meta>` that names one gives (the HTML standard's prescan, simplified: comments are skipped,
 * a tag ends at its first `>`). A `charset` attribute counts alone; a `content` only with `http-equiv=content-type`.
 */
function metaEncoding(head: Uint8Array): string | null {
  // Bytes as Latin-1: the markup that matters is ASCII, and every byte stays one character.
  const text = String.fromCharCode(...head).replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const [, attributeText = ''] of text.matchAll(/<meta[\t\n\f\r /]([^>]*)/gi)) {
    const attributes = new Map<string, string>();
    const pattern = /([^\t\n\f\r />=]+)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r >]*)))?/g;
    for (const [, name = '', double, single, bare] of attributeText.matchAll(pattern)) {
      // The first of an attribute written twice counts.
      const key = name.toLowerCase();
      if (!attributes.has(key)) attributes.set(key, double ?? single ?? bare ?? '');
    }
    const charset = attributes.get('charset');
    const pragma = attributes.get('http-equiv')?.toLowerCase() === 'content-type';
    const label = charset ?? (pragma ? contentCharset(attributes.get('content') ?? '') : null);
    const encoding = encodingOf(label);
    if (encoding === null) continue;
    // A document whose bytes could be read far enough to find this is not UTF-16: the standard reads it as UTF-8.
    if (encoding === 'utf-16le' || encoding === 'utf-16be') return 'utf-8';
    return encoding === 'x-user-defined' ? 'windows-1252' : encoding;
  }
  return null;
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}
