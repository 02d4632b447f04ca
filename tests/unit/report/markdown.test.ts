import { Window } from 'happy-dom';
import { marked } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import { httpHref } from '../../../utils/report/html';
import { escapeMarkdownText, markdownUrl, toMarkdown } from '../../../utils/report/markdown';
import { buildReport, type Report, scopeReport } from '../../../utils/report/report';
import type { LinkEntry } from '../../../utils/types';
import {
  COMMA_URL,
  hostileInput,
  IMG_URL,
  JS_URL,
  PAGE,
  PIPE_URL,
  SCRIPT_URL,
  TIMEOUT_URL,
  UNCHECKED_URL,
  UNICODE_URL,
} from './hostile-run';

// A backslash before a pipe hides it from a table parser that honours `\|` and not `\\`, but marked reads `\\|` as
// a literal backslash and then a cell boundary: what follows the pipe lands in the next cell as live Markdown.
const EVIL_URL = 'https://evil.example/?q=\\|[Click to verify](javascript:alert(document.domain))';
const EVIL_SCHEME_URL = 'javascript:alert(1)//\\|[x](javascript:alert(2))';
const EVIL_TITLE =
  'T \\|[t](javascript:alert(4)) <img src=x onerror=alert(5)> ![i](javascript:x) *em* _u_ ~~s~~ `c` ##';
const EVIL_REASON = 'status\\|<b>[r](javascript:alert(3))</b>';

function evilEntry(url: string): LinkEntry {
  return {
    url,
    occurrences: 7,
    texts: [],
    phase: 'done',
    result: {
      url,
      verdict: 'broken',
      reason: 'status',
      status: 404,
      finalUrl: url,
      ms: 1,
      attempts: 1,
      redirects: [],
      checkedAt: 0,
    },
  };
}

function evilReport(): Report {
  const input = hostileInput();
  const report = buildReport({
    ...input,
    page: { url: EVIL_URL, title: EVIL_TITLE },
    entries: [...input.entries, evilEntry(EVIL_URL), evilEntry(EVIL_SCHEME_URL)],
  });
  // Reasons come from the checker, not the page; the writer escapes them all the same.
  const links = report.links.map((link) => (link.url === EVIL_URL ? { ...link, reason: EVIL_REASON } : link));
  return { ...report, links };
}

const window = new Window({ settings: { disableJavaScriptEvaluation: true } });
afterAll(() => window.close());

/** The export as a GFM renderer shows it: marked (the renderer linkinator uses), parsed into a DOM. */
function render(markdown: string) {
  return new window.DOMParser().parseFromString(marked.parse(markdown, { async: false, gfm: true }), 'text/html');
}

type Rendered = ReturnType<typeof render>;

/** Each row of the link tables as the text of its cells. */
function renderedRows(doc: Rendered): string[][] {
  return [...doc.querySelectorAll('table')]
    .filter((table) => table.querySelectorAll('th')[2]?.textContent === 'URL')
    .flatMap((table) => [...table.querySelectorAll('tbody tr')])
    .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
}

/** The row every link should have, its URL shown exactly (a line break as a space). */
function expectedRows(report: Report): string[][] {
  return report.links.map((link) => [
    link.verdict ?? 'not checked',
    link.status === null ? '—' : String(link.status),
    link.url.replace(/\r\n|[\r\n]/g, ' '),
    link.reason,
    String(link.occurrences),
  ]);
}

const byUrl = (a: string[], b: string[]) => ((a[2] ?? '') < (b[2] ?? '') ? -1 : 1);

/** marked and cmark-gfm undo percent-encoding differently; compare what the link leads to. */
function destination(href: string | null): string {
  return decodeURIComponent(href ?? '');
}

/** GFM (as marked implements it) splits a row at every pipe behind an even run of backslashes. */
function cellCount(line: string): number {
  let count = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] !== '|') continue;
    let backslashes = 0;
    while (line[i - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) count++;
  }
  return count - 1;
}

