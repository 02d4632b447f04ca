import type { LinkEntry, Verdict } from '@/utils/types';

/** Never colour alone: every verdict also has an icon and a word. */
export const VERDICT_LABEL: Record<Verdict, { icon: string; text: string }> = {
  ok: { icon: '✓', text: 'OK' },
  redirected: { icon: '↪', text: 'Redirected' },
  broken: { icon: '✗', text: 'Broken' },
  blocked: { icon: '⊘', text: 'Blocked' },
  error: { icon: '⚠', text: 'Error' },
  skipped: { icon: '–', text: 'Skipped' },
};

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
        {checking ? 'Checking' : 'Queued'}
      </span>
    );
  }
  const { icon, text } = VERDICT_LABEL[verdict];
  return (
    <span class={`verdict v-${verdict}`} data-icon={icon}>
      {text}
    </span>
  );
}
