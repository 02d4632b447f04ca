import type { Signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { fmt, t } from '@/components/l10n';
import { countData } from '@/components/row-data';
import { unavailableText } from '@/components/unavailable-words';
import { verdictText } from '@/components/VerdictBadge';
import type { AnswerState } from '@/utils/menu/answer-state';
import { MAX_SELECTION_LINKS, type MenuProblem } from '@/utils/menu/menu-check';
import { summarize } from '@/utils/report/report';
import { VERDICTS } from '@/utils/types';
import { LinkAnswer } from './LinkAnswer';

interface Props {
  state: Signal<AnswerState>;
  onStop(): void;
}

function problemText(problem: MenuProblem): string {
  switch (problem.code) {
    case 'no-links':
      return t('answer.noLinks');
    case 'selection-lost':
      return t('answer.selectionLost');
    case 'unreadable':
      // The browser's own words go after the selection's sentence; any other reason is a sentence of its own.
      return problem.why.kind === 'unreadable'
        ? t('answer.unreadable', { problem: problem.why.detail })
        : unavailableText(problem.why);
  }
}

/** The answer window of a context-menu check: its summary (`answer-summary`), then each link's answer. */
export function AnswerApp({ state, onStop }: Props) {
  const { check, unavailable } = state.value;
  const selection = check?.kind === 'selection';
  useEffect(() => {
    document.title = selection ? t('answer.windowSelection') : t('answer.windowLink');
  }, [selection]);
  if (unavailable !== null || check === null) {
    return (
      <main class="answer">
        <p class="notice" role="status" data-testid="unavailable">
          {unavailable === 'gone'
            ? t('answer.gone')
            : unavailable === 'no-check'
              ? t('answer.noCheck')
              : t('common.loading')}
        </p>
      </main>
    );
  }
  const summary = summarize(check.entries, check.state);
  const counts = { checked: fmt.count(summary.checked), total: fmt.count(summary.total) };
  const running = check.state === 'running';
  const reading = running && selection && check.entries.length === 0;
  return (
    <main class="answer">
      <header>
        <h1>{selection ? t('answer.titleSelection') : t('answer.titleLink')}</h1>
        <p class="sub url">{t('answer.onPage', { page: check.pageUrl })}</p>
      </header>
      <section
        class="answer-summary"
        data-testid="answer-summary"
        data-kind={check.kind}
        data-state={check.state}
        {...countData(summary)}
        aria-label={t('summary.label')}
        aria-live="polite"
      >
        <span class="count">
          {reading
            ? t('answer.reading')
            : running
              ? t('answer.checking', counts)
              : check.state === 'cancelled'
                ? t('answer.stopped', counts)
                : t('answer.checked', counts)}
        </span>
        {selection
          ? VERDICTS.filter((verdict) => summary[verdict] > 0).map((verdict) => (
              <span key={verdict} class={`chip v-${verdict}`}>
                {verdictText(verdict)} <b>{fmt.count(summary[verdict])}</b>
              </span>
            ))
          : null}
        {running ? (
          <button type="button" data-testid="answer-stop" onClick={onStop}>
            {t('common.stop')}
          </button>
        ) : null}
      </section>
      {check.problem ? (
        <p class="notice" role="status" data-testid="answer-problem" data-problem={check.problem.code}>
          {problemText(check.problem)}
        </p>
      ) : null}
      {check.truncated ? (
        <p class="notice" data-testid="truncated">
          {t('answer.truncated', { count: fmt.count(MAX_SELECTION_LINKS) })}
        </p>
      ) : null}
      <ol class="answers">
        {check.entries.map((entry) => (
          <LinkAnswer key={entry.url} entry={entry} />
        ))}
      </ol>
    </main>
  );
}
