/**
 * What a check tells a person beyond a verdict (why a link is a soft 404, why its #fragment was not judged…), stored
 * with the result as a value: a code and the facts it needs. The words come later, from whoever shows it: the pages
 * in the user's language (components/note-words.ts), the exports in English (english.ts). Both word a note the same
 * way, through `wordNote` (word-note.ts), and differ only in the sentence table they read.
 */

/** How a link's answer compares with the host's answer for a path that cannot exist (soft-404 detection). */
export interface Likeness {
  /** The not-found page's title ('' when it has none). */
  notFoundTitle: string;
  /** This page's title, when it differs from the not-found page's (null when the same). */
  pageTitle: string | null;
  /** Share of alike text, in whole percent (rounded down). */
  percent: number;
}

export type Note =
  /** The address held a name and password: the check went without them. */
  | { code: 'credentials-not-sent' }
  /** The #fragment could not be judged: the target is not HTML (its media type; '' when it had none). */
  | { code: 'fragment-not-html'; type: string }
  /** The #fragment was not in what was read, but not all was read: only the first `mb` MB. */
  | { code: 'fragment-capped'; mb: number }
  /** The #fragment was not in what was read: the download failed or timed out part-way. */
  | { code: 'fragment-cut-short' }
  /** The #fragment was not judged: a redirect named its own (without `#`), where a browser lands instead. */
  | { code: 'fragment-from-redirect'; fragment: string }
  /** Soft 404: redirected to the same place a path that does not exist is. */
  | { code: 'soft404-same-place'; finalUrl: string }
  /** Soft 404: a deep link redirected to the front page, where the host sends a path that does not exist too. */
  | { code: 'soft404-front-page'; finalUrl: string }
  /** Soft 404: the same page as the host's not-found page. */
  | ({ code: 'soft404-same-page' } & Likeness)
  /** Possibly a soft 404: redirected to a front page, on a host that does not send dead paths there. */
  | { code: 'suspect-front-page'; finalUrl: string }
  /** Possibly a soft 404: somewhat like the host's not-found page. */
  | ({ code: 'suspect-like-page' } & Likeness)
  /** Possibly a soft 404: the run had read its share of pages, so this one was not compared. */
  | { code: 'suspect-not-compared' }
  // A crawled page whose links were not read (utils/crawl/crawler.ts), and why.
  /** It could not be fetched: the browser's error. */
  | { code: 'page-failed'; error: string }
  | { code: 'page-redirect-refused'; target: string }
  | { code: 'page-status'; status: number }
  | { code: 'page-not-html' }
  | { code: 'page-off-site' }
  /** It redirects to a page the crawl reads anyway, whose links are read there. */
  | { code: 'page-read-there'; finalUrl: string }
  /** Its links were read, but only the first `max`. */
  | { code: 'page-too-many-links'; max: number }
  /** Its links were read, but only from its start. */
  | { code: 'page-cut-short' }
  // A site check's own notes.
  | { code: 'crawl-too-many-links'; max: number }
  /** It stopped on an error of its own (a bug): its text. */
  | { code: 'crawl-stopped'; error: string }
  /** Storage refused its rows (full, most likely): it goes on in memory. `error`: the storage's error name. */
  | { code: 'crawl-not-saved'; error: string }
  /** Finished, but storage refused to keep it in the history. */
  | { code: 'crawl-not-kept' }
  // Why a background tab could not settle a link (the second opinion, utils/verify/).
  /** No tab could be opened: the browser's error ('' when it gave none). */
  | { code: 'tab-not-opened'; error: string }
  /** The tab could not load the link: the browser's error. */
  | { code: 'tab-not-loaded'; error: string }
  /** A redirect went where the private-network guard refuses to go: the tab stopped before it. */
  | { code: 'tab-refused'; target: string }
  | { code: 'tab-timeout'; seconds: number }
  /** The tab was closed before it settled (by the person, or with its window). */
  | { code: 'tab-closed' }
  // Why a link got its verdict, in Linkpulse's words (LinkResult.detail): the browser's own words stay errorText.
  | { code: 'invalid-address' }
  /** A redirect led to a private address, which a public page's check does not request. */
  | { code: 'redirect-private'; target: string }
  /** The guard by address: the host's DNS answer (or an earlier one) is private; nothing was sent. */
  | { code: 'private-by-address'; host: string }
  /** The guard by address: one request reached a private address before it was known; its answer is not used. */
  | { code: 'private-reached'; host: string; address: string }
  /** An exclusion pattern does not compile (number `index`, from 1): nothing is checked rather than the rule ignored. */
  | { code: 'exclusion-broken'; index: number; pattern: string; error: string }
  | { code: 'state-changing' }
  | { code: 'nofollow' }
  | { code: 'robots' }
  /** A bug in Linkpulse stopped the check of this link: its text. */
  | { code: 'not-judged'; error: string }
  /** The user ignores this link on its site, with their own note ('' for none). */
  | { code: 'ignored'; note: string }
  // Why Linkpulse, not the network, ended a request (NetworkFailure.detail).
  | { code: 'timeout'; ms: number }
  /** The link's own deadline ended while a redirect was still to be followed. */
  | { code: 'deadline-in-redirect'; seconds: number }
  | { code: 'too-many-redirects'; max: number }
  | { code: 'redirect-no-target' }
  | { code: 'redirect-too-long'; max: number }
  /** A redirect to another scheme (`data:`, `javascript:`…), which a browser would not follow either. */
  | { code: 'redirect-scheme'; scheme: string }
  | { code: 'redirect-credentials' };

