import type { Collection } from '../collect/collect-links';

/** More links than this on one page are left out, with a message: a hostile page must not exhaust memory. */
export const MAX_LINKS = 20_000;

/**
 * Why a tab has no run to show, as a value: the page showing it puts it into the user's words
 * (components/unavailable-words.ts).
 */
export type Unavailable =
  /** The page asked about a tab that has no run and did not ask for one. */
  | { kind: 'no-run' }
  /** A browser page (chrome://, about:, the web store, the PDF viewer): extensions are kept out. */
  | { kind: 'restricted' }
  | { kind: 'no-answer' }
  | { kind: 'tab-gone' }
  /** The browser refused for another reason: its own words. */
  | { kind: 'unreadable'; detail: string }
  /** A script of the page kept it busy past the collection's time. */
  | { kind: 'busy'; seconds: number }
  /** The tab left the page its run was of. */
  | { kind: 'page-changed' };

/** What the page's collection returned, if it has the shape of one; otherwise why not. */
export function readCollection(value: unknown): Collection | Unavailable {
  const collection = value as Collection | undefined;
  if (!collection || typeof collection !== 'object' || !Array.isArray(collection.links)) return { kind: 'no-answer' };
  // Chromium lets a script into the document that holds its PDF viewer, where it finds no links: the PDF's own are in
  // the viewer, out of reach. "No links" would be untrue.
  if (collection.contentType === 'application/pdf') return { kind: 'restricted' };
  return collection;
}

/** Tells a collection from the reason there is none. */
export function isUnavailable(value: Collection | Unavailable): value is Unavailable {
  return 'kind' in value;
}

/**
 * The tab's page is one the extension has no access to: the browser hides its address (`tabs.Tab.url` absent) from an
 * extension whose host permissions do not reach it, which `<all_urls>` reaches wherever a script may run.
 */
export class NoAccess extends Error {
  constructor() {
    super('The browser does not show this tab’s address to Linkpulse');
  }
}

/**
 * Throws NoAccess when the browser hides the tab's address, before any script is sent: on a view-source: page
 * Chromium's `scripting.executeScript` never settles, so the collection would wait its whole time and then blame the page.
 */
export function requireAccess(tabUrl: string | undefined): void {
  if (tabUrl === undefined) throw new NoAccess();
}

/** The browser's refusal to script a page, as a reason a person can be told. */
export function describeCollectFailure(error: unknown): Unavailable {
  if (error instanceof CollectTimeout) return { kind: 'busy', seconds: Math.round(error.ms / 1000) };
  if (error instanceof NoAccess) return { kind: 'restricted' };
  const text = String((error as Error)?.message ?? error);
  if (/cannot (access|be scripted)|chrome:\/\/|extensions gallery|cannot script|Missing host permission/i.test(text)) {
    return { kind: 'restricted' };
  }
  if (/No tab with id/i.test(text)) return { kind: 'tab-gone' };
  return { kind: 'unreadable', detail: text };
}

/** How long a page may take to answer the collection, every slice included. */
export const COLLECT_TIMEOUT_MS = 30_000;

/** The page did not answer the collection in time (a script of the page keeps it busy). */
export class CollectTimeout extends Error {
  constructor(readonly ms: number) {
    super(`The page did not answer the collection within ${ms} ms`);
  }
}

/**
 * Runs a collection in the page within `ms`: its first answer, then the slices it still holds under the key the answer
 * names (`more(from, held)`), each a browser message well below the size limit. Rejects with CollectTimeout when the
 * page does not answer in time.
 */
export async function collectWithin(
  ms: number,
  first: () => Promise<unknown>,
  more: (from: number, held: string) => Promise<unknown>,
  setTimer: (run: () => void, ms: number) => unknown = setTimeout,
): Promise<unknown> {
  let expired = false;
  const gather = async () => {
    const answer = await first();
    const collection = answer as Collection | undefined;
    if (!collection || !Array.isArray(collection.links)) return answer;
    const { held, ...rest } = collection;
    const links = [...collection.links];
    for (let left = collection.remaining ?? 0; left > 0 && !expired; ) {
      const slice = typeof held === 'string' ? await more(links.length, held) : undefined;
      // A page that answers with anything but a non-empty slice has stopped answering: keep what came.
      if (!Array.isArray(slice) || slice.length === 0) {
        return { ...rest, links, truncated: true, remaining: 0 };
      }
      links.push(...slice);
      left -= slice.length;
    }
    return { ...rest, links, remaining: 0 };
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
