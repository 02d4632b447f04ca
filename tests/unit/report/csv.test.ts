import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../utils/report/csv';
import { buildReport, type Report, type ReportLink } from '../../../utils/report/report';
import { parseCsv } from '../../support/parse-csv';
import { COMMA_URL, hostileInput, SCRIPT, UNCHECKED_URL } from './hostile-run';

const HEADER = [
  'url',
  'verdict',
  'status',
  'final_url',
  'ms',
  'occurrences',
  'reason',
  'redirects',
  'attempts',
  'texts',
  'verified',
  'change',
];

function reportOf(links: Partial<ReportLink>[]): Report {
  const base = buildReport({ ...hostileInput(), entries: [] });
  const blank: ReportLink = {
    url: 'https://example.com/',
    verdict: 'ok',
    status: 200,
    finalUrl: 'https://example.com/',
    ms: 5,
    occurrences: 1,
    reason: '',
    redirects: [],
    attempts: 1,
    texts: [],
    cached: false,
    errorText: '',
    note: '',
    change: '',
  };
  return { ...base, links: links.map((link) => ({ ...blank, ...link })) };
}

/** The row a spreadsheet should show for a link, spelled out independently of the writer. */
function expectedRow(link: ReportLink): string[] {
  // The hostile run's two fields a spreadsheet would take for formulas (hostile-run.ts), named here, not by a rule:
  // the rule itself is tested on its own cases below.
  const formulas = new Set(['-2+3 | @SUM(A1) | +1 | \tindented', '=HYPERLINK("http://evil.example","click")']);
  const guard = (value: string) => (formulas.has(value) ? `'${value}` : value);
  return [
    link.url,
    link.verdict ?? '',
    link.status === null ? '' : String(link.status),
    link.finalUrl ?? '',
    link.ms === null ? '' : String(link.ms),
    String(link.occurrences),
    link.reason,
    link.redirects.map((hop) => `${hop.status} ${hop.url}`).join(' | '),
    String(link.attempts),
    link.texts.join(' | '),
    link.verified ?? '',
    link.change,
  ].map(guard);
}

