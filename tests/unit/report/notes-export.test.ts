// Notes are values in a result and English sentences in every export, whatever language the browser speaks.
import { afterEach, describe, expect, it } from 'vitest';
import { toHtml } from '../../../utils/report/html';
import { toJson } from '../../../utils/report/json';
import { buildReport } from '../../../utils/report/report';
import type { LinkEntry, LinkResult } from '../../../utils/types';
import { speak } from '../../support/browser-i18n';
import { hostileInput } from './hostile-run';

const DEAD = 'https://blog.example/2023/01/deleted-post/';

function reportOf(result: Partial<LinkResult>) {
  const entry: LinkEntry = {
    url: DEAD,
    occurrences: 1,
    texts: ['old post'],
    phase: 'done',
    result: {
      url: DEAD,
      verdict: 'broken',
      reason: 'soft-404',
      status: 200,
      finalUrl: DEAD,
      ms: 40,
      attempts: 2,
      redirects: [],
      checkedAt: 0,
      ...result,
    },
  };
  return buildReport({ ...hostileInput(), entries: [entry] });
}

afterEach(() => speak('en', 'en-US'));

describe('notes in the exports', () => {
  const soft404 = {
    notes: [
      { code: 'credentials-not-sent' as const },
      { code: 'soft404-same-page' as const, notFoundTitle: 'Page <not> found', pageTitle: null, percent: 100 },
    ],
  };
  const english =
    'Checked without the name and password written in the address: they were not sent. ' +
    "Soft 404: same page as a path that does not exist: title 'Page <not> found', 100 % similar.";

  it('writes a result’s notes as the English sentences in the JSON export’s `note`, in German browsers too', () => {
    speak('de', 'de');
    const json = JSON.parse(toJson(reportOf(soft404)));
    expect(json.links[0].note).toBe(english);
    expect(json.links[0]).not.toHaveProperty('notes');
  });

  it('writes them, escaped, in the HTML report’s details', () => {
    const html = toHtml(reportOf(soft404));
    expect(html).toContain(
      'Soft 404: same page as a path that does not exist: title &#39;Page &lt;not&gt; found&#39;, 100 % similar.',
    );
  });

  it('writes why a background tab gave up in English, in the JSON export and the HTML report', () => {
    speak('de', 'de');
    const tab = { status: null, finalUrl: null, title: '', ms: 20_000 };
    const report = reportOf({ tab: { ...tab, note: { code: 'tab-refused', target: 'http://192.168.1.1/' } } });
    const said = 'Stopped before http://192.168.1.1/: the private-network guard refuses it.';
    expect(JSON.parse(toJson(report)).links[0].tab).toEqual({ ...tab, note: said });
    expect(toHtml(report)).toContain(`A browser tab could not settle it: no response, 20.0 s. ${said}`);
    // An older version's text, as it was.
    const old = reportOf({ tab: { ...tab, note: 'Closed after 20 s.' } });
    expect(JSON.parse(toJson(old)).links[0].tab.note).toBe('Closed after 20 s.');
  });

  it('writes why a link was skipped in English as the exports’ errorText, the browser’s words after it', () => {
    speak('de', 'de');
    const report = reportOf({ verdict: 'skipped', reason: 'ignored', detail: { code: 'ignored', note: 'known' } });
    expect(JSON.parse(toJson(report)).links[0].errorText).toBe('Ignored: known');
    const failed = reportOf({ verdict: 'error', reason: 'dns', errorText: 'net::ERR_NAME_NOT_RESOLVED' });
    expect(JSON.parse(toJson(failed)).links[0].errorText).toBe('net::ERR_NAME_NOT_RESOLVED');
  });

  it('exports the English text an older version stored as it was', () => {
    const json = JSON.parse(toJson(reportOf({ note: 'Soft 404: redirected to the front page, as before.' })));
    expect(json.links[0].note).toBe('Soft 404: redirected to the front page, as before.');
  });
});
