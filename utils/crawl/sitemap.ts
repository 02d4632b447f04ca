import { Parser } from 'htmlparser2';

/** What one sitemap file lists: pages (`<urlset>`) or more sitemaps (`<sitemapindex>`). */
export interface SitemapEntries {
  pages: string[];
  sitemaps: string[];
}

/** A sitemap is read up to this size (the protocol's own limit is 50 MB uncompressed; ours is smaller). */
export const SITEMAP_MAX_BYTES = 5 * 1024 * 1024;

/** The sitemap protocol's namespace: sitemaps.org's 0.9, or Google's older 0.84 (not sitemap-image and the like). */
const SITEMAP_NAMESPACE = /\/schemas\/sitemap\/[\d.]+\/?$/;

/** An open element: its local name when it is one of the protocol's (null otherwise), and the prefixes it rebound. */
interface OpenElement {
  name: string | null;
  rebound: [prefix: string, before: boolean | undefined][] | null;
}

/**
 * Reads the `<loc>` of every `<url>` and `<sitemap>` of a sitemap (XML), at most `max` of them, with htmlparser2. Only
 * a `<loc>` right inside one counts, and only the protocol's own (unprefixed, or with a prefix bound to its namespace):
 * an image sitemap's `<image:loc>` sits in the same `<url>`, and its images are not pages to crawl.
 */
export function parseSitemap(xml: string, max: number): SitemapEntries {
  const pages: string[] = [];
  const sitemaps: string[] = [];
  /** Each bound prefix: is its namespace the sitemap protocol's? */
  const prefixes = new Map<string, boolean>();
  const open: OpenElement[] = [];
  /** The `<loc>` being read: its text, where it goes, and how many elements were open outside it. */
  let loc: { text: string; target: string[]; depth: number } | null = null;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        let rebound: OpenElement['rebound'] = null;
        for (const [attribute, value] of Object.entries(attribs)) {
          if (!attribute.startsWith('xmlns:')) continue;
          const prefix = attribute.slice('xmlns:'.length);
          rebound ??= [];
          rebound.push([prefix, prefixes.get(prefix)]);
          prefixes.set(prefix, SITEMAP_NAMESPACE.test(value.trim()));
        }
        const colon = name.indexOf(':');
        const ours = colon < 0 || prefixes.get(name.slice(0, colon)) === true;
        const local = ours ? name.slice(colon + 1).toLowerCase() : null;
        const parent = open.at(-1)?.name;
        if (local === 'loc' && loc === null && (parent === 'url' || parent === 'sitemap')) {
          loc = { text: '', target: parent === 'sitemap' ? sitemaps : pages, depth: open.length };
        }
        open.push({ name: local, rebound });
      },
      ontext(text) {
        if (loc && loc.text.length < 8_192) loc.text += text;
      },
      onclosetag() {
        const closed = open.pop();
        if (loc && open.length === loc.depth) {
          const url = loc.text.trim();
          if (pages.length + sitemaps.length < max && url) loc.target.push(url);
          loc = null;
        }
        for (const [prefix, before] of closed?.rebound?.reverse() ?? []) {
          if (before === undefined) prefixes.delete(prefix);
          else prefixes.set(prefix, before);
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml.slice(0, SITEMAP_MAX_BYTES));
  parser.end();
  return { pages, sitemaps };
}
