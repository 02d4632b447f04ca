import { VERDICTS, type Verdict } from '../types';
import { paletteProperties } from '../verdict-palette';
import { describeSight } from '../verify/describe';
import { CHANGE_WORDS, hasChanges, type Report, type ReportLink, type ReportPage, type ReportSite } from './report';

// Inert even when opened from disk: no script, no fetch, no frame, no form can run or load; only the inline CSS applies.
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in a quoted attribute value alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** The URL as an href only when it is http(s): `javascript:`, `data:` and the like stay text. */
export function httpHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function urlHtml(url: string | null): string {
  if (url === null || url === '') return '';
  const href = httpHref(url);
  const text = escapeHtml(url);
  return href === null ? text : `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">${text}</a>`;
}

function verdictClass(verdict: Verdict | null): string {
  return verdict !== null && VERDICTS.includes(verdict) ? `v-${verdict}` : 'v-none';
}

function redirectsHtml(link: ReportLink): string {
  if (link.redirects.length === 0) return '';
  const hops = link.redirects.map((hop) => `<li>${escapeHtml(String(hop.status))} ${urlHtml(hop.url)}</li>`);
  return `<ol class="hops">${hops.join('')}</ol>`;
}

function reasonHtml(link: ReportLink): string {
  const parts = [escapeHtml(link.reason)];
  if (link.errorText !== '') parts.push(`<div class="detail">${escapeHtml(link.errorText)}</div>`);
  if (link.note !== '') parts.push(`<div class="detail">${escapeHtml(link.note)}</div>`);
  if (link.cached) parts.push('<div class="detail">from cache</div>');
  if (link.tab)
    parts.push(`<div class="detail">${escapeHtml(describeSight(link.tab, link.verified === 'browser'))}</div>`);
  return parts.join('');
}

function textsHtml(texts: string[]): string {
  if (texts.length === 0) return '';
  return `<div class="texts">${texts.map((text) => `“${escapeHtml(text)}”`).join(' · ')}</div>`;
}

function num(value: number | null): string {
  return value === null ? '' : escapeHtml(String(Math.round(value)));
}

/** Where a site check found a link: its first pages, and how many more. */
function foundOnHtml(link: ReportLink): string {
  const pages = (link.sources ?? []).map((s) => `<li>${urlHtml(s.page)}${s.text ? textsHtml([s.text]) : ''}</li>`);
  const more = (link.sourceCount ?? 0) - pages.length;
  return `<ul class="sources">${pages.join('')}${more > 0 ? `<li>and ${num(more)} more</li>` : ''}</ul>`;
}

function pageRow(page: ReportPage): string {
  return [
    '<tr>',
    `<td class="url">${urlHtml(page.url)}${page.title ? `<div class="texts">${escapeHtml(page.title)}</div>` : ''}</td>`,
    `<td class="num">${num(page.status)}</td>`,
    `<td class="num">${num(page.depth)}</td>`,
    `<td class="num">${num(page.links)}</td>`,
    `<td>${escapeHtml(page.note)}</td>`,
    '</tr>',
  ].join('');
}

function pagesHtml(site: ReportSite): string {
  return `<h2>Pages (${num(site.pages.length)})</h2>
<table>
<thead><tr><th>Page</th><th>Status</th><th>Depth</th><th>Links</th><th>Note</th></tr></thead>
<tbody>
${site.pages.map(pageRow).join('\n')}
</tbody>
</table>`;
}

