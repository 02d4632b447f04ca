/**
 * Links a crawler must never follow because visiting them changes something for the user: signing out, deleting,
 * unsubscribing. Judged by the URL (path and query) and by the link's text; a small table, kept short on purpose
 * (README "Check a whole site" lists it). A false match only costs a `skipped` row; a miss could sign the user out.
 */
const WORDS = [
  'log-?out',
  'log-?off',
  'sign-?out',
  'sign-?off',
  'delete',
  'remove',
  'destroy',
  'unsubscribe',
  'deactivate',
  'revoke',
  'cancel-?(account|subscription|order)',
];

/** The words as whole tokens of a path or query (separated by / ? & = . _ - or the ends), in any case. */
const IN_URL = new RegExp(`(^|[/?&=._-])(${WORDS.join('|')})($|[/?&=._-])`, 'i');
/** The same words, with spaces, as the link's visible text. */
const IN_TEXT = new RegExp(`\\b(${WORDS.map((w) => w.replace('-?', '[ -]?')).join('|')})\\b`, 'i');

export function isStateChanging(url: URL, text: string): boolean {
  return IN_URL.test(decodeSafely(url.pathname + url.search)) || IN_TEXT.test(text);
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
