import { useEffect, useState } from 'preact/hooks';
import { WRITERS } from '@/utils/report';
import { buildReport, problemUrlsText, type ReportScope, reportFileName, scopeReport } from '@/utils/report/report';
import type { RunMeta } from '@/utils/run/stored-run';
import type { LinkEntry } from '@/utils/types';
import './ExportControls.css';
import { fmt, t } from './l10n';

export type ExportFormat = keyof typeof WRITERS;

interface Props {
  meta: RunMeta;
  entries: LinkEntry[];
  /** Saves the report; returns the file name, or null when the save was handed to another page. */
  onExport: (format: ExportFormat, scope: ReportScope) => string | null;
  copy: (text: string) => Promise<void>;
  /**
   * Rows of the run are still arriving or being drawn (store.drawing): `entries` is part of the run while `meta` says
   * what the whole is (done, say), so a file written now would pass part of the run off as all of it. An export asked
   * for meanwhile is written once they are all in; the buttons stay live (a click is never lost).
   */
  drawing?: boolean;
}

// A run's metadata already holds every field of a report but its rows.
const reportOf = (meta: RunMeta, entries: LinkEntry[]) => buildReport({ ...meta, entries });

/** Writes the run in one format and hands it to `download`; returns the file name. */
export function saveReport(
  meta: RunMeta,
  entries: LinkEntry[],
  format: ExportFormat,
  scope: ReportScope,
  download: (fileName: string, mime: string, text: string) => void,
): string {
  const scoped = scopeReport(reportOf(meta, entries), scope);
  const writer = WRITERS[format];
  const fileName = reportFileName(scoped, writer.ext);
  download(fileName, writer.mime, writer.write(scoped));
  return fileName;
}

export function isExportFormat(value: string | null): value is ExportFormat {
  return value !== null && Object.hasOwn(WRITERS, value);
}

const FORMATS = [
  ['json', 'JSON'],
  ['csv', 'CSV'],
  ['md', 'Markdown'],
  ['html', 'HTML'],
] as const;

/** Export of one run, the same in the popup and on the report page: four formats, a scope, and a copy button. */
export function ExportControls({ meta, entries, onExport, copy, drawing = false }: Props) {
  const [scope, setScope] = useState<ReportScope>('all');
  /** The export asked for while rows were still coming: written with the whole run. */
  const [asked, setAsked] = useState<ExportFormat | null>(null);
  const [status, setStatus] = useState('');
  const exportAs = (format: ExportFormat) => {
    const fileName = onExport(format, scope);
    setStatus(fileName ? t('export.saved', { file: fileName }) : t('export.savingFromReport'));
  };
  useEffect(() => {
    if (drawing || asked === null) return;
    setAsked(null);
    exportAs(asked);
  }, [drawing, asked]);
  const copyProblems = async () => {
    const text = problemUrlsText(reportOf(meta, entries));
    const count = text === '' ? 0 : text.split('\n').length;
    if (count === 0) {
      setStatus(t('export.nothingToCopy'));
      return;
    }
    try {
      await copy(text);
      setStatus(t('export.copied', count, [fmt.count(count)]));
    } catch (error) {
      setStatus(t('export.copyFailed', { problem: (error as Error).message || t('export.clipboardRefused') }));
    }
  };
  return (
    <fieldset class="export">
      <legend>{t('export.legend')}</legend>
      <select
        value={scope}
        aria-label={t('export.scope')}
        data-testid="export-scope"
        onChange={(e) => setScope((e.currentTarget as HTMLSelectElement).value as ReportScope)}
      >
        <option value="all">{t('export.scopeAll')}</option>
        <option value="problems">{t('export.scopeProblems')}</option>
      </select>
      {FORMATS.map(([format, label]) => (
        <button
          key={format}
          type="button"
          data-testid={`export-${format}`}
          onClick={() => (drawing ? setAsked(format) : exportAs(format))}
        >
          {label}
        </button>
      ))}
      <button type="button" data-testid="copy-problems" disabled={drawing} onClick={() => void copyProblems()}>
        {t('export.copyProblems')}
      </button>
      <span class="export-status" data-testid="export-status" role="status" aria-live="polite">
        {status}
      </span>
    </fieldset>
  );
}
