import { describe, expect, it } from 'vitest';
import { escapeMarkdownText, markdownCode, toMarkdown } from '../../../utils/report/markdown';
import { buildReport, scopeReport } from '../../../utils/report/report';
import {
  COMMA_URL,
  hostileEntries,
  hostileInput,
  IMG_URL,
  JS_URL,
  PIPE_URL,
  SCRIPT_URL,
  TIMEOUT_URL,
  UNCHECKED_URL,
  UNICODE_URL,
} from './hostile-run';

/** GFM splits a row at every pipe not preceded by a backslash, before any inline parsing. */
function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** A cell's code span as a renderer shows it: the table's `\|` unescaped, one padding space stripped. */
function codeText(cell: string): string {
  const match = /^(`+)([\s\S]*)\1$/.exec(cell);
  if (!match) throw new Error(`not a code span: ${cell}`);
  let content = (match[2] ?? '').replaceAll('\\|', '|');
  if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ')) content = content.slice(1, -1);
  return content;
}

/** The characters a Markdown renderer would still read as markup: backslash escapes and code spans removed. */
function liveMarkup(markdown: string): string {
  let live = '';
  for (let i = 0; i < markdown.length; ) {
    const c = markdown[i] ?? '';
    if (c === '\\' && /[!-/:-@[-`{-~]/.test(markdown[i + 1] ?? '')) {
      i += 2;
    } else if (c === '`') {
      const fence = /^`+/.exec(markdown.slice(i))?.[0] ?? '`';
      const close = markdown.indexOf(fence, i + fence.length);
      if (close === -1) throw new Error(`unclosed code span at ${i}`);
      i = close + fence.length;
    } else {
      live += c;
      i++;
    }
  }
  return live;
}

function tableRows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map(cells);
}

describe('toMarkdown', () => {
  const report = buildReport(hostileInput());
  const md = toMarkdown(report);
  const lines = md.split('\n');
  const lineOf = (url: string) => lines.findIndex((line) => line.includes(markdownCode(url)));

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
    const rows = tableRows(md);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect([5, 2]).toContain(row.length);
    const linkRows = rows.filter((row) => row.length === 5);
    expect(linkRows).toHaveLength(2 + 8 + 2);
  });

  it('shows a URL holding a pipe, backslash and backtick in one cell, exactly as it is', () => {
    const row = tableRows(md).find((r) => r[2]?.includes('example.com/x'));
    expect(row).toHaveLength(5);
    expect(codeText(row?.[2] ?? '')).toBe(PIPE_URL);
  });

  it('shows every link URL exactly, line breaks shown as spaces', () => {
    const urls = tableRows(md)
      .filter((row) => row.length === 5 && row[2] !== 'URL' && row[2] !== '---')
      .map((row) => codeText(row[2] ?? ''));
    const expected = hostileEntries().map((entry) => entry.url.replace(/\r\n|[\r\n]/g, ' '));
    expect([...urls].sort()).toEqual([...expected].sort());
  });

  it('leaves no HTML, link or code syntax outside code spans, even from a hostile title', () => {
    const live = liveMarkup(md);
    expect(live).not.toMatch(/[<>[\]`]/);
    expect(md).toContain('# Link report: Tom\'s "links" \\| &lt;script&gt;alert(1)&lt;/script&gt; \\[click\\]');
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

describe('markdownCode', () => {
  it('uses a fence longer than any run of backticks inside, padded when the content touches a backtick', () => {
    expect(markdownCode('a``b')).toBe('```a``b```');
    expect(markdownCode('`a')).toBe('`` `a ``');
    expect(codeText(markdownCode('`a'))).toBe('`a');
  });

  it('writes nothing for an empty value', () => {
    expect(markdownCode('')).toBe('');
  });
});

describe('escapeMarkdownText', () => {
  it('escapes pipes, backslashes, backticks, brackets and emphasis, and turns < > & into entities', () => {
    expect(escapeMarkdownText('a|b\\c`d[e](f)*g_h~<i>&')).toBe('a\\|b\\\\c\\`d\\[e\\](f)\\*g\\_h\\~&lt;i&gt;&amp;');
  });

  it('writes a line break as a space so it cannot end the table row', () => {
    expect(escapeMarkdownText('a\r\nb\nc\rd')).toBe('a b c d');
  });
});
