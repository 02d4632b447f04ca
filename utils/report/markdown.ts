import { VERDICTS } from '../types';
import { httpHref } from './html';
import { CHANGE_WORDS, hasChanges, isProblem, type Report, type ReportLink } from './report';

/**
 * Page-controlled text made inert: a line break becomes a space so it cannot end the table row; < > & become entities,
 * which every Markdown dialect honours; a backslash goes before everything else that starts markup. Backslashes are
 * escaped too, so each pipe ends up behind an odd run of them: marked splits a row at a pipe behind an even run. GFM
 * also links bare addresses (`https://…`, `ftp://…`, `www.…`, `name@host`): a backslash before the `:` of a `://`,
 * before each `@`, and before the dot of a `www.` keeps them text.
 */
export function escapeMarkdownText(value: string): string {
  return value
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_~[\]()!#$|@]/g, '\\$&')
    .replace(/:(?=\/\/)|(?<=www)\./gi, '\\$&');
}

/**
 * A URL shown exactly, as escaped text. Only an http(s) URL becomes a link, to the same href as the HTML export; its
 * destination sits in `<>` (parentheses may stay) with nothing left that could end it, be read as an escape or an
 * entity, or split the table cell.
 */
export function markdownUrl(url: string): string {
  const text = escapeMarkdownText(url);
  const href = httpHref(url);
  if (href === null) return text;
  const destination = href.replace(/[^!-~]|[<>\\]/gu, (c) => encodeURIComponent(c)).replace(/[&|]/g, '\\$&');
  return `[${text}](<${destination}>)`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Where a site check found a link: its first pages, and how many more. */
function foundOn(link: ReportLink): string {
  const pages = (link.sources ?? []).slice(0, 3).map((s) => markdownUrl(s.page));
  const more = (link.sourceCount ?? 0) - pages.length;
  return [...pages, ...(more > 0 ? [`and ${more} more`] : [])].join(', ');
}

function linkTable(links: ReportLink[], site: boolean, changes: boolean): string[] {
  return [
    row([
      'Verdict',
      ...(changes ? ['Change'] : []),
      'Status',
      'URL',
      'Reason',
      'Occurrences',
      ...(site ? ['Found on'] : []),
    ]),
    row(['---', ...(changes ? ['---'] : []), '---:', '---', '---', '---:', ...(site ? ['---'] : [])]),
    ...links.map((link) =>
      row([
        escapeMarkdownText(link.verdict ?? 'not checked'),
        ...(changes ? [link.change === '' ? '' : CHANGE_WORDS[link.change]] : []),
        link.status === null ? '—' : String(link.status),
        markdownUrl(link.url),
        escapeMarkdownText(
          link.verified === 'browser' ? `${link.reason} (verified in a browser tab)`.trim() : link.reason,
        ),
        String(link.occurrences),
        ...(site ? [foundOn(link)] : []),
      ]),
    ),
  ];
}

function pagesTable(site: NonNullable<Report['site']>): string[] {
  return [
    row(['Page', 'Status', 'Depth', 'Links', 'Note']),
    row(['---', '---:', '---:', '---:', '---']),
    ...site.pages.map((page) =>
      row([
        markdownUrl(page.url),
        page.status === null ? '—' : String(page.status),
        String(page.depth),
        String(page.links),
        escapeMarkdownText(page.note),
      ]),
    ),
  ];
}

function summaryTable(report: Report, changes: boolean): string[] {
  const { summary } = report;
  return [
    row(['Verdict', 'Links']),
    row(['---', '---:']),
    ...VERDICTS.map((verdict) => row([verdict, String(summary[verdict])])),
    row(['**checked**', String(summary.checked)]),
    row(['**total**', String(summary.total)]),
    ...(changes ? [row(['**new problems** since the last check', String(summary.newProblems)])] : []),
  ];
}

function runLine(report: Report): string {
  const finished = report.finishedAt === null ? '' : `, finished ${report.finishedAt}`;
  return `${report.summary.state}, started ${report.startedAt}${finished}`;
}

/** Problems first, because that is what a reader of the file came for; then the counts; then everything else. */
export function toMarkdown(report: Report): string {
  const redirectsAreProblems = report.settings.redirectsAreProblems;
  const problems = report.links.filter((link) => isProblem(link.verdict, redirectsAreProblems));
  const others = report.links.filter((link) => !isProblem(link.verdict, redirectsAreProblems));
  const title = report.page.title.trim() === '' ? 'Untitled page' : report.page.title;
  const site = report.site !== undefined;
  const changes = hasChanges(report);
  const lines = [
    `# Link report: ${escapeMarkdownText(title)}`,
    '',
    `- Page: ${markdownUrl(report.page.url)}`,
    `- Run: ${escapeMarkdownText(runLine(report))}`,
    '',
    `## Problems (${problems.length})`,
    '',
    ...(problems.length > 0 ? linkTable(problems, site, changes) : ['None.']),
    '',
    '## Summary',
    '',
    ...summaryTable(report, changes),
  ];
  if (others.length > 0) lines.push('', `## Other links (${others.length})`, '', ...linkTable(others, site, changes));
  if (report.site) lines.push('', `## Pages (${report.site.pages.length})`, '', ...pagesTable(report.site));
  return `${lines.join('\n')}\n`;
}
