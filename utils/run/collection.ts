import type { Collection } from '../collect/collect-links';

/** More links than this on one page are left out, with a message: a hostile page must not exhaust memory. */
export const MAX_LINKS = 20_000;

const RESTRICTED_MESSAGE =
  'Linkpulse cannot read this page: browsers keep extensions out of their own pages (chrome://, about:, the web ' +
  'store, the PDF viewer). Open a regular web page and click the icon again.';

/** What the page's collection returned, if it has the shape of one; otherwise why not, in words for a person. */
export function readCollection(value: unknown): Collection | string {
  const collection = value as Collection | undefined;
  if (!collection || typeof collection !== 'object' || !Array.isArray(collection.links)) {
    return 'The page did not answer. Reload it and try again.';
  }
  return collection;
}

/** The browser's refusal to script a page, in words a person understands. */
export function describeCollectFailure(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  if (/cannot (access|be scripted)|chrome:\/\/|extensions gallery|cannot script|Missing host permission/i.test(text)) {
    return RESTRICTED_MESSAGE;
  }
  if (/No tab with id/i.test(text)) return 'That tab is gone.';
  return `Linkpulse could not read this page: ${text}`;
}
