import type { KeptRecord } from '@/utils/history/history-store';
import './HistoryView.css';
import { fmt, t } from './l10n';

const problemsOf = (run: KeptRecord) => run.summary.broken + run.summary.blocked + run.summary.error;

/** Problems per check, oldest on the left, as a plain SVG line; the numbers are also in its label and the table. */
export function TrendChart({ runs }: { runs: readonly KeptRecord[] }) {
  const oldestFirst = [...runs].reverse();
  const width = 320;
  const height = 80;
  const pad = 8;
  const max = Math.max(1, ...oldestFirst.map(problemsOf));
  const x = (i: number) =>
    oldestFirst.length === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (oldestFirst.length - 1);
  const y = (n: number) => height - pad - (n / max) * (height - 2 * pad);
  const points = oldestFirst.map((run, i) => `${x(i).toFixed(1)},${y(problemsOf(run)).toFixed(1)}`).join(' ');
  return (
    <svg
      class="trend"
      data-testid="history-trend"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={t('history.trend', oldestFirst.length, [fmt.count(oldestFirst.length)], {
        problems: oldestFirst.map((run) => fmt.count(problemsOf(run))).join(', '),
      })}
    >
      <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} class="axis" />
      <polyline points={points} class="line" />
      {oldestFirst.map((run, i) => (
        <circle key={run.runId} cx={x(i)} cy={y(problemsOf(run))} r={3}>
          <title>
            {t('history.point', problemsOf(run), [fmt.count(problemsOf(run))], { when: fmt.dateTime(run.finishedAt) })}
          </title>
        </circle>
      ))}
    </svg>
  );
}

interface Props {
  /** Kept checks of one kind (page checks of a page, or site checks from it), newest first. */
  runs: readonly KeptRecord[];
  kind?: KeptRecord['kind'];
  /** The run on screen, marked in the list. */
  currentRunId?: string;
  /** Where one opens: a page check's full report, a site check's crawl page. */
  runHref: (runId: string) => string;
}

/** A page's past checks: a trend of its problems and one line per run, each opening that run's full report. */
export function HistoryView({ runs, kind = 'page', currentRunId, runHref }: Props) {
  const site = kind === 'site';
  if (runs.length === 0) {
    return (
      <p class="notice" data-testid="history-empty" data-kind={kind}>
        {site ? t('history.siteEmpty') : t('history.empty')}
      </p>
    );
  }
  return (
    <div class="history" data-testid="history" data-kind={kind}>
      <TrendChart runs={runs} />
      <table class="history-runs" aria-label={site ? t('history.siteLabel') : t('history.label')}>
        <thead>
          <tr>
            <th scope="col">{t('history.finished')}</th>
            {site ? <th scope="col">{t('crawl.pages')}</th> : null}
            <th scope="col">{t('common.links')}</th>
            <th scope="col">{t('verdict.broken')}</th>
            <th scope="col">{t('verdict.blocked')}</th>
            <th scope="col">{t('verdict.error')}</th>
            <th scope="col">{t('summary.newProblems')}</th>
            <th scope="col">{t('history.report')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr
              key={run.runId}
              data-testid="history-run"
              data-run-id={run.runId}
              data-kind={run.kind}
              data-problems={problemsOf(run)}
              aria-current={run.runId === currentRunId ? 'true' : undefined}
            >
              <td>{fmt.dateTime(run.finishedAt)}</td>
              {site ? <td>{run.kind === 'site' ? fmt.count(run.pages) : null}</td> : null}
              <td>{fmt.count(run.summary.total)}</td>
              <td>{fmt.count(run.summary.broken)}</td>
              <td>{fmt.count(run.summary.blocked)}</td>
              <td>{fmt.count(run.summary.error)}</td>
              <td>{fmt.count(run.summary.newProblems)}</td>
              <td>
                {run.runId === currentRunId ? (
                  t('history.shown')
                ) : (
                  <a href={runHref(run.runId)} data-testid="history-open" target="_blank" rel="noopener">
                    {site ? t('history.openSiteCheck') : t('history.open')}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
