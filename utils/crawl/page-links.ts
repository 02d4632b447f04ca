import { Parser } from 'htmlparser2';

/** One `a[href]` / `area[href]` of a crawled page, resolved against the page's own base. */
export interface PageLink {
  /** Absolute URL, fragment kept; null when the href does not resolve to a URL. */
  url: string | null;
  href: string;
  /** The link's text (or an area's alt), whitespace collapsed, shortened. */
  text: string;
  nofollow: boolean;
}

export interface ParsedPage {
  title: string;
  links: PageLink[];
  /** ids and `<a name>`s: the targets a `#fragment` into this page can reach. */
  anchors: Set<string>;
  /** More links than `maxLinks`: the rest were left out. */
  truncated: boolean;
}

const TEXT_CAP = 200;
const TITLE_CAP = 1000;

/**
 * A string of its own, not a piece of another: a piece cut from a string (a link's text, an id, as the parser hands
 * them) keeps the whole string alive in V8 and SpiderMonkey — here the page's body, up to 4 MB, for as long as the
 * crawl keeps a link's text or a page's ids, which is to its end.
 */
export function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

function collapse(text: string, cap: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return ownCopy(t.length > cap ? `${t.slice(0, cap - 1)}…` : t);
}

/**
 * Reads a fetched HTML document the way a browser resolves its links, with htmlparser2 (the background has no DOM in
 * Chromium): the first `<base href>` sets the base, `a[href]` and `area[href]` are the links (as on a page check), and
 * ids and `a[name]` are the fragment targets. Linear in the document; never runs or fetches anything.
 */
export function parsePage(html: string, documentUrl: string, maxLinks: number): ParsedPage {
  let base: URL | null = null;
  const links: PageLink[] = [];
  const anchors = new Set<string>();
  let truncated = false;
  let title = '';
  let inTitle = false;
  let titleDone = false;
  /** The link whose text is being read (nested anchors are not valid HTML: a new one ends the last). */
  let open: { link: PageLink; text: string } | null = null;
  const closeLink = () => {
    if (open) open.link.text = collapse(open.text, TEXT_CAP);
    open = null;
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (attribs.id) anchors.add(ownCopy(attribs.id));
        if (name === 'a' && attribs.name) anchors.add(ownCopy(attribs.name));
        if (name === 'title' && !titleDone) inTitle = true;
        if (name === 'base' && base === null && attribs.href !== undefined) {
          base = URL.parse(attribs.href.trim(), documentUrl) ?? URL.parse(documentUrl);
          return;
        }
        if ((name !== 'a' && name !== 'area') || attribs.href === undefined) return;
        if (name === 'a') closeLink();
        if (links.length >= maxLinks) {
          truncated = true;
          return;
        }
        // Resolved once the whole document is read: a browser resolves every link against the first <base href>,
        // even one that comes after the link.
        const link: PageLink = {
          url: null,
          href: attribs.href.trim(),
          text: name === 'area' ? collapse(attribs.alt ?? '', TEXT_CAP) : '',
          nofollow: /(^|\s)nofollow(\s|$)/i.test(attribs.rel ?? ''),
        };
        links.push(link);
        if (name === 'a') open = { link, text: '' };
      },
      ontext(text) {
        if (inTitle && title.length < TITLE_CAP) title += text;
        if (open && open.text.length < TEXT_CAP * 2) open.text += text;
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          titleDone = true;
        }
        if (name === 'a') closeLink();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  closeLink();
  const resolveFrom = (base ?? documentUrl).toString();
  for (const link of links) {
    link.url = URL.parse(link.href, resolveFrom)?.href ?? null;
    // An address that does not resolve is kept as written: it names the link's row.
    if (link.url === null) link.href = ownCopy(link.href);
  }
  return { title: collapse(title, TITLE_CAP), links, anchors, truncated };
}

/** Is this response an HTML document worth parsing for links? */
export function isHtmlType(contentType: string | null): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '');
}
