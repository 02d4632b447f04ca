import { VERDICTS } from '../types';
import { isProblem, type Report, type ReportLink } from './report';

// Entities for < > & so no HTML tag or entity survives; backslashes for what would start markup or end a table cell.
export function escapeMarkdownText(value: string): string {
  return value
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]|~]/g, '\\$&');
}

/**
 * An inline code span, inert by definition: its content is never parsed as markup. Only `|` needs escaping, since GFM
 * splits table cells before inline parsing; the fence is longer than any run of backticks inside.
 */
export function markdownCode(value: string): string {
  const content = value.replace(/\r\n|[\r\n]/g, ' ').replaceAll('|', '\\|');
  if (content === '') return '';
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function linkTable(links: ReportLink[]): string[] {
  return [
    row(['Verdict', 'Status', 'URL', 'Reason', 'Occurrences']),
    row(['---', '---:', '---', '---', '---:']),
    ...links.map((link) =>
      row([
        escapeMarkdownText(link.verdict ?? 'not checked'),
        link.status === null ? '—' : String(link.status),
        markdownCode(link.url),
        escapeMarkdownText(link.reason),
        String(link.occurrences),
      ]),
    ),
  ];
}

function summaryTable(report: Report): string[] {
  const { summary } = report;
  return [
    row(['Verdict', 'Links']),
    row(['---', '---:']),
    ...VERDICTS.map((verdict) => row([verdict, String(summary[verdict])])),
    row(['**checked**', String(summary.checked)]),
    row(['**total**', String(summary.total)]),
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
  const lines = [
    `# Link report: ${escapeMarkdownText(title)}`,
    '',
    `- Page: ${markdownCode(report.page.url)}`,
    `- Run: ${escapeMarkdownText(runLine(report))}`,
    '',
    `## Problems (${problems.length})`,
    '',
    ...(problems.length > 0 ? linkTable(problems) : ['None.']),
    '',
    '## Summary',
    '',
    ...summaryTable(report),
  ];
  if (others.length > 0) lines.push('', `## Other links (${others.length})`, '', ...linkTable(others));
  return `${lines.join('\n')}\n`;
}