describe('toMarkdown', () => {
  const report = buildReport(hostileInput());
  const md = toMarkdown(report);
  const lines = md.split('\n');
  const lineOf = (url: string) => lines.findIndex((line) => line.includes(markdownUrl(url)));

  it('puts the problem table first, then the summary, then the other links', () => {
    const problems = lines.indexOf('## Problems (4)');
    const summary = lines.indexOf('## Summary');
    const others = lines.indexOf('## Other links (4)');
    expect(problems).toBeGreaterThan(0);
    expect(summary).toBeGreaterThan(problems);
    expect(others).toBeGreaterThan(summary);
    for (const url of [COMMA_URL, SCRIPT_URL, IMG_URL, TIMEOUT_URL]) {
      expect(lineOf(url)).toBeGreaterThan(problems);
      expect(lineOf(url)).toBeLessThan(summary);
    }
    for (const url of [UNICODE_URL, PIPE_URL, JS_URL, UNCHECKED_URL]) expect(lineOf(url)).toBeGreaterThan(others);
  });

  it('gives every table row as many cells as its header, whatever the URL holds', () => {
    const counts = lines.filter((line) => line.startsWith('|')).map(cellCount);
    expect(counts.length).toBeGreaterThan(10);
    for (const count of counts) expect([5, 2]).toContain(count);
    expect(counts.filter((count) => count === 5)).toHaveLength(2 + 8 + 2);
  });

  it('renders every link as one whole row, its URL exactly as it is, line breaks shown as spaces', () => {
    const rows = renderedRows(render(md));
    expect(rows.sort(byUrl)).toEqual(expectedRows(report).sort(byUrl));
    expect(rows.map((row) => row[2])).toContain(PIPE_URL);
  });

  it('links an http(s) URL to where the browser would go, and leaves any other scheme as text', () => {
    const doc = render(md);
    for (const link of report.links) {
      const cell = [...doc.querySelectorAll('td')].find((td) => td.textContent === link.url.replace(/\r?\n/g, ' '));
      const anchors = [...(cell?.querySelectorAll('a') ?? [])];
      const href = httpHref(link.url);
      if (href === null) {
        expect(anchors).toHaveLength(0);
      } else {
        expect(anchors).toHaveLength(1);
        expect(destination(anchors[0]?.getAttribute('href') ?? null)).toBe(destination(href));
      }
    }
    expect(md).toContain('| skipped | — | javascript:alert\\(document.cookie\\) | scheme | 1 |');
  });

  it('shows the title and the page URL exactly, even from a hostile title', () => {
    const doc = render(md);
    expect(doc.querySelector('h1')?.textContent).toBe(`Link report: ${PAGE.title}`);
    expect(doc.querySelector('li')?.textContent).toBe(`Page: ${PAGE.url}`);
    expect(md).toContain(
      '# Link report: Tom\'s "links" \\| &lt;script&gt;alert\\(1\\)&lt;/script&gt; \\[click\\]\\(javascript:alert\\(2\\)\\)\n',
    );
  });

  it('counts every verdict of the whole run in the summary table', () => {
    for (const [verdict, count] of Object.entries({ ok: 1, redirected: 1, broken: 2, blocked: 1, error: 1 })) {
      expect(md).toContain(`| ${verdict} | ${count} |`);
    }
    expect(md).toContain('| **checked** | 7 |');
    expect(md).toContain('| **total** | 8 |');
  });

  it("shows a link the cancelled run never checked as 'not checked', a missing status as a dash", () => {
    expect(lines[lineOf(UNCHECKED_URL)]).toMatch(/^\| not checked \| — \|/);
    expect(lines[lineOf(TIMEOUT_URL)]).toMatch(/^\| error \| — \|.*\| timeout \| 1 \|$/);
    expect(md).toContain('- Run: cancelled, started 2024-01-31T23:30:00.000Z, finished 2024-01-31T23:30:04.321Z');
  });

  it('has no other-links section for a problems-only report, and keeps the whole run summary', () => {
    const scoped = toMarkdown(scopeReport(report, 'problems'));
    expect(scoped).not.toContain('## Other links');
    expect(scoped).toContain('| **total** | 8 |');
  });

  it('says so when there is no problem', () => {
    const clean = toMarkdown(scopeReport(buildReport({ ...hostileInput(), entries: [] }), 'all'));
    expect(clean).toContain('## Problems (0)\n\nNone.\n');
  });
});

describe('toMarkdown of a page that writes Markdown into its URLs, title and reasons', () => {
  const report = evilReport();
  const md = toMarkdown(report);
  const doc = render(md);

  it('renders no javascript: link, no image and no HTML of its own', () => {
    for (const el of doc.querySelectorAll('[href], [src]')) {
      expect(el.getAttribute('href') ?? el.getAttribute('src')).toMatch(/^https?:\/\//);
    }
    const tags = new Set([...doc.querySelectorAll('*')].map((el) => el.localName));
    const allowed = ['html', 'head', 'body', 'h1', 'h2', 'ul', 'li', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];
    expect([...tags].filter((tag) => !allowed.includes(tag)).sort()).toEqual(['a', 'strong']);
    expect(doc.querySelectorAll('strong')).toHaveLength(2);
  });

  it('keeps each hostile URL and reason whole in its own cell', () => {
    const rows = renderedRows(doc);
    expect(rows.sort(byUrl)).toEqual(expectedRows(report).sort(byUrl));
    const evil = rows.find((row) => row[2] === EVIL_URL);
    expect(evil).toEqual(['broken', '404', EVIL_URL, EVIL_REASON, '7']);
    expect(rows.find((row) => row[2] === EVIL_SCHEME_URL)).toEqual(['broken', '404', EVIL_SCHEME_URL, 'status', '7']);
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) expect([5, 2]).toContain(cellCount(line));
  });

  it('shows the hostile title and page URL as plain text, the URL linked only to itself', () => {
    expect(doc.querySelector('h1')?.textContent).toBe(`Link report: ${EVIL_TITLE}`);
    const page = doc.querySelector('li');
    expect(page?.textContent).toBe(`Page: ${EVIL_URL}`);
    expect(page?.querySelectorAll('a')).toHaveLength(1);
    expect(destination(page?.querySelector('a')?.getAttribute('href') ?? null)).toBe(destination(httpHref(EVIL_URL)));
  });
});

