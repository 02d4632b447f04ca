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

const pending = new Map<boolean, string>();
/** "checking" or "queued" in the user's language, looked up once. */
function pendingText(checking: boolean): string {
  let word = pending.get(checking);
  if (word === undefined) {
    word = checking ? t('verdict.checking') : t('verdict.queued');
    pending.set(checking, word);
  }
  return word;
}

/** A verdict badge's class, icon and word: the one description both the component and hand-drawn rows use. */
export function badgeOf(entry: LinkEntry): { className: string; icon: string; text: string } {
  const verdict = entry.result?.verdict;
  if (!verdict) {
    const checking = entry.phase === 'checking';
    return {
      className: 'verdict v-pending',
      icon: checking ? '◌' : '·',
      text: pendingText(checking),
    };
  }
  return { className: `verdict v-${verdict}`, icon: VERDICT_ICON[verdict], text: verdictText(verdict) };
}

/**
 * One element and one text node: the report page holds thousands of these. The icon is drawn by CSS from `data-icon`
 * (`.verdict::before` in RunSummary.css) as decoration that screen readers skip, as the word says it all.
 */
export function VerdictBadge({ entry }: { entry: LinkEntry }) {
  const { className, icon, text } = badgeOf(entry);
  return (
    <span class={className} data-icon={icon}>
      {text}
    </span>
  );
}
