/** History is kept per page URL without its fragment: `page#a` and `page#b` are one page, as for a tab's run. */
export function pageKeyOf(pageUrl: string): string {
  const hash = pageUrl.indexOf('#');
  return hash === -1 ? pageUrl : pageUrl.slice(0, hash);
}

/** The site of a page, for ignores and clearing: its host (name and port), lowercased; empty when not a URL. */
export function siteOf(pageUrl: string): string {
  try {
    return new URL(pageUrl).host.toLowerCase();
  } catch {
    return '';
  }
}
