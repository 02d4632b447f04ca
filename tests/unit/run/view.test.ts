import { describe, expect, it } from 'vitest';
import { middleEllipsis, type SortKey, selectRows, updateRows, viewFilter } from '../../../utils/run/view';
import type { LinkEntry, Verdict } from '../../../utils/types';

function entry(url: string, verdict?: Verdict, status: number | null = null, ms = 0, texts: string[] = []): LinkEntry {
  return {
    url,
    occurrences: 1,
    texts,
    phase: verdict ? 'done' : 'queued',
    result: verdict
      ? { url, verdict, reason: '', status, finalUrl: null, ms, attempts: 1, redirects: [], checkedAt: 0 }
      : undefined,
  };
}

const entries = [
  entry('https://a.test/ok', 'ok', 200, 30),
  entry('https://a.test/gone', 'broken', 404, 10, ['Old page']),
  entry('https://a.test/pending'),
  entry('https://b.test/slow', 'error', null, 900),
  entry('mailto:x@y.z', 'skipped'),
];

describe('selectRows', () => {
  it('puts problems first by default, links still waiting last, and keeps page order among equals', () => {
    expect(selectRows(entries, { verdicts: new Set(), query: '', sort: 'verdict' })).toEqual([1, 3, 0, 4, 2]);
  });
  it('filters by verdict chips', () => {
    expect(selectRows(entries, { verdicts: new Set(['ok', 'error']), query: '', sort: 'verdict' })).toEqual([3, 0]);
  });
  it('filters by URL or link text, ignoring case', () => {
    expect(selectRows(entries, { verdicts: new Set(), query: 'B.TEST', sort: 'url' })).toEqual([3]);
    expect(selectRows(entries, { verdicts: new Set(), query: 'old page', sort: 'url' })).toEqual([1]);
  });
  it('tells whether one entry passes, as the report page hides rows without reordering them', () => {
    expect(entries.map(viewFilter({ verdicts: new Set(['ok', 'error']), query: '' }))).toEqual([
      true,
      false,
      false,
      true,
      false,
    ]);
    expect(entries.map(viewFilter({ verdicts: new Set(), query: ' OLD page ' }))).toEqual([
      false,
      true,
      false,
      false,
      false,
    ]);
  });
  it('sorts by time, status and URL', () => {
    expect(selectRows(entries, { verdicts: new Set(), query: '', sort: 'time' }).slice(0, 2)).toEqual([3, 0]);
    expect(selectRows(entries, { verdicts: new Set(), query: '', sort: 'status' })[0]).toBe(1);
    expect(selectRows(entries, { verdicts: new Set(), query: '', sort: 'url' })[0]).toBe(1);
  });
});

describe('middleEllipsis', () => {
  it('keeps both ends of a long URL', () => {
    const short = middleEllipsis(`https://example.com/${'x'.repeat(100)}/end.html`, 40);
    expect(short).toHaveLength(40);
    expect(short.startsWith('https://example.com/')).toBe(true);
    expect(short.endsWith('end.html')).toBe(true);
    expect(middleEllipsis('short', 40)).toBe('short');
  });
});

describe('updateRows', () => {
  const all = { verdicts: new Set<Verdict>(), query: '', sort: 'verdict' as const };

  it('moves a row that got its verdict from the waiting end to its place, and adds new rows', () => {
    const before = selectRows(entries, all);
    expect(before).toEqual([1, 3, 0, 4, 2]);
    const after = [...entries];
    after[2] = entry('https://a.test/pending', 'broken', 500, 5);
    after[5] = entry('https://c.test/new');
    // The new broken row goes after the broken row before it in page order; the new waiting row last.
    expect(updateRows(before, after, [2, 5], all)).toEqual([1, 2, 3, 0, 4, 5]);
  });

  it('gives what a full sort gives, for every sort and a filter, through a whole run of changes', () => {
    const verdicts: Verdict[] = ['ok', 'broken', 'redirected', 'error', 'blocked', 'skipped'];
    // A deterministic stream: 300 links, judged in batches in a scrambled order, 20 more appearing midway.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const options = [
      ...(['verdict', 'status', 'time', 'url'] as SortKey[]).map((sort) => ({ ...all, sort })),
      { verdicts: new Set<Verdict>(['broken', 'error']), query: '', sort: 'verdict' as const },
      { verdicts: new Set<Verdict>(), query: '/1', sort: 'time' as const },
    ];
    let live = Array.from({ length: 300 }, (_, i) => entry(`https://h${i % 7}.test/${i}`));
    const rows = options.map((o) => selectRows(live, o));
    const order = live.map((_, i) => i).sort(() => random() - 0.5);
    for (let step = 0; order.length > 0; step++) {
      live = [...live];
      const changed = order.splice(0, 1 + Math.floor(random() * 25));
      for (const i of changed) {
        const verdict = verdicts[Math.floor(random() * verdicts.length)] as Verdict;
        const old = live[i] as LinkEntry;
        live[i] = entry(old.url, verdict, 200 + Math.floor(random() * 4) * 100, Math.floor(random() * 50));
      }
      if (step === 5) {
        for (let j = 0; j < 20; j++) live.push(entry(`https://late.test/${j}`));
        changed.push(...Array.from({ length: 20 }, (_, j) => 300 + j));
        order.push(...Array.from({ length: 20 }, (_, j) => 300 + j));
      }
      options.forEach((o, k) => {
        rows[k] = updateRows(rows[k] as number[], live, changed, o);
        expect(rows[k]).toEqual(selectRows(live, o));
      });
    }
  });
});
