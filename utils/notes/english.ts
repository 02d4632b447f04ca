/**
 * The notes in English, for the exports (JSON, Markdown, HTML), which stay English whatever the browser speaks: they
 * are shared with teams and tools. locales/en.yml repeats these sentences under `notes.` for the pages (the browser's
 * i18n reads only the built locale files, and an export cannot ask it for English in a German browser);
 * tests/unit/notes/english.test.ts fails when the two differ, so there is one English wording, checked.
 */
import type { Note, NoteSentences, Say } from './note';
import { wordDetail, wordNote, wordNotes, wordStoredNote } from './word-note';

export const ENGLISH_SENTENCES: { readonly [K in keyof NoteSentences]: string } = {
  credentials: 'Checked without the name and password written in the address: they were not sent.',
  'fragment.notHtml': 'The #fragment was not checked: the target is not an HTML document ({type}).',
  'fragment.untyped': 'The #fragment was not checked: the target is not an HTML document (no content type).',
  'fragment.capped': 'The #fragment was not found in what was read of the document: only its first {mb} MB were read.',
  'fragment.cutShort':
    'The #fragment was not found in what was read of the document: its download failed or timed out part-way.',
  'fragment.fromRedirect':
    'The #fragment was not checked: a redirect names its own ({fragment}), where a browser lands instead.',
  'soft404.samePlace': 'Soft 404: redirected to the same page as a path that does not exist: {url}.',
  'soft404.frontPage': 'Soft 404: redirected to the front page ({url}), as a path that does not exist is.',
  'soft404.samePage': 'Soft 404: same page as a path that does not exist: {likeness}.',
  'suspect.frontPage':
    'Possibly a soft 404: redirected to a front page ({url}): the page may be gone, or need a sign-in.',
  'suspect.likePage':
    "Possibly a soft 404: looks somewhat like this host's page for a path that does not exist: {likeness}.",
  'suspect.notCompared':
    "Possibly a soft 404: not compared with this host's page for a path that does not exist: this run has read its share of pages.",
  'page.failed': '{error}',
  'page.redirectRefused': 'Redirects to {url}, which is not requested',
  'page.status': 'HTTP {status}: its links were not read',
  'page.notHtml': 'Not an HTML page: nothing to follow',
  'page.offSite': 'Redirects off the site: not followed',
  'page.readThere': 'Redirects to {url}, which is read as a page of its own',
  'page.tooManyLinks': 'More than {max} links: the rest were not read',
  'page.cutShort': 'Larger than Linkpulse reads: only its start was read',
  'crawl.tooManyLinks': 'More than {max} distinct links: the rest were left out.',
  'crawl.stopped': 'The site check stopped on an error: {error}',
  'crawl.notSaved':
    "Not saved ({error}): the check goes on, but what is not saved would be checked again if the browser stopped Linkpulse's background.",
  'crawl.notKept':
    'Not kept in the history: the browser refused to store it (its storage is likely full). Its results are all here; export them to keep them.',
  'tab.notOpened': 'No tab could be opened: {error}',
  'tab.noTab': 'No tab could be opened.',
  'tab.notLoaded': 'The tab could not load it: {error}',
  'tab.refused': 'Stopped before {url}: the private-network guard refuses it.',
  'tab.timeout': 'The tab did not settle within {seconds} s.',
  'tab.closed': 'The tab was closed before it settled.',
  'detail.invalidAddress': 'This is not a valid address.',
  'detail.redirectPrivate':
    'Redirects to {url}, an address in a private network, which is not requested from a public page.',
  'detail.privateByAddress':
    '{host} is at an address in a private network (its DNS answer, the browser’s check of the address, or an earlier answer in this check): nothing is sent to it from a public page.',
  'detail.privateReached':
    '{host} answered from {address}, an address in a private network: one request reached it; its answer is not used and nothing more is sent to {host} in this check.',
  'detail.exclusionBroken': 'Not checked. Exclusion {index} ({pattern}) does not compile: {error}',
  'detail.stateChanging':
    'Looks like it changes something (sign out, delete, unsubscribe…): Linkpulse never requests such a link.',
  'detail.nofollow': 'rel="nofollow": a site check does not follow it.',
  'detail.robots': 'robots.txt asks crawlers not to request this path.',
  'detail.notJudged': 'Linkpulse could not judge this link: {error}',
  'detail.ignored': 'Ignored: {note}',
  'detail.ignoredOnSite': 'Ignored on this site.',
  'failure.timeout': 'No response within {ms} ms',
  'failure.deadlineInRedirect': "The link's time ran out ({seconds} s) before its redirect could be followed",
  'failure.tooManyRedirects': 'More than {max} redirects',
  'failure.redirectNoTarget': 'A redirect without a valid target address',
  'failure.redirectTooLong': 'A redirect to an address over {max} characters, which is not followed',
  'failure.redirectScheme': 'A redirect to a {scheme} address, which is not followed',
  'failure.redirectCredentials': 'A redirect to an address with a name and password, which is not followed',
  'likeness.title': "title '{title}'",
  'likeness.noTitle': 'no title',
  'likeness.titles': '{notFound} (this page: {page})',
  'likeness.similar': '{titles}, {percent} % similar',
};

/** Fills a sentence's `{name}`s with the values as they are: exports write plain machine numbers. */
export const sayEnglish: Say = (key, values) =>
  ENGLISH_SENTENCES[key].replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String((values as Record<string, string | number>)[name]) : whole,
  );

export const englishNote = (note: Note): string => wordNote(note, sayEnglish);

/** A result's notes in English, one line as the exports write it (an older version's stored text as it was). */
export function englishNotes(stored: { notes?: readonly Note[]; note?: string }): string {
  return wordNotes(stored, sayEnglish).join(' ');
}

/** A crawled page's note in English, as the site check's exports write it. */
export const englishStoredNote = (stored: Note | string | undefined): string => wordStoredNote(stored, sayEnglish);

/** What a result says of its verdict, in English: the exports' `errorText`. */
export const englishDetail = (stored: { detail?: Note; errorText?: string }): string => wordDetail(stored, sayEnglish);
