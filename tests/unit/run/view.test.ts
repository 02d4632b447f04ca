import { describe, expect, it } from 'vitest';
import { middleEllipsis, selectRows, viewFilter } from '../../../utils/run/view';
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
