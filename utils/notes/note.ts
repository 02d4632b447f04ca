/**
 * What a check tells a person beyond a verdict (why a link is a soft 404, why its #fragment was not judged…), stored
 * with the result as a value: a code and the facts it needs. The words come later, from whoever shows it: the pages
 * in the user's language (components/note-words.ts), the exports in English (english.ts). Both word a note the same
 * way, through `wordNote`, and differ only in the sentence table they read.
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
  // Why a background tab could not settle a link (the second opinion, utils/verify/).
  /** No tab could be opened: the browser's error ('' when it gave none). */
  | { code: 'tab-not-opened'; error: string }
  /** The tab could not load the link: the browser's error. */
  | { code: 'tab-not-loaded'; error: string }
  /** A redirect went where the private-network guard refuses to go: the tab stopped before it. */
  | { code: 'tab-refused'; target: string }
  | { code: 'tab-timeout'; seconds: number };

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
  'tab.notOpened': { error: string };
  'tab.noTab': Record<string, never>;
  'tab.notLoaded': { error: string };
  'tab.refused': { url: string };
  'tab.timeout': { seconds: number };
  'likeness.title': { title: string };
  'likeness.noTitle': Record<string, never>;
  'likeness.titles': { notFound: string; page: string };
  'likeness.similar': { titles: string; percent: number };
}

export type SentenceKey = keyof NoteSentences;

/** Looks a sentence up in one language and fills in its values. */
export type Say = <K extends SentenceKey>(key: K, values: NoteSentences[K]) => string;

const none: Record<string, never> = {};

function likeness(note: Likeness, say: Say): string {
  const title = (text: string) =>
    text === '' ? say('likeness.noTitle', none) : say('likeness.title', { title: text });
  const titles =
    note.pageTitle === null
      ? title(note.notFoundTitle)
      : say('likeness.titles', { notFound: title(note.notFoundTitle), page: title(note.pageTitle) });
  return say('likeness.similar', { titles, percent: note.percent });
}

/** One note in the words of `say`'s language. */
export function wordNote(note: Note, say: Say): string {
  switch (note.code) {
    case 'credentials-not-sent':
      return say('credentials', none);
    case 'fragment-not-html':
      return note.type === '' ? say('fragment.untyped', none) : say('fragment.notHtml', { type: note.type });
    case 'fragment-capped':
      return say('fragment.capped', { mb: note.mb });
    case 'fragment-cut-short':
      return say('fragment.cutShort', none);
    case 'soft404-same-place':
      return say('soft404.samePlace', { url: note.finalUrl });
    case 'soft404-front-page':
      return say('soft404.frontPage', { url: note.finalUrl });
    case 'soft404-same-page':
      return say('soft404.samePage', { likeness: likeness(note, say) });
    case 'suspect-front-page':
      return say('suspect.frontPage', { url: note.finalUrl });
    case 'suspect-like-page':
      return say('suspect.likePage', { likeness: likeness(note, say) });
    case 'suspect-not-compared':
      return say('suspect.notCompared', none);
    case 'page-failed':
      return say('page.failed', { error: note.error });
    case 'page-redirect-refused':
      return say('page.redirectRefused', { url: note.target });
    case 'page-status':
      return say('page.status', { status: note.status });
    case 'page-not-html':
      return say('page.notHtml', none);
    case 'page-off-site':
      return say('page.offSite', none);
    case 'page-read-there':
      return say('page.readThere', { url: note.finalUrl });
    case 'page-too-many-links':
      return say('page.tooManyLinks', { max: note.max });
    case 'page-cut-short':
      return say('page.cutShort', none);
    case 'crawl-too-many-links':
      return say('crawl.tooManyLinks', { max: note.max });
    case 'crawl-stopped':
      return say('crawl.stopped', { error: note.error });
    case 'tab-not-opened':
      return note.error === '' ? say('tab.noTab', none) : say('tab.notOpened', { error: note.error });
    case 'tab-not-loaded':
      return say('tab.notLoaded', { error: note.error });
    case 'tab-refused':
      return say('tab.refused', { url: note.target });
    case 'tab-timeout':
      return say('tab.timeout', { seconds: note.seconds });
  }
}

/**
 * A result's notes in one language: its values worded, and the text of an older version's result as it was stored.
 * Anything else (a value of a newer version this code does not know) is left out rather than shown as `[object]`.
 */
export function wordNotes(stored: { notes?: readonly Note[]; note?: string }, say: Say): string[] {
  const words: string[] = [];
  for (const note of stored.notes ?? []) {
    const text = isKnownNote(note) ? wordNote(note, say) : undefined;
    if (text) words.push(text);
  }
  if (typeof stored.note === 'string' && stored.note !== '') words.push(stored.note);
  return words;
}

/** One stored note (a crawled page's, a site check's) in one language: a value worded, older text as it is, else ''. */
export function wordStoredNote(stored: Note | string | undefined, say: Say): string {
  if (typeof stored === 'string') return stored;
  return isKnownNote(stored) ? wordNote(stored, say) : '';
}

const CODES: Record<NoteCode, true> = {
  'credentials-not-sent': true,
  'fragment-not-html': true,
  'fragment-capped': true,
  'fragment-cut-short': true,
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
  'tab-not-opened': true,
  'tab-not-loaded': true,
  'tab-refused': true,
  'tab-timeout': true,
};

function isKnownNote(value: unknown): value is Note {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    Object.hasOwn(CODES, (value as { code: string }).code)
  );
}
