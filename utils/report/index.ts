import { toCsv } from './csv';
import { toHtml } from './html';
import { toJson } from './json';
import { toMarkdown } from './markdown';
import type { Report, ReportFormat } from './report';

export interface ReportWriter {
  ext: ReportFormat;
  /** For the download's Blob; text types carry their charset so a browser opening the file reads UTF-8. */
  mime: string;
  write(report: Report): string;
}

export const WRITERS: Record<ReportFormat, ReportWriter> = {
  json: { ext: 'json', mime: 'application/json', write: toJson },
  csv: { ext: 'csv', mime: 'text/csv;charset=utf-8', write: toCsv },
  md: { ext: 'md', mime: 'text/markdown;charset=utf-8', write: toMarkdown },
  html: { ext: 'html', mime: 'text/html;charset=utf-8', write: toHtml },
};