function linkRow(link: ReportLink, site: boolean, changes: boolean): string {
  const cls = verdictClass(link.verdict);
  return [
    `<tr data-verdict="${escapeHtml(link.verdict ?? '')}">`,
    `<td class="verdict ${cls}">${escapeHtml(link.verdict ?? 'not checked')}</td>`,
    changes ? `<td class="change">${link.change === '' ? '' : escapeHtml(CHANGE_WORDS[link.change])}</td>` : '',
    `<td class="num">${num(link.status)}</td>`,
    `<td class="url">${urlHtml(link.url)}${textsHtml(link.texts)}</td>`,
    `<td class="url">${urlHtml(link.finalUrl)}</td>`,
    `<td class="num">${num(link.ms)}</td>`,
    `<td class="num">${num(link.occurrences)}</td>`,
    `<td>${reasonHtml(link)}</td>`,
    `<td class="url">${redirectsHtml(link)}</td>`,
    site ? `<td class="url">${foundOnHtml(link)}</td>` : '',
    '</tr>',
  ].join('');
}

function countsHtml(report: Report, changes: boolean): string {
  const { summary } = report;
  const items = [
    `<li><b>${num(summary.total)}</b> links</li>`,
    `<li><b>${num(summary.checked)}</b> checked</li>`,
    ...VERDICTS.map((verdict) => `<li class="v-${verdict}"><b>${num(summary[verdict])}</b> ${verdict}</li>`),
    ...(changes ? [`<li class="new-problems"><b>${num(summary.newProblems)}</b> new problems</li>`] : []),
  ];
  return `<ul class="counts">${items.join('')}</ul>`;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa;
  ${paletteProperties('light')} }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23;
    ${paletteProperties('dark')} }
}
body { margin: 0 auto; max-width: 1600px; padding: 1.5rem; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; }
h1 { font-size: 1.4rem; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
a { color: inherit; }
.meta { color: var(--muted); margin: 0.2rem 0; overflow-wrap: anywhere; }
.counts { display: flex; flex-wrap: wrap; gap: 0.5rem; list-style: none; padding: 0; margin: 1rem 0; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: 0.3rem 0.7rem; }
.counts b { font-size: 1.1rem; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--line); }
thead th { position: sticky; top: 0; background: var(--head); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.url { overflow-wrap: anywhere; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.texts, .detail { color: var(--muted); font: 12px/1.4 system-ui, sans-serif; }
.verdict { font-weight: 600; white-space: nowrap; }
.verdict::before { content: '\\25CF'; margin-right: 0.3em; }
.hops, .sources { margin: 0; padding-left: 1.2rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
.v-ok { color: var(--ok); } .v-redirected { color: var(--redirected); } .v-broken { color: var(--broken); }
.v-blocked { color: var(--blocked); } .v-error { color: var(--error); } .v-skipped, .v-none { color: var(--skipped); }
@media print { body { padding: 0; } thead th { position: static; } }
`;

/** A standalone report file: every value escaped, no script, and a CSP that keeps it inert wherever it is opened. */
export function toHtml(report: Report): string {
  const title = report.page.title.trim() === '' ? 'Untitled page' : report.page.title;
  const site = report.site !== undefined;
  const changes = hasChanges(report);
  const finished = report.finishedAt === null ? '' : ` · finished ${escapeHtml(report.finishedAt)}`;
  const shown =
    report.links.length === report.summary.total ? '' : ` · showing ${report.links.length} of ${report.summary.total}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Link report: ${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Link report: ${escapeHtml(title)}</h1>
<p class="meta">Page: ${urlHtml(report.page.url)}</p>
<p class="meta">Run ${escapeHtml(report.summary.state)} · started ${escapeHtml(report.startedAt)}${finished}${shown} · ${escapeHtml(report.tool)}</p>
${countsHtml(report, changes)}
<table>
<thead><tr><th>Verdict</th>${changes ? '<th>Change</th>' : ''}<th>Status</th><th>URL</th><th>Final URL</th><th>ms</th><th>Occurrences</th><th>Reason</th><th>Redirects</th>${site ? '<th>Found on</th>' : ''}</tr></thead>
<tbody>
${report.links.map((link) => linkRow(link, site, changes)).join('\n')}
</tbody>
</table>
${report.site ? pagesHtml(report.site) : ''}
</body>
</html>
`;
}
