import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipCapped, isGzipFile } from '../../../utils/crawl/gunzip';

describe('gzipped files (sitemaps)', () => {
  it('inflates gzip bytes, and keeps no more than the cap however far they would inflate', async () => {
    const text = new TextDecoder();
    expect(text.decode(await gunzipCapped(new Uint8Array(gzipSync('<urlset/>')), 1024))).toBe('<urlset/>');
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20)));
    expect(bomb.byteLength).toBeLessThan(64 * 1024);
    expect((await gunzipCapped(bomb, 1024 * 1024)).byteLength).toBe(1024 * 1024);
  });

  it('keeps what came before a cut, and passes on bytes that are not gzip (fetch inflated them already)', async () => {
    const whole = new Uint8Array(gzipSync(`<urlset>${'<url><loc>https://s.example/a</loc></url>'.repeat(2000)}`));
    const cut = await gunzipCapped(whole.subarray(0, whole.byteLength / 2), 1 << 20);
    expect(new TextDecoder().decode(cut).startsWith('<urlset><url><loc>https://s.example/a</loc>')).toBe(true);
    const plain = new TextEncoder().encode('<urlset/>');
    expect(await gunzipCapped(plain, 1024)).toEqual(plain);
  });

  it('tells a gzip file by its type or its .gz name, not by other types', () => {
    expect(isGzipFile('application/x-gzip', 'https://s.example/sitemap-1')).toBe(true);
    expect(isGzipFile('application/gzip; charset=binary', 'https://s.example/sitemap-1')).toBe(true);
    expect(isGzipFile('application/octet-stream', 'https://s.example/sitemap-1.xml.gz')).toBe(true);
    expect(isGzipFile('application/xml', 'https://s.example/sitemap.xml')).toBe(false);
  });
});
