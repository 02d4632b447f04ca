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
  if (error instanceof CollectTimeout) return error.message;
  const text = String((error as Error)?.message ?? error);
  if (/cannot (access|be scripted)|chrome:\/\/|extensions gallery|cannot script|Missing host permission/i.test(text)) {
    return RESTRICTED_MESSAGE;
  }
  if (/No tab with id/i.test(text)) return 'That tab is gone.';
  return `Linkpulse could not read this page: ${text}`;
}

/** How long a page may take to answer the collection, every slice included. */
export const COLLECT_TIMEOUT_MS = 30_000;

/** The page did not answer the collection in time (a script of the page keeps it busy). */
export class CollectTimeout extends Error {
  constructor(ms: number) {
    super(
      `The page did not let Linkpulse read its links within ${Math.round(ms / 1000)} s: a script of the page keeps ` +
        'it busy. Reload the page, or wait until it settles, and click Re-check.',
    );
  }
}

/**
 * Runs a collection in the page within `ms`: its first answer, then the slices it still holds (`more(from)`), each a
 * browser message well below the size limit. Rejects with CollectTimeout when the page does not answer in time.
 */
export async function collectWithin(
  ms: number,
  first: () => Promise<unknown>,
  more: (from: number) => Promise<unknown>,
  setTimer: (run: () => void, ms: number) => unknown = setTimeout,
): Promise<unknown> {
  let expired = false;
  const gather = async () => {
    const answer = await first();
    const collection = answer as (Collection & { remaining?: number }) | undefined;
    if (!collection || !Array.isArray(collection.links)) return answer;
    const links = [...collection.links];
    for (let left = collection.remaining ?? 0; left > 0 && !expired; ) {
      const slice = await more(links.length);
      // A page that answers with anything but a non-empty slice has stopped answering: keep what came.
      if (!Array.isArray(slice) || slice.length === 0) {
        return { ...collection, links, truncated: true, remaining: 0 };
      }
      links.push(...slice);
      left -= slice.length;
    }
    return { ...collection, links, remaining: 0 };
  };
  return Promise.race([
    gather(),
    new Promise((_, reject) =>
      setTimer(() => {
        expired = true;
        reject(new CollectTimeout(ms));
      }, ms),
    ),
  ]);
}
