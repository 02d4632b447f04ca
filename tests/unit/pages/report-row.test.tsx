// @vitest-environment happy-dom
// One row of the report page's table, drawn by hand (entrypoints/report/LinkRow.tsx): what each cell says, what a
// second drawing changes, and the ignore control in the rows that offer it.
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { createReportRow, paintReportRow, type RowIgnores } from '../../../entrypoints/report/LinkRow';
import type { LinkEntry } from '../../../utils/types';
import { resultOf } from '../../support/fake-run-platform';

const URL_A = 'https://a.test/old';

function cells(row: HTMLTableRowElement): string[] {
  return [...row.cells].map((td) => td.textContent ?? '');
}

function ignoresSpy() {
  const calls: string[] = [];
  const ignores: RowIgnores = {
    links: new Map(),
    ignore: (url, note) => calls.push(`ignore ${url} "${note}"`),
    unignore: (url) => calls.push(`unignore ${url}`),
  };
  return { calls, read: () => ignores };
}

describe('a report row', () => {
  it('says in its cells what the entry says, and writes the report data on the row', () => {
    const p = createReportRow();
    const entry: LinkEntry = {
      url: URL_A,
      occurrences: 2,
      texts: [],
      frames: ['https://a.test/frame'],
      phase: 'done',
      before: 'ok',
      result: {
        ...resultOf(URL_A, 'redirected'),
        status: 200,
        finalUrl: 'https://a.test/new',
        redirects: [{ url: URL_A, status: 301 }],
        cached: true,
        ms: 120,
        reason: 'redirect',
      },
    };
    paintReportRow(p, entry, false, { ignored: undefined, ignores: null });
    const [verdict, status, , url, finalUrl, occurrences, reason, change, ignore] = cells(p.row);
    expect(verdict).toBe('Redirected');
    expect(p.row.cells[0]?.firstElementChild?.className).toBe('verdict v-redirected');
    expect([status, url, finalUrl, occurrences]).toEqual(['200', URL_A, 'https://a.test/new', '2']);
    expect(p.row.cells[5]?.title).toBe('In a frame: https://a.test/frame');
    expect(reason).toContain('(cached) · 301');
    // Was fine before and is fine now: no change to show. No ignore offered where none may be.
    expect([change, ignore]).toEqual(['', '']);
    expect(p.row.dataset).toMatchObject({ testid: 'link-row', url: URL_A, verdict: 'redirected', status: '200' });
  });

  it('drawn again for a broken link: its cells follow, empty ones hold no text, and it offers to ignore it', () => {
    const p = createReportRow();
    const spy = ignoresSpy();
    const pending: LinkEntry = { url: URL_A, occurrences: 1, texts: [], phase: 'queued', before: 'ok' };
    paintReportRow(p, pending, false, { ignored: undefined, ignores: spy.read });
    expect(cells(p.row)[0]).toBe('Queued');
    expect(p.row.querySelector('[data-testid="ignore"]')).toBeNull();
    const broken: LinkEntry = { ...pending, phase: 'done', result: resultOf(URL_A, 'broken') };
    paintReportRow(p, broken, true, { ignored: undefined, ignores: spy.read });
    expect(p.row.hidden).toBe(true);
    expect(p.row.dataset.verdict).toBe('broken');
    expect(cells(p.row)[1]).toBe('404');
    // No final URL: the cell is empty, not an empty text node.
    expect(p.row.cells[4]?.childNodes.length).toBe(0);
    expect(cells(p.row)[7]).toBe('Newly broken');
    document.body.append(p.row);
    act(() => (p.row.querySelector('[data-testid="ignore"]') as HTMLElement).click());
    const note = p.row.querySelector<HTMLInputElement>('[data-testid="ignore-note"]') as HTMLInputElement;
    act(() => {
      note.value = 'gone for good';
      note.dispatchEvent(new Event('input', { bubbles: true }));
    });
    act(() => (p.row.querySelector('[data-testid="ignore-confirm"]') as HTMLElement).click());
    expect(spy.calls).toEqual([`ignore ${URL_A} "gone for good"`]);
    // Ignored: the row offers to take it back; fixed and not ignored: it offers nothing.
    paintReportRow(p, broken, false, { ignored: { site: 'a.test', url: URL_A, note: '', at: 1 }, ignores: spy.read });
    act(() => (p.row.querySelector('[data-testid="unignore"]') as HTMLElement).click());
    expect(spy.calls[1]).toBe(`unignore ${URL_A}`);
    paintReportRow(p, { ...broken, result: resultOf(URL_A, 'ok') }, false, { ignored: undefined, ignores: spy.read });
    expect(p.row.cells[8]?.childNodes.length).toBe(0);
    expect(cells(p.row)[7]).toBe('');
    // Ended where it started: no final URL shown.
    expect(p.row.cells[4]?.childNodes.length).toBe(0);
    p.row.remove();
  });

  it("lets the keyboard open a row's details: the redirect chain, the browser's error text, the archive's copy", () => {
    const p = createReportRow();
    const entry: LinkEntry = {
      url: URL_A,
      occurrences: 1,
      texts: [],
      phase: 'done',
      result: {
        ...resultOf(URL_A, 'broken'),
        finalUrl: 'https://a.test/new',
        redirects: [{ url: URL_A, status: 301 }],
        errorText: 'net::ERR_HTTP_RESPONSE_CODE_FAILURE',
      },
    };
    paintReportRow(p, entry, false, { ignored: undefined, ignores: null });
    // A summary is in the Tab order and opens its details with Enter or Space; a tooltip is for the mouse only.
    const details = p.row.cells[6]?.querySelector('details');
    expect(details?.querySelector('summary')?.textContent).toBe('HTTP error status · 301');
    expect(details?.textContent).toContain(`301 ${URL_A}`);
    expect(details?.textContent).toContain('404 https://a.test/new');
    expect(details?.textContent).toContain('net::ERR_HTTP_RESPONSE_CODE_FAILURE');
    expect(details?.querySelector('a[data-testid="archive-link"]')?.getAttribute('href')).toBe(
      `https://web.archive.org/web/${URL_A}`,
    );
    // Opened, then the row drawn for another run's link: that link's details start closed.
    (details as HTMLDetailsElement).open = true;
    const other = 'https://a.test/other';
    paintReportRow(p, { ...entry, url: other, result: { ...entry.result, url: other } as LinkEntry['result'] }, false, {
      ignored: undefined,
      ignores: null,
    });
    expect(p.row.cells[6]?.querySelector('details')?.open).toBe(false);
    // Drawn again for the same link, fixed: nothing more to say, no details to open.
    paintReportRow(p, { ...entry, result: resultOf(URL_A, 'ok') }, false, { ignored: undefined, ignores: null });
    expect(p.row.cells[6]?.querySelector('details')).toBeNull();
    expect(p.row.cells[6]?.childNodes.length).toBe(0);
  });
});
