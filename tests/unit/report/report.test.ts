import { describe, expect, it } from 'vitest';
import {
  buildReport,
  isProblem,
  problemUrlsText,
  type Report,
  reportFileName,
  scopeReport,
  summarize,
} from '../../../utils/report/report';
import { VERDICTS } from '../../../utils/types';
import {
  COMMA_URL,
  hostileEntries,
  hostileInput,
  IMG_URL,
  PAGE,
  SCRIPT_URL,
  TIMEOUT_URL,
  UNCHECKED_URL,
  UNICODE_URL,
} from './hostile-run';

function withPage(url: string, startedAt = '2024-01-31T23:30:00.000Z'): Report {
  return { ...buildReport(hostileInput()), page: { url, title: '' }, startedAt };
}

describe('summarize', () => {
  it('counts every entry as found, only entries with a result as checked, and one count per verdict', () => {
    expect(summarize(hostileEntries(), 'cancelled')).toEqual({
      state: 'cancelled',
      total: 8,
      checked: 7,
      ok: 1,
      redirected: 1,
      broken: 2,
      blocked: 1,
      error: 1,
      skipped: 1,
      newProblems: 0,
    });
  });

  it('gives zero for every verdict of an empty run', () => {
    const summary = summarize([], 'running');
    expect(summary).toMatchObject({ state: 'running', total: 0, checked: 0 });
    for (const verdict of VERDICTS) expect(summary[verdict]).toBe(0);
  });
});

describe('buildReport', () => {
  const report = buildReport(hostileInput());

  it('names the tool and schema version and writes times as ISO 8601 in UTC', () => {
    expect(report.tool).toBe('Linkpulse');
    expect(report.version).toBe(1);
    expect(report.startedAt).toBe('2024-01-31T23:30:00.000Z');
    expect(report.finishedAt).toBe('2024-01-31T23:30:04.321Z');
    expect(report.page).toEqual(PAGE);
  });

  it('leaves finishedAt null while a run has not finished', () => {
    expect(buildReport({ ...hostileInput(), finishedAt: null, state: 'running' }).finishedAt).toBeNull();
  });

  it('keeps the order of the entries', () => {
    expect(report.links.map((link) => link.url)).toEqual(hostileEntries().map((entry) => entry.url));
  });

  it('copies every field of a checked link', () => {
    expect(report.links[0]).toEqual({
      url: UNICODE_URL,
      verdict: 'redirected',
      status: 200,
      finalUrl: 'https://例え.jp/final',
      ms: 310.6,
      occurrences: 3,
      reason: 'redirect',
      redirects: [
        { url: 'http://例え.jp/a,b', status: 302 },
        { url: 'https://例え.jp/"quoted"', status: 301 },
      ],
      attempts: 3,
      texts: ['مرحبا بالعالم', '日本語のリンク', '👍🏽 emoji'],
      cached: false,
      errorText: '',
      note: '',
      change: '',
    });
  });

  it('gives a link the cancelled run never checked a null verdict, status, final URL and time', () => {
    expect(report.links.find((link) => link.url === UNCHECKED_URL)).toEqual({
      url: UNCHECKED_URL,
      verdict: null,
      status: null,
      finalUrl: null,
      ms: null,
      occurrences: 1,
      reason: '',
      redirects: [],
      attempts: 0,
      texts: ['not reached'],
      cached: false,
      errorText: '',
      note: '',
      change: '',
    });
  });

  it('keeps a null status and the browser error text of a link with no HTTP response', () => {
    const link = report.links.find((l) => l.url === TIMEOUT_URL);
    expect(link).toMatchObject({ verdict: 'error', status: null, finalUrl: null, errorText: 'net::ERR_TIMED_OUT <b>' });
  });

  it('does not change when the settings it was built from change later', () => {
    const input = hostileInput();
    const built = buildReport(input);
    input.settings.excludePatterns.push('*');
    input.settings.retries = 5;
    expect(built.settings.excludePatterns).toEqual([]);
    expect(built.settings.retries).toBe(2);
  });
});

