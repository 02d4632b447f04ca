// A check's notes in the user's words: German from locales/de.yml, English the exports' own sentences.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { englishNote } from '../../../utils/notes/english';
import type { Note } from '../../../utils/notes/note';
import { speak } from '../../support/browser-i18n';

async function wordsIn(lang: string) {
  speak(lang, lang);
  vi.resetModules();
  return await import('../../../components/note-words');
}

afterEach(() => {
  speak('en', 'en-US');
  vi.resetModules();
});

const EVERY_NOTE: Note[] = [
  { code: 'credentials-not-sent' },
  { code: 'fragment-not-html', type: 'application/pdf' },
  { code: 'fragment-not-html', type: '' },
  { code: 'fragment-capped', mb: 2 },
  { code: 'fragment-cut-short' },
  { code: 'fragment-from-redirect', fragment: 'intro' },
  { code: 'soft404-same-place', finalUrl: 'https://site.example/404.html' },
  { code: 'soft404-front-page', finalUrl: 'https://site.example/' },
  { code: 'soft404-same-page', notFoundTitle: 'Seite nicht gefunden', pageTitle: null, percent: 100 },
  { code: 'soft404-same-page', notFoundTitle: '', pageTitle: 'Alt', percent: 95 },
  { code: 'suspect-front-page', finalUrl: 'https://site.example/' },
  { code: 'suspect-like-page', notFoundTitle: 'Nicht da', pageTitle: 'Kessel', percent: 74 },
  { code: 'suspect-not-compared' },
  { code: 'page-failed', error: 'net::ERR_CONNECTION_RESET' },
  { code: 'page-redirect-refused', target: 'http://10.0.0.1/' },
  { code: 'page-status', status: 404 },
  { code: 'page-not-html' },
  { code: 'page-off-site' },
  { code: 'page-read-there', finalUrl: 'https://site.example/b' },
  { code: 'page-too-many-links', max: 20000 },
  { code: 'page-cut-short' },
  { code: 'crawl-too-many-links', max: 100000 },
  { code: 'crawl-stopped', error: 'TypeError: x is undefined' },
  { code: 'crawl-not-saved', error: 'QuotaExceededError' },
  { code: 'crawl-not-kept' },
  { code: 'tab-not-opened', error: 'No window' },
  { code: 'tab-not-opened', error: '' },
  { code: 'tab-not-loaded', error: 'net::ERR_NAME_NOT_RESOLVED' },
  { code: 'tab-refused', target: 'http://192.168.1.1/' },
  { code: 'tab-timeout', seconds: 20 },
  { code: 'tab-closed' },
  { code: 'invalid-address' },
  { code: 'redirect-private', target: 'http://10.0.0.1/' },
  { code: 'private-by-address', host: 'rebind.test' },
  { code: 'private-reached', host: 'rebind.test', address: '127.0.0.1' },
  { code: 'exclusion-broken', index: 2, pattern: '/(unclosed/', error: 'Unterminated group' },
  { code: 'state-changing' },
  { code: 'nofollow' },
  { code: 'robots' },
  { code: 'not-judged', error: 'a fault of ours' },
  { code: 'ignored', note: 'login wall' },
  { code: 'ignored', note: '' },
  { code: 'timeout', ms: 15000 },
  { code: 'deadline-in-redirect', seconds: 30 },
  { code: 'too-many-redirects', max: 10 },
  { code: 'redirect-no-target' },
  { code: 'redirect-too-long', max: 8192 },
  { code: 'redirect-scheme', scheme: 'javascript:' },
  { code: 'redirect-credentials' },
];

