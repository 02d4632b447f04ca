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
  'verified',
  'change',
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

/** A site check's CSV adds where each link was found. */
export const CSV_SITE_COLUMNS = ['source_count', 'sources'] as const;

function linkRow(link: ReportLink, site: boolean): (string | number | null)[] {
  const sources = site ? [link.sourceCount ?? 0, (link.sources ?? []).map((s) => s.page).join(' | ')] : [];
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
    link.verified ?? '',
    link.change,
    ...sources,
  ];
}

/** RFC 4180 CSV with a BOM, because Excel reads a BOM-less file in the local code page and mangles non-ASCII. */
export function toCsv(report: Report): string {
  const site = report.site !== undefined;
  const header = site ? [...CSV_HEADER, ...CSV_SITE_COLUMNS] : CSV_HEADER;
  const rows = [header, ...report.links.map((link) => linkRow(link, site))];
  return BOM + rows.map((row) => `${row.map(csvField).join(',')}${CRLF}`).join('');
}
