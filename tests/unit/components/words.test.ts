// Values from utils/ (reasons, why a tab has no run) in the user's words, English and German.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { speak } from '../../support/browser-i18n';

async function wordsIn(lang: string) {
  speak(lang, lang);
  vi.resetModules();
  return {
    ...(await import('../../../components/reason-words')),
    ...(await import('../../../components/unavailable-words')),
    ...(await import('../../../components/sight-words')),
    ...(await import('../../../components/ignore-words')),
  };
}

afterEach(() => {
  speak('en', 'en-US');
  vi.resetModules();
});

describe('reasons and unavailable pages in words', () => {
  it('says a reason as a phrase in English and in German', async () => {
    const en = await wordsIn('en');
    expect(en.reasonText('timeout')).toBe('Timed out');
    expect(en.reasonText('too-many-redirects')).toBe('Too many redirects');
    expect(en.reasonText('')).toBe('');
    const de = await wordsIn('de');
    expect(de.reasonText('timeout')).toBe('Zeitüberschreitung');
    expect(de.reasonText('soft-404')).toBe('Soft-404');
  });

  it('shows a reason this version does not know as it was stored', async () => {
    const { reasonText } = await wordsIn('de');
    expect(reasonText('from-the-future' as never)).toBe('from-the-future');
  });

  it('explains a browser page in the user’s language, with what to do instead', async () => {
    const en = await wordsIn('en');
    expect(en.unavailableText({ kind: 'restricted' })).toMatch(
      /cannot read this page.*chrome:\/\/.*Open a regular web page/,
    );
    expect(en.unavailableText({ kind: 'busy', seconds: 30 })).toMatch(/within 30 s/);
    expect(en.unavailableText({ kind: 'unreadable', detail: 'Frame removed' })).toBe(
      'Linkpulse could not read this page: Frame removed',
    );
    const de = await wordsIn('de');
    expect(de.unavailableText({ kind: 'restricted' })).toMatch(/kann diese Seite nicht lesen.*chrome:\/\//);
    expect(de.crawlUnavailableText('no-crawl')).toBe('Von diesem Tab aus wurde noch keine Website-Prüfung gestartet.');
  });

  it('says what a background tab saw, in English and in German', async () => {
    const sight = { status: 200, finalUrl: 'https://a.test/', title: 'Welcome', ms: 1250 };
    const en = await wordsIn('en');
    expect(en.sightText(sight, true).replace(/\s/g, ' ')).toBe(
      'Verified in a browser tab: HTTP 200, “Welcome”, 1.3 sec',
    );
    const de = await wordsIn('de');
    const wall = { ...sight, status: 403, title: '', challenge: 'cf-mitigated', note: 'Closed after 20 s.' };
    expect(de.sightText(wall, false).replace(/\s/g, ' ')).toBe(
      'Ein Browser-Tab konnte es nicht klären: HTTP 403, noch eine Prüfung (cf-mitigated), 1,3 Sek. Closed after 20 s.',
    );
    // A note stored as a value (this version's) is worded in German too.
    const late = { ...sight, status: null, title: '', note: { code: 'tab-timeout' as const, seconds: 20 } };
    expect(de.sightText(late, false).replace(/\s/g, ' ')).toBe(
      'Ein Browser-Tab konnte es nicht klären: keine Antwort, 1,3 Sek. Der Tab kam nicht innerhalb von 20 s zur Ruhe.',
    );
  });

  it('says what is wrong with an ignore list in English and in German, numbers the reader’s way', async () => {
    const en = await wordsIn('en');
    expect(en.ignoreProblemText({ kind: 'entry', index: 0, field: 'url' })).toBe('ignoredLinks[0] has no valid url.');
    expect(en.ignoreProblemText({ kind: 'merge-too-many', current: 4999, total: 5001, max: 5000 })).toBe(
      "Together with the 4,999 links ignored here, the file's would make 5,001; at most 5,000 can be ignored.",
    );
    const refused = { kind: 'not-saved' as const, problem: 'QUOTA_BYTES quota exceeded' };
    expect(en.ignoreProblemText(refused)).toBe(
      'Not saved: the browser refused to write the ignore list (QUOTA_BYTES quota exceeded). Nothing changed.',
    );
    const tooLong = { kind: 'url-too-long' as const, max: 8192 };
    expect(en.ignoreProblemText(tooLong)).toBe(
      'This link cannot be ignored: its address is longer than 8,192 characters.',
    );
    const de = await wordsIn('de');
    expect(de.ignoreProblemText({ kind: 'full', max: 5000 })).toBe('Es können höchstens 5.000 Links ignoriert werden.');
    expect(de.ignoreProblemText(tooLong)).toBe(
      'Dieser Link kann nicht ignoriert werden: Seine Adresse ist länger als 8.192 Zeichen.',
    );
    expect(de.ignoreProblemText(refused)).toBe(
      'Nicht gespeichert: Der Browser hat das Schreiben der Ignorierliste verweigert (QUOTA_BYTES quota exceeded). Nichts wurde geändert.',
    );
  });
});
