import type { Change } from '@/utils/history/diff';
import { t } from './l10n';

/** Words for a row's change against the previous check of the page. */
export function changeText(change: Exclude<Change, ''>): string {
  return change === 'newly-broken' ? t('change.newlyBroken') : t(`change.${change}`);
}

export function ChangeBadge({ change }: { change: Change }) {
  if (!change) return null;
  return <span class={`change change-${change}`}>{changeText(change)}</span>;
}
