// A check's notes (utils/notes) in the user's language: the same wording as the exports' English (wordNote), with
// the sentences from locales/ and numbers written the user's way. The mapped type makes a sentence without its words
// here a type error, and `t`'s typed keys one missing from locales/en.yml.
import type { Note, NoteSentences, Say } from '@/utils/notes/note';
import { wordDetail, wordNote, wordNotes, wordStoredNote } from '@/utils/notes/word-note';
import { fmt, t } from './l10n';

const SENTENCES: { [K in keyof NoteSentences]: (values: NoteSentences[K]) => string } = {
  credentials: () => t('notes.credentials'),
  'fragment.notHtml': ({ type }) => t('notes.fragment.notHtml', { type }),
  'fragment.untyped': () => t('notes.fragment.untyped'),
  'fragment.capped': ({ mb }) => t('notes.fragment.capped', { mb: fmt.decimal(mb) }),
  'fragment.cutShort': () => t('notes.fragment.cutShort'),
  'fragment.fromRedirect': ({ fragment }) => t('notes.fragment.fromRedirect', { fragment }),
  'soft404.samePlace': ({ url }) => t('notes.soft404.samePlace', { url }),
  'soft404.frontPage': ({ url }) => t('notes.soft404.frontPage', { url }),
  'soft404.samePage': ({ likeness }) => t('notes.soft404.samePage', { likeness }),
  'suspect.frontPage': ({ url }) => t('notes.suspect.frontPage', { url }),
  'suspect.likePage': ({ likeness }) => t('notes.suspect.likePage', { likeness }),
  'suspect.notCompared': () => t('notes.suspect.notCompared'),
  'page.failed': ({ error }) => t('notes.page.failed', { error }),
  'page.redirectRefused': ({ url }) => t('notes.page.redirectRefused', { url }),
  'page.status': ({ status }) => t('notes.page.status', { status }),
  'page.notHtml': () => t('notes.page.notHtml'),
  'page.offSite': () => t('notes.page.offSite'),
  'page.readThere': ({ url }) => t('notes.page.readThere', { url }),
  'page.tooManyLinks': ({ max }) => t('notes.page.tooManyLinks', { max: fmt.count(max) }),
  'page.cutShort': () => t('notes.page.cutShort'),
  'crawl.tooManyLinks': ({ max }) => t('notes.crawl.tooManyLinks', { max: fmt.count(max) }),
  'crawl.stopped': ({ error }) => t('notes.crawl.stopped', { error }),
  'crawl.notSaved': ({ error }) => t('notes.crawl.notSaved', { error }),
  'crawl.notKept': () => t('notes.crawl.notKept'),
  'tab.notOpened': ({ error }) => t('notes.tab.notOpened', { error }),
  'tab.noTab': () => t('notes.tab.noTab'),
  'tab.notLoaded': ({ error }) => t('notes.tab.notLoaded', { error }),
  'tab.refused': ({ url }) => t('notes.tab.refused', { url }),
  'tab.timeout': ({ seconds }) => t('notes.tab.timeout', { seconds: fmt.count(seconds) }),
  'tab.closed': () => t('notes.tab.closed'),
  'detail.invalidAddress': () => t('notes.detail.invalidAddress'),
  'detail.redirectPrivate': ({ url }) => t('notes.detail.redirectPrivate', { url }),
  'detail.privateByAddress': ({ host }) => t('notes.detail.privateByAddress', { host }),
  'detail.privateReached': ({ host, address }) => t('notes.detail.privateReached', { host, address }),
  'detail.exclusionBroken': ({ index, pattern, error }) =>
    t('notes.detail.exclusionBroken', { index: fmt.count(index), pattern, error }),
  'detail.stateChanging': () => t('notes.detail.stateChanging'),
  'detail.nofollow': () => t('notes.detail.nofollow'),
  'detail.robots': () => t('notes.detail.robots'),
  'detail.notJudged': ({ error }) => t('notes.detail.notJudged', { error }),
  'detail.ignored': ({ note }) => t('notes.detail.ignored', { note }),
  'detail.ignoredOnSite': () => t('notes.detail.ignoredOnSite'),
  'failure.timeout': ({ ms }) => t('notes.failure.timeout', { ms: fmt.count(ms) }),
  'failure.deadlineInRedirect': ({ seconds }) =>
    t('notes.failure.deadlineInRedirect', { seconds: fmt.decimal(seconds) }),
  'failure.tooManyRedirects': ({ max }) => t('notes.failure.tooManyRedirects', { max: fmt.count(max) }),
  'failure.redirectNoTarget': () => t('notes.failure.redirectNoTarget'),
  'failure.redirectTooLong': ({ max }) => t('notes.failure.redirectTooLong', { max: fmt.count(max) }),
  'failure.redirectScheme': ({ scheme }) => t('notes.failure.redirectScheme', { scheme }),
  'failure.redirectCredentials': () => t('notes.failure.redirectCredentials'),
  'likeness.title': ({ title }) => t('notes.likeness.title', { title }),
  'likeness.noTitle': () => t('notes.likeness.noTitle'),
  'likeness.titles': ({ notFound, page }) => t('notes.likeness.titles', { notFound, page }),
  'likeness.similar': ({ titles, percent }) => t('notes.likeness.similar', { titles, percent: fmt.count(percent) }),
};

const say: Say = (key, values) => SENTENCES[key](values);

export const noteText = (note: Note): string => wordNote(note, say);

/** A result's notes as the details show them: one line, an older version's stored English text as it was. */
export function notesText(stored: { notes?: readonly Note[]; note?: string }): string {
  return wordNotes(stored, say).join(' ');
}

/** A crawled page's or a site check's note as the site check page shows it ('' for none). */
export const storedNoteText = (stored: Note | string | undefined): string => wordStoredNote(stored, say);

/** What a result says of its verdict (the details' "Details"): Linkpulse's reason worded, then the browser's text. */
export const detailText = (stored: { detail?: Note; errorText?: string }): string => wordDetail(stored, say);
