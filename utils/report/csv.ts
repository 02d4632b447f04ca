import type { Hop } from '../types';
import type { Report, ReportLink } from './report';

const BOM = '\uFEFF';
const CRLF = '\r\n';

export const CSV_HEADER = [
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
] as const;

/** `302 http://a | 301 http://b`: each hop's status, then the URL that answered with it. */
export function formatRedirects(redirects: Hop[]): string {
  return redirects.map((hop) => `${hop.status} ${hop.url}`).join(' | ');
}

// Spreadsheets run a cell that starts with = + - @ (or tab/CR before one) as a formula; a leading ' keeps it text.
function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvField(value: string | number | null): string {
  return quote(guardFormula(value === null ? '' : String(value)));
}

function linkRow(link: ReportLink): (string | number | null)[] {
  return [
    link.url,
    link.verdict,
    link.status,
    link.finalUrl,
    link.ms,
    link.occurrences,
    link.reason,
    formatRedirects(link.redirects),
    link.attempts,
    link.texts.join(' | '),
  ];
}

/** RFC 4180 CSV with a BOM, because Excel reads a BOM-less file in the local code page and mangles non-ASCII. */
export function toCsv(report: Report): string {
  const rows = [CSV_HEADER, ...report.links.map(linkRow)];
  return BOM + rows.map((row) => `${row.map(csvField).join(',')}${CRLF}`).join('');
}

/**
 * Strict RFC 4180 parser: CRLF record ends only, quotes only around a whole field, every record as wide as the first.
 * A leading BOM is dropped. Throws on anything else, so a test that parses an export back also checks its syntax.
 */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  if (src === '') return records;
  let record: string[] = [];
  let i = 0;
  for (;;) {
    if (src[i] === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        const close = src.indexOf('"', i);
        if (close === -1) throw new SyntaxError(`CSV: quoted field at ${start} is never closed`);
        value += src.slice(i, close);
        i = close + 1;
        if (src[i] !== '"') break;
        value += '"';
        i++;
      }
      record.push(value);
    } else {
      const start = i;
      while (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
        if (src[i] === '"') throw new SyntaxError(`CSV: quote inside an unquoted field at ${i}`);
        i++;
      }
      record.push(src.slice(start, i));
    }
    if (i === src.length) {
      records.push(record);
      break;
    }
    if (src[i] === ',') {
      i++;
      continue;
    }
    if (src[i] === '\r' && src[i + 1] === '\n') {
      records.push(record);
      record = [];
      i += 2;
      if (i === src.length) break;
      continue;
    }
    throw new SyntaxError(`CSV: unexpected ${JSON.stringify(src[i])} at ${i}`);
  }
  const width = records[0]?.length ?? 0;
  const ragged = records.findIndex((row) => row.length !== width);
  if (ragged !== -1)
    throw new SyntaxError(`CSV: record ${ragged + 1} has ${records[ragged]?.length} fields, not ${width}`);
  return records;
}
