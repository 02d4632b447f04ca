import type { RunRecord } from '@/utils/history/history-store';
import './HistoryView.css';

const problemsOf = (run: RunRecord) => run.summary.broken + run.summary.blocked + run.summary.error;

/** Problems per check, oldest on the left, as a plain SVG line; the numbers are also in its label and the table. */
export function TrendChart({ runs }: { runs: readonly RunRecord[] }) {
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
      aria-label={`Problems in the last ${oldestFirst.length} checks, oldest first: ${oldestFirst.map(problemsOf).join(', ')}`}
    >
      <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} class="axis" />
      <polyline points={points} class="line" />
      {oldestFirst.map((run, i) => (
        <circle key={run.runId} cx={x(i)} cy={y(problemsOf(run))} r={3}>
          <title>
            {new Date(run.finishedAt).toLocaleString()}: {problemsOf(run)} problems
          </title>
        </circle>
      ))}
    </svg>
  );
}

interface Props {
  /** The page's kept runs, newest first. */
  runs: readonly RunRecord[];
  /** The run on screen, marked in the list. */
  currentRunId?: string;
  runHref: (runId: string) => string;
}

/** A page's past checks: a trend of its problems and one line per run, each opening that run's full report. */
export function HistoryView({ runs, currentRunId, runHref }: Props) {
  if (runs.length === 0) {
    return (
      <p class="notice" data-testid="history-empty">
        No finished check of this page is kept yet (nothing is kept for private windows).
      </p>
    );
  }
  return (
    <div class="history" data-testid="history">
      <TrendChart runs={runs} />
      <table class="history-runs" aria-label="Past checks of this page">
        <thead>
          <tr>
            <th scope="col">Finished</th>
            <th scope="col">Links</th>
            <th scope="col">Broken</th>
            <th scope="col">Blocked</th>
            <th scope="col">Error</th>
            <th scope="col">New problems</th>
            <th scope="col">Report</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr
              key={run.runId}
              data-testid="history-run"
              data-run-id={run.runId}
              data-problems={problemsOf(run)}
              aria-current={run.runId === currentRunId ? 'true' : undefined}
            >
              <td>{new Date(run.finishedAt).toLocaleString()}</td>
              <td>{run.summary.total}</td>
              <td>{run.summary.broken}</td>
              <td>{run.summary.blocked}</td>
              <td>{run.summary.error}</td>
              <td>{run.summary.newProblems}</td>
              <td>
                {run.runId === currentRunId ? (
                  'shown'
                ) : (
                  <a href={runHref(run.runId)} data-testid="history-open" target="_blank" rel="noopener">
                    Open report
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
