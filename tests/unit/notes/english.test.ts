// The exports' English notes: the sentences the pages show an English user (locales/en.yml) and no others, worded as
// the versions before notes were values wrote them — a report exported today reads as one exported then.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { describe, expect, it } from 'vitest';
import {
  ENGLISH_SENTENCES,
  englishDetail,
  englishNote,
  englishNotes,
  englishStoredNote,
} from '../../../utils/notes/english';
import type { Note } from '../../../utils/notes/note';
import { LOCALES_DIR } from '../../support/browser-i18n';

/** locales/en.yml's `notes.*` messages, by their key below `notes.`. */
function englishLocaleNotes(): Map<string, string> {
  const parsed = parseMessagesText(readFileSync(join(LOCALES_DIR, 'en.yml'), 'utf8'), 'YAML');
  const notes = new Map<string, string>();
  for (const message of parsed) {
    if (message.key[0] !== 'notes') continue;
    if (message.type !== 'simple') throw new Error(`notes.${message.key.join('.')} is not a plain sentence`);
    notes.set(message.key.slice(1).join('.'), message.message);
  }
  return notes;
}

describe('the English notes', () => {
  it('are the same sentences in the exports table and in locales/en.yml, key by key', () => {
    expect(Object.fromEntries(englishLocaleNotes())).toEqual({ ...ENGLISH_SENTENCES });
  });

  // The texts the checker stored before notes were values (README, old exports): an export must not change.
  it.each<[string, Note, string]>([
    [
      'credentials',
      { code: 'credentials-not-sent' },
      'Checked without the name and password written in the address: they were not sent.',
    ],
    [
      'a PDF target',
      { code: 'fragment-not-html', type: 'application/pdf' },
      'The #fragment was not checked: the target is not an HTML document (application/pdf).',
    ],
    [
      'bytes with no content type',
      { code: 'fragment-not-html', type: '' },
      'The #fragment was not checked: the target is not an HTML document (no content type).',
    ],
    [
      'a capped read',
      { code: 'fragment-capped', mb: 2 },
      'The #fragment was not found in what was read of the document: only its first 2 MB were read.',
    ],
    [
      'a failed read',
      { code: 'fragment-cut-short' },
      'The #fragment was not found in what was read of the document: its download failed or timed out part-way.',
    ],
    [
      'a redirect that names its own fragment',
      { code: 'fragment-from-redirect', fragment: 'intro' },
      'The #fragment was not checked: a redirect names its own (#intro), where a browser lands instead.',
    ],
    [
      'the same place',
      { code: 'soft404-same-place', finalUrl: 'https://site.example/404.html' },
      'Soft 404: redirected to the same page as a path that does not exist: https://site.example/404.html.',
    ],
    [
      'the front page',
      { code: 'soft404-front-page', finalUrl: 'https://www.site.example/' },
      'Soft 404: redirected to the front page (https://www.site.example/), as a path that does not exist is.',
    ],
    [
      'the same page',
      { code: 'soft404-same-page', notFoundTitle: 'Page not found – Blog', pageTitle: null, percent: 100 },
      "Soft 404: same page as a path that does not exist: title 'Page not found – Blog', 100 % similar.",
    ],
    [
      'the same page without titles',
      { code: 'soft404-same-page', notFoundTitle: '', pageTitle: '', percent: 97 },
      'Soft 404: same page as a path that does not exist: no title (this page: no title), 97 % similar.',
    ],
    [
      'a front page suspected',
      { code: 'suspect-front-page', finalUrl: 'https://site.example/' },
      'Possibly a soft 404: redirected to a front page (https://site.example/): the page may be gone, or need a sign-in.',
    ],
    [
      'a page somewhat alike',
      { code: 'suspect-like-page', notFoundTitle: 'Page not found', pageTitle: 'Kettles', percent: 74 },
      "Possibly a soft 404: looks somewhat like this host's page for a path that does not exist: title 'Page not found' (this page: title 'Kettles'), 74 % similar.",
    ],
    [
      'a page not compared',
      { code: 'suspect-not-compared' },
      "Possibly a soft 404: not compared with this host's page for a path that does not exist: this run has read its share of pages.",
    ],
    ['a page that failed', { code: 'page-failed', error: 'net::ERR_CONNECTION_RESET' }, 'net::ERR_CONNECTION_RESET'],
    [
      'a page redirected where nothing is sent',
      { code: 'page-redirect-refused', target: 'http://10.0.0.1/' },
      'Redirects to http://10.0.0.1/, which is not requested',
    ],
    ['a page that answered 404', { code: 'page-status', status: 404 }, 'HTTP 404: its links were not read'],
    ['a page that is not HTML', { code: 'page-not-html' }, 'Not an HTML page: nothing to follow'],
    ['a page off the site', { code: 'page-off-site' }, 'Redirects off the site: not followed'],
    [
      'a page read at its redirect',
      { code: 'page-read-there', finalUrl: 'https://site.example/b' },
      'Redirects to https://site.example/b, which is read as a page of its own',
    ],
    [
      'a page with too many links',
      { code: 'page-too-many-links', max: 20000 },
      'More than 20000 links: the rest were not read',
    ],
    ['a page too large', { code: 'page-cut-short' }, 'Larger than Linkpulse reads: only its start was read'],
    [
      'a site with too many links',
      { code: 'crawl-too-many-links', max: 100000 },
      'More than 100000 distinct links: the rest were left out.',
    ],
    ['a tab the browser refused', { code: 'tab-not-opened', error: 'No window' }, 'No tab could be opened: No window'],
    ['a tab without an id', { code: 'tab-not-opened', error: '' }, 'No tab could be opened.'],
    [
      'a tab that could not load',
      { code: 'tab-not-loaded', error: 'net::ERR_NAME_NOT_RESOLVED' },
      'The tab could not load it: net::ERR_NAME_NOT_RESOLVED',
    ],
    [
      'a tab stopped by the guard',
      { code: 'tab-refused', target: 'http://192.168.1.1/' },
      'Stopped before http://192.168.1.1/: the private-network guard refuses it.',
    ],
    ['a tab that did not settle', { code: 'tab-timeout', seconds: 20 }, 'The tab did not settle within 20 s.'],
    ['a tab closed under it', { code: 'tab-closed' }, 'The tab was closed before it settled.'],
    ['an invalid address', { code: 'invalid-address' }, 'This is not a valid address.'],
    [
      'a redirect into a private network',
      { code: 'redirect-private', target: 'http://10.0.0.1/' },
      'Redirects to http://10.0.0.1/, an address in a private network, which is not requested from a public page.',
    ],
    [
      'a host at a private address',
      { code: 'private-by-address', host: 'rebind.test' },
      'rebind.test is at an address in a private network (its DNS answer, the browser’s check of the address, or an earlier answer in this check): nothing is sent to it from a public page.',
    ],
    [
      'a host that answered from a private address',
      { code: 'private-reached', host: 'rebind.test', address: '127.0.0.1' },
      'rebind.test answered from 127.0.0.1, an address in a private network: one request reached it; its answer is not used and nothing more is sent to rebind.test in this check.',
    ],
    [
      'an exclusion that does not compile',
      { code: 'exclusion-broken', index: 2, pattern: '/(unclosed/', error: 'Unterminated group' },
      'Not checked. Exclusion 2 (/(unclosed/) does not compile: Unterminated group',
    ],
    [
      'a link that changes something',
      { code: 'state-changing' },
      'Looks like it changes something (sign out, delete, unsubscribe…): Linkpulse never requests such a link.',
    ],
    ['a nofollow link', { code: 'nofollow' }, 'rel="nofollow": a site check does not follow it.'],
    ['a path robots.txt disallows', { code: 'robots' }, 'robots.txt asks crawlers not to request this path.'],
    [
      'a fault of Linkpulse',
      { code: 'not-judged', error: 'a fault of ours' },
      'Linkpulse could not judge this link: a fault of ours',
    ],
    ['an ignored link with a note', { code: 'ignored', note: 'login wall' }, 'Ignored: login wall'],
    ['an ignored link without one', { code: 'ignored', note: '' }, 'Ignored on this site.'],
    ['a timeout', { code: 'timeout', ms: 15000 }, 'No response within 15000 ms'],
    [
      'a deadline met in a redirect',
      { code: 'deadline-in-redirect', seconds: 30 },
      "The link's time ran out (30 s) before its redirect could be followed",
    ],
    ['too many redirects', { code: 'too-many-redirects', max: 10 }, 'More than 10 redirects'],
    ['a redirect without a target', { code: 'redirect-no-target' }, 'A redirect without a valid target address'],
    [
      'a redirect too long',
      { code: 'redirect-too-long', max: 8192 },
      'A redirect to an address over 8192 characters, which is not followed',
    ],
    [
      'a redirect to another scheme',
      { code: 'redirect-scheme', scheme: 'javascript:' },
      'A redirect to a javascript: address, which is not followed',
    ],
    [
      'a redirect with credentials',
      { code: 'redirect-credentials' },
      'A redirect to an address with a name and password, which is not followed',
    ],
  ])('words %s as before', (_, note, text) => {
    expect(englishNote(note)).toBe(text);
  });

  it('fills in a value once, as written: a title that looks like a placeholder stays a title', () => {
    const note: Note = { code: 'soft404-same-page', notFoundTitle: '{percent} $1', pageTitle: null, percent: 90 };
    expect(englishNote(note)).toBe(
      "Soft 404: same page as a path that does not exist: title '{percent} $1', 90 % similar.",
    );
  });

  it('joins a result’s notes in order, then the text an older version stored, as it was', () => {
    expect(
      englishNotes({
        notes: [{ code: 'credentials-not-sent' }, { code: 'fragment-cut-short' }],
        note: 'Soft 404: stored by version 1.',
      }),
    ).toBe(
      'Checked without the name and password written in the address: they were not sent. ' +
        'The #fragment was not found in what was read of the document: its download failed or timed out part-way. ' +
        'Soft 404: stored by version 1.',
    );
    expect(englishNotes({ note: 'Possibly a soft 404: old words.' })).toBe('Possibly a soft 404: old words.');
    expect(englishNotes({})).toBe('');
  });

  it('writes a crawled page’s note: a value worded, an older version’s text as it was, nothing for none', () => {
    expect(englishStoredNote({ code: 'page-not-html' })).toBe('Not an HTML page: nothing to follow');
    expect(englishStoredNote('Not an HTML page: nothing to follow (old)')).toBe(
      'Not an HTML page: nothing to follow (old)',
    );
    expect(englishStoredNote('')).toBe('');
    expect(englishStoredNote({ code: 'from-the-future' } as unknown as Note)).toBe('');
  });

  it('writes a verdict’s detail in Linkpulse’s words, then the browser’s own, and an older version’s text as it was', () => {
    expect(englishDetail({ detail: { code: 'invalid-address' } })).toBe('This is not a valid address.');
    expect(englishDetail({ errorText: 'net::ERR_NAME_NOT_RESOLVED' })).toBe('net::ERR_NAME_NOT_RESOLVED');
    // Stored by an older version: Linkpulse's English sentence was the error text itself.
    expect(englishDetail({ errorText: 'Ignored on this site.' })).toBe('Ignored on this site.');
    expect(englishDetail({})).toBe('');
    expect(englishDetail({ detail: { code: 'from-the-future' } as unknown as Note, errorText: 'x' })).toBe('x');
  });

  it('leaves out a note this version does not know (stored by a newer one) rather than failing', () => {
    const stored = {
      notes: [{ code: 'from-the-future' }, { code: 'credentials-not-sent' }, null] as unknown as Note[],
    };
    expect(englishNotes(stored)).toBe(
      'Checked without the name and password written in the address: they were not sent.',
    );
  });
});
