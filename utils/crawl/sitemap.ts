import { Parser } from 'htmlparser2';

/** What one sitemap file lists: pages (`<urlset>`) or more sitemaps (`<sitemapindex>`). */
export interface SitemapEntries {
  pages: string[];
  sitemaps: string[];
}

/** A sitemap is read up to this size (the protocol's own limit is 50 MB uncompressed; ours is smaller). */
export const SITEMAP_MAX_BYTES = 5 * 1024 * 1024;

/** Reads the `<loc>` of every `<url>` and `<sitemap>` of a sitemap (XML), at most `max` of them, with htmlparser2. */
export function parseSitemap(xml: string, max: number): SitemapEntries {
  const pages: string[] = [];
  const sitemaps: string[] = [];
  let parent: 'url' | 'sitemap' | null = null;
  let inLoc = false;
  let loc = '';
  const parser = new Parser(
    {
      onopentag(name) {
        const local = name.replace(/^.*:/, '').toLowerCase();
        if (local === 'url' || local === 'sitemap') parent = local;
        if (local === 'loc') {
          inLoc = true;
          loc = '';
        }
      },
      ontext(text) {
        if (inLoc && loc.length < 8_192) loc += text;
      },
      onclosetag(name) {
        const local = name.replace(/^.*:/, '').toLowerCase();
        if (local === 'loc' && inLoc) {
          inLoc = false;
          const target = parent === 'sitemap' ? sitemaps : pages;
          if (pages.length + sitemaps.length < max && loc.trim()) target.push(loc.trim());
        }
        if (local === 'url' || local === 'sitemap') parent = null;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml.slice(0, SITEMAP_MAX_BYTES));
  parser.end();
  return { pages, sitemaps };
}
