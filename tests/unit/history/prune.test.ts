import { describe, expect, it } from 'vitest';
import { type KeptRun, planPruning } from '../../../utils/history/prune';

const run = (runId: string, pageKey: string, finishedAt: number, bytes = 10, kind: KeptRun['kind'] = 'page') => ({
  runId,
  kind,
  pageKey,
  finishedAt,
  bytes,
});

describe('pruning the history', () => {
  it('keeps the newest runs of each page up to the count, whatever order they come in', () => {
    const runs = [run('a3', 'A', 3), run('a1', 'A', 1), run('b1', 'B', 1), run('a4', 'A', 4), run('a2', 'A', 2)];
    const doomed = planPruning(runs, { perPage: { page: 2, site: 1 }, maxBytes: 1e9 });
    expect(doomed.sort()).toEqual(['a1', 'a2']);
  });

  it('counts page checks and site crawls of one page apart, each with its own count', () => {
    const runs = [run('p1', 'A', 1), run('p2', 'A', 2), run('s1', 'A', 1, 10, 'site'), run('s2', 'A', 2, 10, 'site')];
    expect(planPruning(runs, { perPage: { page: 2, site: 1 }, maxBytes: 1e9 })).toEqual(['s1']);
  });

  it('drops the oldest runs of any page until the rest fit the size cap', () => {
    const runs = [run('a1', 'A', 1, 40), run('b2', 'B', 2, 40), run('a3', 'A', 3, 40), run('c4', 'C', 4, 40)];
    expect(planPruning(runs, { perPage: { page: 20, site: 10 }, maxBytes: 100 }).sort()).toEqual(['a1', 'b2']);
  });

  it('counts runs already over their page count as gone before applying the cap', () => {
    const runs = [run('a1', 'A', 1, 60), run('a2', 'A', 2, 60), run('b3', 'B', 3, 30)];
    // a1 goes for the count; a2 + b3 = 90 fit under 100.
    expect(planPruning(runs, { perPage: { page: 1, site: 1 }, maxBytes: 100 })).toEqual(['a1']);
  });

  it('keeps everything that fits', () => {
    expect(planPruning([run('a1', 'A', 1), run('b1', 'B', 1)])).toEqual([]);
  });
});