describe('toMarkdown of a page whose title and links hold bare addresses', () => {
  // GFM links a bare https://, ftp:// or www. address and an e-mail address wherever they stand in text: a title could
  // put a sign-in link of its own into a report pasted into a ticket.
  const title = 'Session expired: sign in at https://evil.example/login, www.evil.example or write to x@evil.example';
  const others = ['ftp://evil.example/x', 'mailto:victim@evil.example', 'news:www.evil.example'];
  const input = hostileInput();
  const report = buildReport({ ...input, page: { ...PAGE, title }, entries: others.map(evilEntry) });
  const doc = render(toMarkdown(report));

  it('shows them as text, as they are, and links nothing but the http(s) URLs it lists', () => {
    const h1 = doc.querySelector('h1');
    expect(h1?.textContent).toBe(`Link report: ${title}`);
    expect(h1?.querySelectorAll('a')).toHaveLength(0);
    for (const url of others) {
      const cell = [...doc.querySelectorAll('td')].find((td) => td.textContent === url);
      expect(cell, url).toBeDefined();
      expect(cell?.querySelectorAll('a'), url).toHaveLength(0);
    }
    expect([...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([httpHref(PAGE.url)]);
  });
});

describe('markdownUrl', () => {
  it('links an http(s) URL inside <>, its text escaped and its destination unable to end early', () => {
    expect(markdownUrl(EVIL_URL)).toBe(
      '[https\\://evil.example/?q=\\\\\\|\\[Click to verify\\]\\(javascript:alert\\(document.domain\\)\\)]' +
        '(<https://evil.example/?q=%5C\\|[Click%20to%20verify](javascript:alert(document.domain))>)',
    );
    expect(markdownUrl('https://x.test/a?b=1&amp;c=<d>')).toBe(
      '[https\\://x.test/a?b=1&amp;amp;c=&lt;d&gt;](<https://x.test/a?b=1\\&amp;c=%3Cd%3E>)',
    );
  });

  it('writes any other scheme as inert text', () => {
    expect(markdownUrl(EVIL_SCHEME_URL)).toBe('javascript:alert\\(1\\)//\\\\\\|\\[x\\]\\(javascript:alert\\(2\\)\\)');
    expect(markdownUrl('data:text/html,<script>alert(1)</script>')).toBe(
      'data:text/html,&lt;script&gt;alert\\(1\\)&lt;/script&gt;',
    );
    expect(markdownUrl('')).toBe('');
  });
});

describe('escapeMarkdownText', () => {
  it('escapes backslashes, pipes and what starts markup, and turns < > & into entities', () => {
    expect(escapeMarkdownText('a|b\\c`d[e](f)*g_h~<i>&!j#k$')).toBe(
      'a\\|b\\\\c\\`d\\[e\\]\\(f\\)\\*g\\_h\\~&lt;i&gt;&amp;\\!j\\#k\\$',
    );
  });

  it('puts every pipe behind an odd run of backslashes, so no renderer reads it as a cell boundary', () => {
    expect(escapeMarkdownText('\\|')).toBe('\\\\\\|');
    expect(escapeMarkdownText('\\\\|')).toBe('\\\\\\\\\\|');
  });

  it('writes a line break as a space so it cannot end the table row', () => {
    expect(escapeMarkdownText('a\r\nb\nc\rd')).toBe('a b c d');
  });
});

describe('toMarkdown of a check compared with the previous one', () => {
  const base = buildReport(hostileInput());
  const [first] = base.links;
  if (!first) throw new Error('the hostile run has links');
  const compared = {
    ...base,
    links: base.links.map((link) => (link === first ? { ...link, change: 'newly-broken' as const } : link)),
    summary: { ...base.summary, newProblems: 1 },
  };

  it("has a change column saying each row's change, and the count of new problems in the summary", () => {
    const doc = render(toMarkdown(compared));
    const tables = [...doc.querySelectorAll('table')];
    const linkTables = tables.filter((t) => t.querySelectorAll('th')[1]?.textContent === 'Change');
    expect(linkTables.length).toBeGreaterThan(0);
    const rows = linkTables.flatMap((t) => [...t.querySelectorAll('tbody tr')]);
    const firstRow = rows.find(
      (tr) => tr.querySelectorAll('td')[3]?.textContent === first.url.replace(/\r\n|[\r\n]/g, ' '),
    );
    expect(firstRow?.querySelectorAll('td')[1]?.textContent).toBe('newly broken');
    const summary = [...doc.querySelectorAll('tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.textContent),
    );
    expect(summary).toContainEqual(['new problems since the last check', '1']);
  });

  it('has neither without a previous check', () => {
    const md = toMarkdown(base);
    expect(md).not.toMatch(/\| Change \|/);
    expect(md).not.toMatch(/new problems/);
  });
});
