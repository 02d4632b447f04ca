// What the second opinion reads of a tab's settled document. `probeDocument` is injected into the tab with
// `scripting.executeScript` and runs in the extension's isolated world: it only reads, and its answer is checked by
// `readProbe` before anything is done with it, since the page's own scripts may have shaped the DOM it read.

export interface DocumentProbe {
  readyState: 'loading' | 'interactive' | 'complete';
  title: string;
  /** The first challenge element present (a selector from CHALLENGE_SELECTORS), or null. */
  marker: string | null;
  /** Whether the fragment's target exists (an id, or the name of an `a`), null when no fragment was asked about. */
  fragment: 'found' | 'missing' | null;
}

const TITLE_MAX = 300;

/**
 * Runs in the tab. Self-contained: executeScript sends only the function's source and its arguments. `targets`: the
 * names any of which holds the fragment's target (utils/check/fragments.ts, targetNames), null without a fragment.
 */
export function probeDocument(targets: string[] | null, selectors: string[]): DocumentProbe {
  let marker: string | null = null;
  for (const selector of selectors) {
    try {
      if (document.querySelector(selector)) {
        marker = selector;
        break;
      }
    } catch {
      // A selector this browser does not know: not a marker here.
    }
  }
  let found: 'found' | 'missing' | null = null;
  if (targets !== null) {
    // As the browser scrolls to a fragment: an element with that id, else an `a` with that name.
    const holds = (name: string) =>
      document.getElementById(name) !== null ||
      Array.from(document.getElementsByName(name)).some((el) => el.localName === 'a');
    found = targets.some(holds) ? 'found' : 'missing';
  }
  return { readyState: document.readyState, title: document.title.slice(0, 300), marker, fragment: found };
}

/** The probe's answer, checked field by field; null when it is not one. */
export function readProbe(value: unknown, selectors: readonly string[]): DocumentProbe | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.readyState !== 'loading' && v.readyState !== 'interactive' && v.readyState !== 'complete') return null;
  if (typeof v.title !== 'string') return null;
  if (v.marker !== null && !selectors.includes(v.marker as string)) return null;
  if (v.fragment !== null && v.fragment !== 'found' && v.fragment !== 'missing') return null;
  return {
    readyState: v.readyState,
    title: v.title.replace(/\s+/g, ' ').trim().slice(0, TITLE_MAX),
    marker: v.marker as string | null,
    fragment: v.fragment,
  };
}
