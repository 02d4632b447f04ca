import { Window } from 'happy-dom';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml, httpHref, REPORT_CSP, toHtml } from '../../../utils/report/html';
import { buildReport, scopeReport } from '../../../utils/report/report';
import {
  COMMA_URL,
  hostileEntries,
  hostileInput,
  IMG_ONERROR,
  IMG_URL,
  JS_URL,
  PAGE,
  SCRIPT,
  SCRIPT_URL,
  UNCHECKED_URL,
} from './hostile-run';

const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
afterAll(() => window.close());

function parse(html: string) {
  return new window.DOMParser().parseFromString(html, 'text/html');
}

describe('toHtml', () => {
  const report = buildReport(hostileInput());
  const html = toHtml(report);
  const doc = parse(html);
  const rows = [...doc.querySelectorAll('tbody tr')];
  const rowOf = (url: string) => rows.find((row) => row.querySelectorAll('td')[2]?.textContent?.startsWith(url));

  it('is a standalone UTF-8 document with a CSP that forbids everything but its inline style', () => {
    expect(html.startsWith('<!doctype html>\n')).toBe(true);
    expect(doc.querySelector('meta[charset]')?.getAttribute('charset')).toBe('utf-8');
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(csp?.getAttribute('content')).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(REPORT_CSP).toBe(csp?.getAttribute('content'));
  });

  it('has no script element and no event-handler attribute anywhere', () => {
    expect(html).not.toMatch(/<script/i);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    for (const element of doc.querySelectorAll('*')) {
      for (const name of element.getAttributeNames()) expect(name).not.toMatch(/^on/i);
    }
  });

  it('loads nothing and embeds nothing: no img, iframe, object, embed, form, base, link or src attribute', () => {
    expect(doc.querySelectorAll('img, iframe, object, embed, form, base, link, [src], [srcset]')).toHaveLength(0);
    expect(doc.querySelectorAll('meta[http-equiv]')).toHaveLength(1);
  });

  it('shows hostile URLs and link texts as text', () => {
    const text = doc.body.textContent ?? '';
    expect(text).toContain(SCRIPT_URL);
    expect(text).toContain(IMG_URL);
    expect(text).toContain(SCRIPT);
    expect(text).toContain(IMG_ONERROR);
    expect(text).toContain('</td></tr></table><script>alert(2)</script>');
    expect(text).toContain(JS_URL);
    expect(doc.querySelector('h1')?.textContent).toBe(`Link report: ${PAGE.title}`);
    expect(doc.title).toBe(`Link report: ${PAGE.title}`);
  });

  it('keeps one table with one row of eight cells per link, whatever the texts close', () => {
    expect(doc.querySelectorAll('table')).toHaveLength(1);
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row.querySelectorAll(':scope > td')).toHaveLength(8);
  });

  it('links only http(s) URLs, with rel noopener noreferrer', () => {
    const anchors = [...doc.querySelectorAll('a')];
    expect(anchors.length).toBeGreaterThan(0);
    for (const a of anchors) {
      expect(a.getAttribute('href')).toMatch(/^https?:\/\//);
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(rowOf(JS_URL)?.querySelector('a')).toBeNull();
    expect(html).not.toMatch(/href="\s*javascript:/i);
  });

  it('escapes quotes in an href so the attribute cannot be closed early', () => {
    const a = rowOf(IMG_URL)?.querySelector('a');
    expect(a?.getAttribute('href')).toBe(new URL(IMG_URL).href);
    expect(a?.getAttributeNames().sort()).toEqual(['href', 'rel', 'target']);
  });

  it('writes the verdict as text and as a colour class, the status, times and occurrences', () => {
    const cellsOf = (url: string) => [...(rowOf(url)?.querySelectorAll('td') ?? [])].map((td) => td.textContent);
    const broken = rowOf(COMMA_URL)?.querySelector('td');
    expect(broken?.textContent).toBe('broken');
    expect(broken?.className).toContain('v-broken');
    expect(cellsOf(COMMA_URL)).toEqual(['broken', '404', expect.any(String), COMMA_URL, '120', '2', 'status', '']);
    expect(cellsOf(UNCHECKED_URL)).toEqual(['not checked', '', expect.any(String), '', '', '1', '', '']);
  });

  it('shows the error text and the cache flag with the reason', () => {
    expect(rows.find((row) => row.textContent?.includes('net::ERR_TIMED_OUT <b>'))).toBeDefined();
    expect(rowOf(SCRIPT_URL)?.querySelectorAll('td')[6]?.textContent).toBe('authfrom cache');
  });

  it('lists the redirect chain hop by hop', () => {
    const hops = [...(rows[0]?.querySelectorAll('.hops li') ?? [])].map((li) => li.textContent);
    expect(hops).toEqual(['302 http://例え.jp/a,b', '301 https://例え.jp/"quoted"']);
  });

  it('shows the count of every verdict of the whole run', () => {
    const counts = [...doc.querySelectorAll('.counts li')].map((li) => li.textContent);
    expect(counts).toEqual([
      '8 links',
      '7 checked',
      '1 ok',
      '1 redirected',
      '2 broken',
      '1 blocked',
      '1 error',
      '1 skipped',
    ]);
  });

  it('styles light and dark with inline CSS only', () => {
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelector('style')?.textContent).toContain('prefers-color-scheme: dark');
    expect(doc.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('shows only the links in scope, and says how many of the run those are', () => {
    const scoped = parse(toHtml(scopeReport(report, 'problems')));
    expect(scoped.querySelectorAll('tbody tr')).toHaveLength(4);
    expect(scoped.body.textContent).toContain('showing 4 of 8');
  });

  it('stays well-formed with hostile data in every field at once', () => {
    const evil = `${SCRIPT}${IMG_ONERROR}'"</table></tbody>&amp;`;
    const entries = hostileEntries().map((entry) => ({
      ...entry,
      texts: [evil],
      ...(entry.result
        ? { result: { ...entry.result, errorText: evil, redirects: [{ url: evil, status: 301 }] } }
        : {}),
    }));
    const hostile = buildReport({ ...hostileInput(), page: { url: evil, title: evil }, entries });
    const out = parse(toHtml(hostile));
    expect(out.querySelectorAll('script, img')).toHaveLength(0);
    expect(out.querySelectorAll('tbody tr')).toHaveLength(8);
    expect(out.querySelector('h1')?.textContent).toBe(`Link report: ${evil}`);
  });
});

describe('escapeHtml', () => {
  it('escapes & < > " and \'', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('httpHref', () => {
  it('gives the normalised URL for http and https, null for any other scheme or a relative URL', () => {
    expect(httpHref('HTTPS://Example.com/a b')).toBe('https://example.com/a%20b');
    expect(httpHref(' javascript:alert(1)')).toBeNull();
    expect(httpHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(httpHref('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(httpHref('//evil.example/')).toBeNull();
    expect(httpHref('not a url')).toBeNull();
  });
});

describe('toHtml of a check compared with the previous one', () => {
  const base = buildReport(hostileInput());
  const [first, second] = base.links;
  if (!first || !second) throw new Error('the hostile run has links');
  const compared = {
    ...base,
    links: base.links.map((link) =>
      link === first
        ? { ...link, change: 'newly-broken' as const }
        : link === second
          ? { ...link, change: 'fixed' as const }
          : link,
    ),
    summary: { ...base.summary, newProblems: 1 },
  };

  it("has a change column saying each row's change, and the count of new problems", () => {
    const doc = parse(toHtml(compared));
    const heads = [...doc.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(heads.slice(0, 3)).toEqual(['Verdict', 'Change', 'Status']);
    const changeOf = (url: string) =>
      [...doc.querySelectorAll('tbody tr')]
        .find((tr) => tr.querySelector('td.url a, td.url')?.textContent?.startsWith(url))
        ?.querySelectorAll('td')[1]?.textContent;
    expect(changeOf(first.url)).toBe('newly broken');
    expect(changeOf(second.url)).toBe('fixed');
    expect(doc.querySelector('.counts .new-problems')?.textContent).toBe('1 new problems');
  });

  it('has neither without a previous check', () => {
    const doc = parse(toHtml(base));
    expect([...doc.querySelectorAll('thead th')].map((th) => th.textContent)).not.toContain('Change');
    expect(doc.querySelector('.counts .new-problems')).toBeNull();
  });
});
