import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { LinkEntry, LinkResult, PageInfo } from '../../../utils/types';

/** A cancelled run over a page whose URLs and link texts try every trick on each export format. */
export const SCRIPT = '<script>alert(1)</script>';
export const IMG_ONERROR = '"><img src=x onerror=alert(1)>';

export const PAGE: PageInfo = {
  url: 'https://Sub.Example.COM:8443/path?x=1',
  title: `Tom's "links" | ${SCRIPT} [click](javascript:alert(2))`,
};

// 23:30 UTC: the local date would differ in any zone east of UTC+0:30, the file name must not.
export const STARTED_AT = Date.UTC(2024, 0, 31, 23, 30, 0);
export const FINISHED_AT = STARTED_AT + 4_321;

function done(url: string, result: Partial<LinkResult> & Pick<LinkResult, 'verdict'>): LinkResult {
  return {
    url,
    reason: '',
    status: 200,
    finalUrl: url,
    ms: 120,
    attempts: 1,
    redirects: [],
    checkedAt: STARTED_AT + 1_000,
    ...result,
  };
}

function entry(url: string, texts: string[], result?: Partial<LinkResult> & Pick<LinkResult, 'verdict'>): LinkEntry {
  return {
    url,
    occurrences: texts.length || 1,
    texts,
    phase: result ? 'done' : 'queued',
    ...(result ? { result: done(url, result) } : {}),
  };
}

export const COMMA_URL = 'https://example.com/a,b"c\r\nd';
export const SCRIPT_URL = `https://example.com/${SCRIPT}`;
export const IMG_URL = `https://example.com/q?x=${IMG_ONERROR}&y='</table>`;
export const PIPE_URL = 'https://example.com/x|y`z\\|w';
export const UNICODE_URL = 'https://例え.jp/パス?q=😀';
export const JS_URL = 'javascript:alert(document.cookie)';
export const TIMEOUT_URL = 'https://down.example/';
export const UNCHECKED_URL = 'https://example.com/later';

export function hostileEntries(): LinkEntry[] {
  return [
    entry(UNICODE_URL, ['مرحبا بالعالم', '日本語のリンク', '👍🏽 emoji'], {
      verdict: 'redirected',
      reason: 'redirect',
      finalUrl: 'https://例え.jp/final',
      ms: 310.6,
      attempts: 3,
      redirects: [
        { url: 'http://例え.jp/a,b', status: 302 },
        { url: 'https://例え.jp/"quoted"', status: 301 },
      ],
    }),
    entry(COMMA_URL, ['Comma, "quote"', 'line\r\nbreak\nand\rmore'], {
      verdict: 'broken',
      reason: 'status',
      status: 404,
    }),
    entry(SCRIPT_URL, [SCRIPT, IMG_ONERROR], { verdict: 'blocked', reason: 'auth', status: 403, cached: true }),
    entry(IMG_URL, ['</td></tr></table><script>alert(2)</script>'], {
      verdict: 'broken',
      reason: 'status',
      status: 500,
    }),
    entry(TIMEOUT_URL, [], {
      verdict: 'error',
      reason: 'timeout',
      status: null,
      finalUrl: null,
      ms: 25_000,
      attempts: 3,
      errorText: 'net::ERR_TIMED_OUT <b>',
    }),
    entry(PIPE_URL, ['-2+3', '@SUM(A1)', '+1', '\tindented'], { verdict: 'ok' }),
    entry(JS_URL, ['=HYPERLINK("http://evil.example","click")'], {
      verdict: 'skipped',
      reason: 'scheme',
      status: null,
      finalUrl: null,
      ms: 0,
      attempts: 0,
    }),
    entry(UNCHECKED_URL, ['not reached']),
  ];
}

export function hostileInput(settings: Partial<Settings> = {}) {
  return {
    page: PAGE,
    startedAt: STARTED_AT,
    finishedAt: FINISHED_AT,
    settings: { ...DEFAULT_SETTINGS, ...settings },
    state: 'cancelled' as const,
    entries: hostileEntries(),
  };
}
