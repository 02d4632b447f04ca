// A note in words: one composition for every language, the sentences looked up through `say` (see note.ts).
import { isKnownNote, type Likeness, type Note, type Say } from './note';

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
    case 'fragment-from-redirect':
      return say('fragment.fromRedirect', { fragment: `#${note.fragment}` });
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
    case 'crawl-not-saved':
      return say('crawl.notSaved', { error: note.error });
    case 'crawl-not-kept':
      return say('crawl.notKept', none);
    case 'tab-not-opened':
      return note.error === '' ? say('tab.noTab', none) : say('tab.notOpened', { error: note.error });
    case 'tab-not-loaded':
      return say('tab.notLoaded', { error: note.error });
    case 'tab-refused':
      return say('tab.refused', { url: note.target });
    case 'tab-timeout':
      return say('tab.timeout', { seconds: note.seconds });
    case 'tab-closed':
      return say('tab.closed', none);
    case 'invalid-address':
      return say('detail.invalidAddress', none);
    case 'redirect-private':
      return say('detail.redirectPrivate', { url: note.target });
    case 'private-by-address':
      return say('detail.privateByAddress', { host: note.host });
    case 'private-reached':
      return say('detail.privateReached', { host: note.host, address: note.address });
    case 'exclusion-broken':
      return say('detail.exclusionBroken', { index: note.index, pattern: note.pattern, error: note.error });
    case 'state-changing':
      return say('detail.stateChanging', none);
    case 'nofollow':
      return say('detail.nofollow', none);
    case 'robots':
      return say('detail.robots', none);
    case 'not-judged':
      return say('detail.notJudged', { error: note.error });
    case 'ignored':
      return note.note === '' ? say('detail.ignoredOnSite', none) : say('detail.ignored', { note: note.note });
    case 'timeout':
      return say('failure.timeout', { ms: note.ms });
    case 'deadline-in-redirect':
      return say('failure.deadlineInRedirect', { seconds: note.seconds });
    case 'too-many-redirects':
      return say('failure.tooManyRedirects', { max: note.max });
    case 'redirect-no-target':
      return say('failure.redirectNoTarget', none);
    case 'redirect-too-long':
      return say('failure.redirectTooLong', { max: note.max });
    case 'redirect-scheme':
      return say('failure.redirectScheme', { scheme: note.scheme });
    case 'redirect-credentials':
      return say('failure.redirectCredentials', none);
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

/**
 * What a result says of its verdict, in one line: Linkpulse's reason (`detail`) worded, then the browser's own text
 * (or an older version's English words, stored as that text).
 */
export function wordDetail(stored: { detail?: Note; errorText?: string }, say: Say): string {
  const words = isKnownNote(stored.detail) ? [wordNote(stored.detail, say)] : [];
  if (typeof stored.errorText === 'string' && stored.errorText !== '') words.push(stored.errorText);
  return words.join(' ');
}

/** One stored note (a crawled page's, a site check's) in one language: a value worded, older text as it is, else ''. */
export function wordStoredNote(stored: Note | string | undefined, say: Say): string {
  if (typeof stored === 'string') return stored;
  return isKnownNote(stored) ? wordNote(stored, say) : '';
}
