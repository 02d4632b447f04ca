import { ArchiveHelp, Redirects } from '@/components/LinkDetails';
import { fmt, t } from '@/components/l10n';
import { detailText, notesText } from '@/components/note-words';
import { rowData } from '@/components/row-data';
import { VerdictBadge } from '@/components/VerdictBadge';
import type { LinkEntry } from '@/utils/types';

/** One link's answer, every fact in words: the row's data-* are the report's (`link-row`), for tools and tests. */
export function LinkAnswer({ entry }: { entry: LinkEntry }) {
  const r = entry.result;
  const notes = r ? notesText(r) : '';
  const detail = r ? detailText(r) : '';
  return (
    <li class="link-answer" {...rowData(entry)}>
      <p class="url" data-testid="answer-url">
        {entry.url}
      </p>
      <dl>
        <dt>{t('details.verdict')}</dt>
        <dd data-testid="answer-verdict">
          <VerdictBadge entry={entry} />
          {r?.cached ? ` ${t('answer.recent')}` : ''}
        </dd>
        {r ? (
          <>
            <dt>{t('answer.status')}</dt>
            <dd data-testid="answer-status">{r.status ?? t('answer.noResponse')}</dd>
            <dt>{t('answer.reason')}</dt>
            <dd data-testid="answer-reason">{r.reason || '—'}</dd>
            <dt>{t('answer.finalUrl')}</dt>
            <dd class="url" data-testid="answer-final-url">
              {r.finalUrl ?? '—'}
            </dd>
            <dt>{t('answer.time')}</dt>
            <dd data-testid="answer-ms">
              {r.attempts > 1
                ? t('answer.requests', r.attempts, [fmt.count(r.attempts)], { time: fmt.ms(r.ms) })
                : fmt.ms(r.ms)}
            </dd>
          </>
        ) : null}
        {r ? <Redirects result={r} /> : null}
        {detail ? (
          <>
            <dt>{t('details.details')}</dt>
            <dd data-testid="answer-details">{detail}</dd>
          </>
        ) : null}
        {notes ? (
          <>
            <dt>{t('details.note')}</dt>
            <dd data-testid="link-note">{notes}</dd>
          </>
        ) : null}
        <ArchiveHelp entry={entry} />
      </dl>
    </li>
  );
}