export type NoteCode = Note['code'];

/**
 * Every sentence a note may be worded with, and the values it fills in. The keys are the locales' `notes.<key>`;
 * a sentence with `{name}` gets that value.
 */
export interface NoteSentences {
  credentials: Record<string, never>;
  'fragment.notHtml': { type: string };
  'fragment.untyped': Record<string, never>;
  'fragment.capped': { mb: number };
  'fragment.cutShort': Record<string, never>;
  'fragment.fromRedirect': { fragment: string };
  'soft404.samePlace': { url: string };
  'soft404.frontPage': { url: string };
  'soft404.samePage': { likeness: string };
  'suspect.frontPage': { url: string };
  'suspect.likePage': { likeness: string };
  'suspect.notCompared': Record<string, never>;
  'page.failed': { error: string };
  'page.redirectRefused': { url: string };
  'page.status': { status: number };
  'page.notHtml': Record<string, never>;
  'page.offSite': Record<string, never>;
  'page.readThere': { url: string };
  'page.tooManyLinks': { max: number };
  'page.cutShort': Record<string, never>;
  'crawl.tooManyLinks': { max: number };
  'crawl.stopped': { error: string };
  'crawl.notSaved': { error: string };
  'crawl.notKept': Record<string, never>;
  'tab.notOpened': { error: string };
  'tab.noTab': Record<string, never>;
  'tab.notLoaded': { error: string };
  'tab.refused': { url: string };
  'tab.timeout': { seconds: number };
  'tab.closed': Record<string, never>;
  'detail.invalidAddress': Record<string, never>;
  'detail.redirectPrivate': { url: string };
  'detail.privateByAddress': { host: string };
  'detail.privateReached': { host: string; address: string };
  'detail.exclusionBroken': { index: number; pattern: string; error: string };
  'detail.stateChanging': Record<string, never>;
  'detail.nofollow': Record<string, never>;
  'detail.robots': Record<string, never>;
  'detail.notJudged': { error: string };
  'detail.ignored': { note: string };
  'detail.ignoredOnSite': Record<string, never>;
  'failure.timeout': { ms: number };
  'failure.deadlineInRedirect': { seconds: number };
  'failure.tooManyRedirects': { max: number };
  'failure.redirectNoTarget': Record<string, never>;
  'failure.redirectTooLong': { max: number };
  'failure.redirectScheme': { scheme: string };
  'failure.redirectCredentials': Record<string, never>;
  'likeness.title': { title: string };
  'likeness.noTitle': Record<string, never>;
  'likeness.titles': { notFound: string; page: string };
  'likeness.similar': { titles: string; percent: number };
}

export type SentenceKey = keyof NoteSentences;

/** Looks a sentence up in one language and fills in its values. */
export type Say = <K extends SentenceKey>(key: K, values: NoteSentences[K]) => string;

const CODES: Record<NoteCode, true> = {
  'credentials-not-sent': true,
  'fragment-not-html': true,
  'fragment-capped': true,
  'fragment-cut-short': true,
  'fragment-from-redirect': true,
  'soft404-same-place': true,
  'soft404-front-page': true,
  'soft404-same-page': true,
  'suspect-front-page': true,
  'suspect-like-page': true,
  'suspect-not-compared': true,
  'page-failed': true,
  'page-redirect-refused': true,
  'page-status': true,
  'page-not-html': true,
  'page-off-site': true,
  'page-read-there': true,
  'page-too-many-links': true,
  'page-cut-short': true,
  'crawl-too-many-links': true,
  'crawl-stopped': true,
  'crawl-not-saved': true,
  'crawl-not-kept': true,
  'tab-not-opened': true,
  'tab-not-loaded': true,
  'tab-refused': true,
  'tab-timeout': true,
  'tab-closed': true,
  'invalid-address': true,
  'redirect-private': true,
  'private-by-address': true,
  'private-reached': true,
  'exclusion-broken': true,
  'state-changing': true,
  nofollow: true,
  robots: true,
  'not-judged': true,
  ignored: true,
  timeout: true,
  'deadline-in-redirect': true,
  'too-many-redirects': true,
  'redirect-no-target': true,
  'redirect-too-long': true,
  'redirect-scheme': true,
  'redirect-credentials': true,
};

/** A note this version knows how to word (a stored value may come from a newer one). */
export function isKnownNote(value: unknown): value is Note {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    Object.hasOwn(CODES, (value as { code: string }).code)
  );
}
