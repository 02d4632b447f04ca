import { englishStoredNote } from '../notes/english';
import type { TabSight } from '../types';

/** What a background tab saw, in one line a person reads: the HTML export's (the pages': components/sight-words.ts). */
export function describeSight(sight: TabSight, verified: boolean): string {
  const seconds = `${(sight.ms / 1000).toFixed(1)} s`;
  const parts = [sight.status === null ? 'no response' : `HTTP ${sight.status}`];
  if (sight.title !== '') parts.push(`“${sight.title}”`);
  if (sight.challenge) parts.push(`still a challenge (${sight.challenge})`);
  parts.push(seconds);
  const seen = `${verified ? 'Verified in a browser tab' : 'A browser tab could not settle it'}: ${parts.join(', ')}`;
  const note = englishStoredNote(sight.note);
  return note ? `${seen}. ${note}` : seen;
}
