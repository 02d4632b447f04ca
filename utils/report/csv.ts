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
// Excel splits on ; where it is the list separator (German among the locales we ship), and a reader that splits on
// every ; whatever the quotes would start a cell after each one: a formula there gets the same '.
function guardFormula(value: string): string {
  const guarded = value.replace(/;(?=[=+\-@\t\r])/g, ";'");
  return /^[=+\-@\t\r]/.test(guarded) ? `'${guarded}` : guarded;
}

// A ; is quoted as well as RFC 4180's three, so that Excel with ; as its separator reads the field as one cell.
function quote(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
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