describe('isProblem', () => {
  it('counts broken, blocked and error as problems, redirected only when settings say so', () => {
    for (const flag of [false, true]) {
      expect(isProblem('broken', flag)).toBe(true);
      expect(isProblem('blocked', flag)).toBe(true);
      expect(isProblem('error', flag)).toBe(true);
      expect(isProblem('ok', flag)).toBe(false);
      expect(isProblem('skipped', flag)).toBe(false);
      expect(isProblem(null, flag)).toBe(false);
    }
    expect(isProblem('redirected', false)).toBe(false);
    expect(isProblem('redirected', true)).toBe(true);
  });
});

describe('scopeReport', () => {
  const report = buildReport(hostileInput());

  it("keeps only broken, blocked and error links for 'problems', in order, with the whole run's summary", () => {
    const scoped = scopeReport(report, 'problems');
    expect(scoped.links.map((link) => link.url)).toEqual([COMMA_URL, SCRIPT_URL, IMG_URL, TIMEOUT_URL]);
    expect(scoped.summary).toEqual(report.summary);
  });

  it("keeps redirected links for 'problems' when the run counted redirects as problems", () => {
    const scoped = scopeReport(buildReport(hostileInput({ redirectsAreProblems: true })), 'problems');
    expect(scoped.links.map((link) => link.url)).toEqual([UNICODE_URL, COMMA_URL, SCRIPT_URL, IMG_URL, TIMEOUT_URL]);
  });

  it("keeps every link for 'all'", () => {
    expect(scopeReport(report, 'all').links).toHaveLength(8);
  });

  it('leaves the report it scopes untouched', () => {
    scopeReport(report, 'problems');
    expect(report.links).toHaveLength(8);
  });
});

describe('reportFileName', () => {
  it('names the file for the lower-cased page host without port and the UTC start date', () => {
    const report = buildReport(hostileInput());
    expect(reportFileName(report, 'json')).toBe('linkpulse-sub.example.com-2024-01-31.json');
    expect(reportFileName(report, 'csv')).toBe('linkpulse-sub.example.com-2024-01-31.csv');
    expect(reportFileName(report, 'md')).toBe('linkpulse-sub.example.com-2024-01-31.md');
    expect(reportFileName(report, 'html')).toBe('linkpulse-sub.example.com-2024-01-31.html');
  });

  it('writes an international host in its ASCII (punycode) form', () => {
    expect(reportFileName(withPage('https://bücher.example/x'), 'md')).toBe(
      'linkpulse-xn--bcher-kva.example-2024-01-31.md',
    );
  });

  it('keeps only a-z, 0-9, dot and hyphen of the host', () => {
    expect(reportFileName(withPage('http://[2001:db8::1]:8080/'), 'csv')).toBe('linkpulse-2001-db8-1-2024-01-31.csv');
  });

  it("uses 'page' when the page has no host", () => {
    expect(reportFileName(withPage('file:///home/me/index.html'), 'html')).toBe('linkpulse-page-2024-01-31.html');
    expect(reportFileName(withPage('about:blank'), 'html')).toBe('linkpulse-page-2024-01-31.html');
    expect(reportFileName(withPage('not a url'), 'html')).toBe('linkpulse-page-2024-01-31.html');
  });
});

describe('problemUrlsText', () => {
  it('lists the problem URLs one per line, in report order, a line break inside a URL percent-encoded', () => {
    const commaUrl = 'https://example.com/a,b"c%0D%0Ad';
    expect(problemUrlsText(buildReport(hostileInput()))).toBe([commaUrl, SCRIPT_URL, IMG_URL, TIMEOUT_URL].join('\n'));
  });

  it('is empty when there is no problem', () => {
    const report = buildReport({
      ...hostileInput(),
      entries: hostileEntries().filter((e) => e.result?.verdict === 'ok'),
    });
    expect(problemUrlsText(report)).toBe('');
  });
});
