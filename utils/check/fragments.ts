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

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/**
 * Collects every `id` and `name` attribute value of an HTML document. The service worker has no DOM, so this scans
 * start tags; comments, scripts and styles are removed first so an id mentioned there does not count.
 */
export function extractAnchors(html: string): Set<string> {
  const anchors = new Set<string>();
  const markup = html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<(script|style|template)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, '');
  const tag = /<[a-zA-Z][^\s/>]*((?:\s+[^\s/>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  const attribute = /\s(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  for (const match of markup.matchAll(tag)) {
    for (const attr of (match[1] ?? '').matchAll(attribute)) {
      const value = attr[2] ?? attr[3] ?? attr[4] ?? '';
      if (value !== '') anchors.add(decodeEntities(value));
    }
  }
  return anchors;
}
