import { describe, expect, it } from 'vitest';
import { toJson } from '../../../utils/report/json';
import { buildReport, type Report, scopeReport } from '../../../utils/report/report';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import {
  hostileInput,
  IMG_ONERROR,
  PAGE,
  SCRIPT,
  SCRIPT_URL,
  TIMEOUT_URL,
  UNCHECKED_URL,
  UNICODE_URL,
} from './hostile-run';

const LINK_FIELDS = [
  'url',
  'verdict',
  'status',
  'finalUrl',
  'ms',
  'occurrences',
  'reason',
  'redirects',
  'attempts',
  'texts',
  'cached',
  'errorText',
  'note',
  'change',
];

describe('toJson', () => {
  const report = buildReport(hostileInput());
  const parsed = JSON.parse(toJson(report));

  it('holds exactly the contract fields at the top level', () => {
    expect(Object.keys(parsed)).toEqual([
      'tool',
      'version',
      'page',
      'startedAt',
      'finishedAt',
      'settings',
      'summary',
      'links',
    ]);
    expect(parsed.tool).toBe('Linkpulse');
    expect(parsed.version).toBe(1);
    expect(parsed.page).toEqual(PAGE);
    expect(parsed.startedAt).toBe('2024-01-31T23:30:00.000Z');
    expect(parsed.finishedAt).toBe('2024-01-31T23:30:04.321Z');
    expect(parsed.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('holds the state and the count of every verdict in the summary', () => {
    expect(parsed.summary).toEqual({
      state: 'cancelled',
      total: 8,
      checked: 7,
      ok: 1,
      redirected: 1,
      broken: 2,
      blocked: 1,
      error: 1,
      skipped: 1,
      newProblems: 0,
    });
  });

  it('holds one object per link with exactly the row fields, redirects as url and status', () => {
    expect(parsed.links).toHaveLength(8);
    for (const link of parsed.links) expect(Object.keys(link)).toEqual(LINK_FIELDS);
    expect(parsed.links[0].redirects).toEqual([
      { url: 'http://例え.jp/a,b', status: 302 },
      { url: 'https://例え.jp/"quoted"', status: 301 },
    ]);
  });

  it('round-trips every value, unicode and markup included', () => {
    expect(parsed).toEqual(report);
    expect(parsed.links[0].url).toBe(UNICODE_URL);
    expect(parsed.links.find((l: { url: string }) => l.url === SCRIPT_URL).texts).toEqual([SCRIPT, IMG_ONERROR]);
  });

  it('keeps null for a missing status, final URL, and for a link the cancelled run never checked', () => {
    const timeout = parsed.links.find((l: { url: string }) => l.url === TIMEOUT_URL);
    expect(timeout).toMatchObject({ status: null, finalUrl: null, verdict: 'error', reason: 'timeout' });
    const unchecked = parsed.links.find((l: { url: string }) => l.url === UNCHECKED_URL);
    expect(unchecked).toMatchObject({ verdict: null, status: null, finalUrl: null, ms: null });
  });

  it('leaves out anything riding on the objects beyond the schema', () => {
    const extra = {
      ...report,
      secret: 1,
      page: { ...report.page, favicon: 'x' },
      links: report.links.map((link) => ({ ...link, phase: 'done', redirects: [{ url: 'u', status: 301, t: 1 }] })),
    } as unknown as Report;
    const out = JSON.parse(toJson(extra));
    expect(out).not.toHaveProperty('secret');
    expect(Object.keys(out.page)).toEqual(['url', 'title']);
    expect(Object.keys(out.links[0])).toEqual(LINK_FIELDS);
    expect(out.links[0].redirects).toEqual([{ url: 'u', status: 301 }]);
  });

  it('records a verdict a browser tab settled, with what the tab saw', () => {
    const tab = { status: 200, finalUrl: 'https://a.test/real', title: 'Real', ms: 900, secret: 1 };
    const verified = {
      ...report,
      links: [{ ...report.links[0], verified: 'browser', tab }, report.links[1]],
    } as unknown as Report;
    const out = JSON.parse(toJson(verified));
    expect(out.links[0]).toMatchObject({ verified: 'browser' });
    expect(out.links[0].tab).toEqual({ status: 200, finalUrl: 'https://a.test/real', title: 'Real', ms: 900 });
    expect(out.links[1]).not.toHaveProperty('verified');
  });

  it('writes a problems-only report with the whole run summary', () => {
    const out = JSON.parse(toJson(scopeReport(report, 'problems')));
    expect(out.links).toHaveLength(4);
    expect(out.summary.total).toBe(8);
  });

  it('indents with two spaces and ends with a newline', () => {
    const text = toJson(report);
    expect(text.startsWith('{\n  "tool": "Linkpulse",\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
