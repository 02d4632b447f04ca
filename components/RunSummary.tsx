import type { RunCounts, Verdict, VerdictCounts } from '@/utils/types';
import { VERDICTS } from '@/utils/types';
import './RunSummary.css';
import { fmt, t } from './l10n';
import { countData } from './row-data';
import { VERDICT_ICON, verdictText } from './VerdictBadge';

interface Props {
  summary: RunCounts;
  /** Verdicts currently used as a filter (chips pressed). */
  selected: ReadonlySet<Verdict>;
  onToggle: (verdict: Verdict) => void;
  /** The run has a previous finished run to compare with: the "New problems" chip is shown. */
  compared?: boolean;
  newProblemsOnly?: boolean;
  onToggleNewProblems?: () => void;
}

/** The summary element (`run-summary`, whose data-* end-to-end tests read), with one filter chip per verdict. */
export function RunSummary({ summary, selected, onToggle, compared, newProblemsOnly, onToggleNewProblems }: Props) {
  const percent =
    summary.total === 0 ? (summary.state === 'running' ? 0 : 100) : (summary.checked / summary.total) * 100;
  return (
    <section
      class="run-summary"
      data-testid="run-summary"
      data-state={summary.state}
      {...countData(summary)}
      data-new-problems={summary.newProblems}
      aria-label={t('summary.label')}
    >
      <div
        class="progress"
        role="progressbar"
        data-testid="progress"
        aria-label={t('summary.progress')}
        aria-valuemin={0}
        aria-valuemax={summary.total}
        aria-valuenow={summary.checked}
      >
        <div class="progress-bar" style={{ transform: `scaleX(${percent / 100})` }} />
      </div>
      <div class="chips">
        {compared ? (
          <button
            type="button"
            class="chip chip-new"
            aria-pressed={newProblemsOnly === true}
            data-testid="chip-new-problems"
            onClick={onToggleNewProblems}
            title={t('summary.newProblemsTitle')}
          >
            <span aria-hidden="true">★</span> {t('summary.newProblems')}{' '}
            <strong>{fmt.count(summary.newProblems)}</strong>
          </button>
        ) : null}
        <VerdictChips summary={summary} pressed={(verdict) => selected.has(verdict)} onToggle={onToggle} />
      </div>
    </section>
  );
}

interface ChipsProps {
  summary: VerdictCounts;
  pressed: (verdict: Verdict) => boolean;
  onToggle: (verdict: Verdict) => void;
}

/** One filter chip per verdict, with its count: the run summary's, and the site check's. */
export function VerdictChips({ summary, pressed, onToggle }: ChipsProps) {
  return (
    <>
      {VERDICTS.map((verdict) => (
        <button
          key={verdict}
          type="button"
          class={`chip v-${verdict}`}
          aria-pressed={pressed(verdict)}
          data-testid={`chip-${verdict}`}
          onClick={() => onToggle(verdict)}
          title={t(`summary.showOnly.${verdict}`)}
        >
          <span aria-hidden="true">{VERDICT_ICON[verdict]}</span> {verdictText(verdict)}{' '}
          <strong>{fmt.count(summary[verdict])}</strong>
        </button>
      ))}
    </>
  );
}
