import type { Change } from '@/utils/history/diff';

/** Words for a row's change against the previous check of the page. */
export const CHANGE_LABEL: Record<Exclude<Change, ''>, string> = {
  new: 'New',
  'newly-broken': 'Newly broken',
  fixed: 'Fixed',
};

export function ChangeBadge({ change }: { change: Change }) {
  if (!change) return null;
  return <span class={`change change-${change}`}>{CHANGE_LABEL[change]}</span>;
}
