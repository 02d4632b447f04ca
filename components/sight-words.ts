// What a background tab saw of a link (the second opinion), in the user's words: the row's details and its tooltip.
// The HTML export keeps utils/verify/describe.ts's English line, like the rest of the exported report.
import type { TabSight } from '@/utils/types';
import { fmt, t } from './l10n';
import { storedNoteText } from './note-words';

export function sightText(sight: TabSight, verified: boolean): string {
  const parts = [sight.status === null ? t('sight.noResponse') : t('sight.status', { status: sight.status })];
  if (sight.title !== '') parts.push(t('sight.title', { title: sight.title }));
  if (sight.challenge) parts.push(t('sight.challenge', { challenge: sight.challenge }));
  parts.push(fmt.seconds(sight.ms));
  const seen = t(verified ? 'sight.verified' : 'sight.unsettled', { seen: parts.join(', ') });
  const note = storedNoteText(sight.note);
  if (!note) return seen;
  // German seconds end in a full stop already ("1,3 Sek."): no second one.
  return `${seen}${seen.endsWith('.') ? '' : '.'} ${note}`;
}
