/**
 * Is this a gzip file, by its type or its name (`sitemap-1.xml.gz`)? Content-Encoding: gzip does not make one: fetch
 * inflates such a body itself.
 */
export function isGzipFile(contentType: string | null, url: string): boolean {
  if (/^\s*application\/(x-)?gzip\b/i.test(contentType ?? '')) return true;
  return /\.gz$/i.test(URL.parse(url)?.pathname ?? '');
}

/** A gzip stream starts with these two bytes (RFC 1952). */
const hasGzipMagic = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Inflates gzip bytes with the platform's DecompressionStream (workers and Node alike), keeping at most `maxBytes`: a
 * few kilobytes can inflate to gigabytes. Bytes that are not gzip (a server that sent Content-Encoding: gzip as well,
 * so fetch inflated them already) are returned as they are. A stream cut short keeps what was inflated before the cut.
 */
export async function gunzipCapped(bytes: Uint8Array<ArrayBuffer>, maxBytes: number): Promise<Uint8Array> {
  if (!hasGzipMagic(bytes)) return bytes.subarray(0, maxBytes);
  const input = new ReadableStream<BufferSource>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip')).getReader();
  const pieces: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const piece = value.subarray(0, maxBytes - size);
      pieces.push(piece);
      size += piece.byteLength;
    }
  } catch {
    // A truncated or damaged stream: what came before the damage is still a sitemap's start.
  } finally {
    reader.cancel().catch(() => {});
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}