describe('notes in words', () => {
  it('says every note to an English user as the English export does, numbers grouped the English way', async () => {
    const en = await wordsIn('en');
    const grouped = (text: string) => text.replace(/\b(\d+)(\d{3})\b/g, '$1,$2');
    for (const note of EVERY_NOTE) expect(en.noteText(note)).toBe(grouped(englishNote(note)));
    expect(en.noteText({ code: 'page-too-many-links', max: 20000 })).toBe(
      'More than 20,000 links: the rest were not read',
    );
  });

  it('says soft-404 and fragment notes in German', async () => {
    const de = await wordsIn('de');
    expect(
      de.noteText({ code: 'soft404-same-page', notFoundTitle: 'Nicht gefunden', pageTitle: null, percent: 100 }),
    ).toBe('Soft-404: dieselbe Seite wie für einen Pfad, den es nicht gibt: Titel „Nicht gefunden“, 100 % ähnlich.');
    expect(de.noteText({ code: 'suspect-like-page', notFoundTitle: '', pageTitle: 'Kessel', percent: 74 })).toBe(
      'Vielleicht ein Soft-404: ähnelt der Seite dieses Hosts für einen Pfad, den es nicht gibt: ' +
        'kein Titel (diese Seite: Titel „Kessel“), 74 % ähnlich.',
    );
    expect(de.noteText({ code: 'soft404-front-page', finalUrl: 'https://site.example/' })).toBe(
      'Soft-404: auf die Startseite umgeleitet (https://site.example/), wie ein Pfad, den es nicht gibt.',
    );
    expect(de.noteText({ code: 'fragment-not-html', type: 'application/pdf' })).toBe(
      'Das #Fragment wurde nicht geprüft: Das Ziel ist kein HTML-Dokument (application/pdf).',
    );
    expect(de.noteText({ code: 'fragment-capped', mb: 1.5 })).toBe(
      'Das #Fragment fehlt im gelesenen Teil des Dokuments: Nur die ersten 1,5 MB wurden gelesen.',
    );
    // Every note has German words of its own: none falls back to the English sentence or to an empty text.
    for (const note of EVERY_NOTE) {
      const text = de.noteText(note);
      expect(text, note.code).not.toBe('');
      expect(text, note.code).not.toBe(englishNote(note));
    }
  });

  it('says a crawled page’s note in German, numbers the German way, and an older version’s text as it is', async () => {
    const de = await wordsIn('de');
    expect(de.storedNoteText({ code: 'page-status', status: 404 })).toBe('HTTP 404: Ihre Links wurden nicht gelesen');
    expect(de.storedNoteText({ code: 'page-too-many-links', max: 20000 })).toBe(
      'Mehr als 20.000 Links: Der Rest wurde nicht gelesen',
    );
    expect(de.storedNoteText({ code: 'crawl-too-many-links', max: 100000 })).toBe(
      'Mehr als 100.000 verschiedene Links: Der Rest wurde weggelassen.',
    );
    expect(de.storedNoteText('HTTP 404: its links were not read')).toBe('HTTP 404: its links were not read');
    expect(de.storedNoteText('')).toBe('');
  });

  it('says why a link got its verdict in German, then the browser’s own words, older English text as it is', async () => {
    const de = await wordsIn('de');
    expect(de.detailText({ detail: { code: 'ignored', note: 'Login-Wand' } })).toBe('Ignoriert: Login-Wand');
    expect(de.detailText({ detail: { code: 'robots' } })).toBe(
      'robots.txt bittet Crawler, diesen Pfad nicht abzufragen.',
    );
    expect(de.detailText({ errorText: 'net::ERR_NAME_NOT_RESOLVED' })).toBe('net::ERR_NAME_NOT_RESOLVED');
    expect(de.detailText({ detail: { code: 'timeout', ms: 15000 } })).toBe('Keine Antwort innerhalb von 15.000 ms');
    expect(de.detailText({ errorText: 'This is not a valid address.' })).toBe('This is not a valid address.');
  });

  it('shows the English text an older version stored as it is, after the notes that are values', async () => {
    const de = await wordsIn('de');
    expect(de.notesText({ note: 'Soft 404: same page as a path that does not exist: no title, 100 % similar.' })).toBe(
      'Soft 404: same page as a path that does not exist: no title, 100 % similar.',
    );
    expect(de.notesText({ notes: [{ code: 'credentials-not-sent' }], note: 'Old words.' })).toBe(
      'Ohne den Namen und das Passwort aus der Adresse geprüft: Sie wurden nicht gesendet. Old words.',
    );
    expect(de.notesText({})).toBe('');
  });
});
