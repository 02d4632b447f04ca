import type { LinkEntry, LinkResult } from '@/utils/types';
import { fmt, t } from './l10n';
import { detailText, notesText } from './note-words';
import { reasonText } from './reason-words';
import { sightText } from './sight-words';
import { VerdictBadge } from './VerdictBadge';

/** Everything known about one link: shown when a row is opened. */
export function LinkDetails({ entry }: { entry: LinkEntry }) {
  const result = entry.result;
  const notes = result ? notesText(result) : '';
  const detail = result ? detailText(result) : '';
  return (
    <dl class="link-details" data-testid="link-details">
      <dt>{t('details.url')}</dt>
      <dd class="url-full">{entry.url}</dd>
      <dt>{t('details.verdict')}</dt>
      <dd>
        <VerdictBadge entry={entry} />
        {result?.reason ? ` — ${reasonText(result.reason)}` : ''}
        {result?.cached ? ` ${t('details.cached')}` : ''}
      </dd>
      {detail ? (
        <>
          <dt>{t('details.details')}</dt>
          <dd>{detail}</dd>
        </>
      ) : null}
      {notes ? (
        <>
          <dt>{t('details.note')}</dt>
          <dd data-testid="link-note">{notes}</dd>
        </>
      ) : null}
      {result ? <Redirects result={result} withEnd /> : null}
      {result?.tab ? (
        <>
          <dt>{t('details.inTab')}</dt>
          <dd data-testid="tab-sight">{sightText(result.tab, result.verified === 'browser')}</dd>
        </>
      ) : null}
      {result ? (
        <>
          <dt>{t('details.attempts')}</dt>
          <dd>{t('details.attemptsValue', { attempts: fmt.count(result.attempts), time: fmt.ms(result.ms) })}</dd>
        </>
      ) : null}
      <ArchiveHelp entry={entry} />
      <dt>{t('details.onPage')}</dt>
      <dd>
        {entry.occurrences}× {entry.texts.length > 0 ? `— “${entry.texts.join('”, “')}”` : ''}
      </dd>
      {entry.frames ? (
        <>
          <dt>{t('details.inFrame')}</dt>
          <dd class="url-full" data-testid="link-frames">
            {entry.frames.join(', ')}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** A result's redirect hops as a list (and, `withEnd`, where they ended); nothing without redirects. */
export function Redirects({ result, withEnd = false }: { result: LinkResult; withEnd?: boolean }) {
  if (result.redirects.length === 0) return null;
  return (
    <>
      <dt>{t('details.redirects')}</dt>
      <dd>
        <ol class="hops">
          {result.redirects.map((hop) => (
            <li key={hop.url}>
              {hop.status} {hop.url}
            </li>
          ))}
          {withEnd ? (
            <li>
              {result.status} {result.finalUrl}
            </li>
          ) : null}
        </ol>
      </dd>
    </>
  );
}

/** For a broken link, the Internet Archive's copies: a link only (see archiveUrl); nothing for other links. */
export function ArchiveHelp({ entry }: { entry: LinkEntry }) {
  const archive = archiveUrl(entry);
  if (!archive) return null;
  return (
    <>
      <dt>{t('details.help')}</dt>
      <dd>
        <a href={archive} target="_blank" rel="noopener noreferrer" data-testid="archive-link">
          {t('details.archive')}
        </a>{' '}
        {t('details.archiveHint')}
      </dd>
    </>
  );
}

/**
 * Where the Internet Archive keeps its copies of a broken link: the place to find what it said, or a replacement. Only
 * a link, never fetched: nothing is requested on the user's behalf until they click it.
 */
export function archiveUrl(entry: LinkEntry): string | undefined {
  if (entry.result?.verdict !== 'broken' || !/^https?:\/\//i.test(entry.url)) return undefined;
  return `https://web.archive.org/web/${entry.url}`;
}

/** A result's redirect chain (each hop's status and URL, then where it ended) and the browser's error text, one per line. */
export function resultTrail(result: LinkResult | null | undefined): string | undefined {
  if (!result) return undefined;
  const lines = result.redirects.map((hop) => `${hop.status} ${hop.url}`);
  if (lines.length > 0) lines.push(`${result.status ?? ''} ${result.finalUrl ?? ''}`.trim());
  const detail = detailText(result);
  if (detail) lines.push(detail);
  if (result.tab) lines.push(sightText(result.tab, result.verified === 'browser'));
  const notes = notesText(result);
  if (notes) lines.push(notes);
  return lines.length > 0 ? lines.join('\n') : undefined;
}