describe('toCsv', () => {
  const report = buildReport(hostileInput());
  const csv = toCsv(report);

  it('starts with a UTF-8 byte order mark, then the header row', () => {
    expect(
      csv.startsWith(
        '\uFEFFurl,verdict,status,final_url,ms,occurrences,reason,redirects,attempts,texts,verified,change\r\n',
      ),
    ).toBe(true);
  });

  it('parses back to the header and one row per link with every field intact', () => {
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(HEADER);
    expect(rows.slice(1)).toEqual(report.links.map(expectedRow));
  });

  it('ends every record with CRLF and has no bare CR or LF outside quoted fields', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, '');
    expect(outsideQuotes.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(outsideQuotes.split('\r\n')).toHaveLength(report.links.length + 2);
  });

  it('quotes a field that holds a comma, quote or newline, doubling the quotes', () => {
    expect(csv).toContain(`"${COMMA_URL.replaceAll('"', '""')}"`);
    expect(csv).toContain('"Comma, ""quote"" | line\r\nbreak\nand\rmore"');
  });

  it('leaves a plain field unquoted', () => {
    expect(toCsv(reportOf([{ url: 'https://example.com/plain', texts: ['plain text'] }]))).toBe(
      '\uFEFFurl,verdict,status,final_url,ms,occurrences,reason,redirects,attempts,texts,verified,change\r\n' +
        'https://example.com/plain,ok,200,https://example.com/,5,1,,,1,plain text,,\r\n',
    );
  });

  it('keeps emoji, right-to-left and CJK text as they are', () => {
    const row = parseCsv(csv)[1];
    expect(row?.[0]).toBe('https://例え.jp/パス?q=😀');
    expect(row?.[9]).toBe('مرحبا بالعالم | 日本語のリンク | 👍🏽 emoji');
  });

  it('writes redirects as "status url" hops joined by " | "', () => {
    expect(parseCsv(csv)[1]?.[7]).toBe('302 http://例え.jp/a,b | 301 https://例え.jp/"quoted"');
  });

  it('says which verdicts a browser tab settled', () => {
    const rows = parseCsv(toCsv(reportOf([{ verified: 'browser' }, {}])));
    expect(rows.map((row) => row[10])).toEqual(['verified', 'browser', '']);
  });

  it('writes an empty field for a null status, verdict, final URL and time', () => {
    const unchecked = parseCsv(csv).find((row) => row[0] === UNCHECKED_URL);
    expect(unchecked).toEqual([UNCHECKED_URL, '', '', '', '', '1', '', '', '0', 'not reached', '', '']);
  });

  it('keeps markup as plain text', () => {
    expect(parseCsv(csv).some((row) => row[9]?.startsWith(SCRIPT))).toBe(true);
  });

  it('puts a quote before a field a spreadsheet would run as a formula', () => {
    const texts = ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', 'a=1', "'kept"];
    const rows = parseCsv(toCsv(reportOf(texts.map((text) => ({ texts: [text] })))));
    expect(rows.slice(1).map((row) => row[9])).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\t=1",
      "'\r=1",
      'a=1',
      "'kept",
    ]);
  });

  it('quotes a field that holds a ;, and guards a formula after one: Excel splits on ; where it is the list separator', () => {
    const text = 'Docs;=HYPERLINK("http://evil.example");+1;a=1;-';
    const url = 'https://example.com/a;@x;b';
    const csv = toCsv(reportOf([{ url, finalUrl: null, texts: [text] }]));
    const record = csv.split('\r\n')[1] ?? '';
    // Excel in a German locale reads the quoted field as one cell; a reader that splits on every ; sees no formula.
    expect(record.startsWith('"https://example.com/a;\'@x;b",')).toBe(true);
    expect(record).toContain('"Docs;\'=HYPERLINK(""http://evil.example"");\'+1;a=1;\'-"');
    expect(
      record
        .split(';')
        .slice(1)
        .some((cell) => /^[=+\-@]/.test(cell)),
    ).toBe(false);
    const row = parseCsv(csv)[1];
    expect([row?.[0], row?.[9]]).toEqual([
      url.replace(';@', ";'@"),
      "Docs;'=HYPERLINK(\"http://evil.example\");'+1;a=1;'-",
    ]);
  });

  it('guards a formula in the URL column too', () => {
    const rows = parseCsv(toCsv(reportOf([{ url: '=HYPERLINK("http://evil.example")', finalUrl: null }])));
    expect(rows[1]?.[0]).toBe('\'=HYPERLINK("http://evil.example")');
  });

  it('writes only the header for a report with no links', () => {
    expect(parseCsv(toCsv(reportOf([])))).toEqual([HEADER]);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and empty fields', () => {
    expect(parseCsv('a,"b,""c""\r\nd",\r\n,,x\r\n')).toEqual([
      ['a', 'b,"c"\r\nd', ''],
      ['', '', 'x'],
    ]);
  });

  it('accepts a last record without a line break and drops a leading BOM', () => {
    expect(parseCsv('\uFEFFa,b\r\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('reads an empty text as no records', () => {
    expect(parseCsv('')).toEqual([]);
  });

  it('rejects a quote inside an unquoted field', () => {
    expect(() => parseCsv('a,b"c\r\n')).toThrow(SyntaxError);
  });

  it('rejects a quoted field that is never closed', () => {
    expect(() => parseCsv('a,"bc\r\n')).toThrow(SyntaxError);
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('"a"b,c\r\n')).toThrow(SyntaxError);
  });

  it('rejects a bare LF or CR as a record end', () => {
    expect(() => parseCsv('a,b\nc,d\r\n')).toThrow(SyntaxError);
    expect(() => parseCsv('a,b\rc,d\r\n')).toThrow(SyntaxError);
  });

  it('rejects records of different widths', () => {
    expect(() => parseCsv('a,b\r\nc\r\n')).toThrow(SyntaxError);
  });
});

describe('the change column', () => {
  it('holds each link’s change against the previous run', () => {
    const rows = parseCsv(toCsv(reportOf([{ change: 'newly-broken' }, { change: 'fixed' }, { change: '' }])));
    expect(rows[0]?.at(-1)).toBe('change');
    expect(rows.slice(1).map((row) => row.at(-1))).toEqual(['newly-broken', 'fixed', '']);
  });
});
