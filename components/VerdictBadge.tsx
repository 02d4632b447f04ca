import type { LinkEntry, Verdict } from '@/utils/types';
import { t } from './l10n';

/** Never colour alone: every verdict also has an icon and a word. */
export const VERDICT_ICON: Record<Verdict, string> = {
  ok: '✓',
  redirected: '↪',
  broken: '✗',
  blocked: '⊘',
  error: '⚠',
  skipped: '–',
};

const words = new Map<Verdict, string>();
/** A verdict's word in the user's language (looked up once: the report page shows thousands). */
export function verdictText(verdict: Verdict): string {
  let word = words.get(verdict);
  if (word === undefined) {
    word = t(`verdict.${verdict}`);
    words.set(verdict, word);
  }
  return word;
}

/**
 * One element and one text node: the report page holds thousands of these. The icon is drawn by CSS from `data-icon`
 * (`.verdict::before` in RunSummary.css) as decoration that screen readers skip, as the word says it all.
 */
export function VerdictBadge({ entry }: { entry: LinkEntry }) {
  const verdict = entry.result?.verdict;
  if (!verdict) {
    const checking = entry.phase === 'checking';
    return (
      <span class="verdict v-pending" data-icon={checking ? '◌' : '·'}>
        {checking ? t('verdict.checking') : t('verdict.queued')}
      </span>
    );
  }
  return (
    <span class={`verdict v-${verdict}`} data-icon={VERDICT_ICON[verdict]}>
      {verdictText(verdict)}
    </span>
  );
}
