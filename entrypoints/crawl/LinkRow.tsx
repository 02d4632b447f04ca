import { render } from 'preact';
import { resultTrail } from '@/components/LinkDetails';
import { fmt, t } from '@/components/l10n';
import { paintBadge, paintChange, setText, setTitle } from '@/components/painted-cells';
import { reasonText } from '@/components/reason-words';
import { rowData, writeData } from '@/components/row-data';
import type { CrawlLink } from '@/utils/crawl/types';
import { isProblem } from '@/utils/report/report';
import { LinkSources, type ShowSource } from './LinkSources';

/** A row's parts that change with its link. */
interface RowParts {
  badge: HTMLSpanElement;
  /** What changed since the previous check from the same start page (components/change.tsx's ChangeBadge). */
  change: HTMLSpanElement;
  status: Text;
  url: HTMLTableCellElement;
  reason: HTMLTableCellElement;
  sourceCount: Text;
  /** Where a problem's source pages are listed (a Preact root). */
  sources: HTMLDivElement;
  problem: boolean;
}

const parts = new WeakMap<HTMLTableRowElement, RowParts>();

function cell(row: HTMLTableRowElement, className?: string): HTMLTableCellElement {
  const td = row.insertCell();
  if (className) td.className = className;
  return td;
}

/** A new row's cells: verdict, status, URL, reason, "found on" with a problem's source pages. */
function build(row: HTMLTableRowElement): RowParts {
  const first = cell(row);
  const badge = first.appendChild(document.createElement('span'));
  const change = first.appendChild(document.createElement('span'));
  const status = cell(row).appendChild(document.createTextNode(''));
  const url = cell(row, 'url');
  const reason = cell(row);
  const found = cell(row, 'sources');
  const sourceCount = found.appendChild(document.createTextNode(''));
  const sources = found.appendChild(document.createElement('div'));
  const made = { badge, change, status, url, reason, sourceCount, sources, problem: false };
  parts.set(row, made);
  return made;
}

const sourcePages = new Map<number, string>();
/** "on N pages" in the user's language, worded once per number. */
function sourcePagesText(count: number): string {
  let words = sourcePages.get(count);
  if (words === undefined) {
    words = t('crawl.sourcePages', count, [fmt.count(count)]);
    sourcePages.set(count, words);
  }
  return words;
}

/**
 * Draws one link into its row, written straight to the DOM (components/painted-cells.ts). A problem's source pages are
 * a Preact component (they hold state: what became of a page opened from them).
 */
export function paintLinkRow(
  row: HTMLTableRowElement,
  link: CrawlLink,
  redirectsAreProblems: boolean,
  showSource: ShowSource,
): void {
  // The report's data-* (one function for both: the outside contract) plus how many pages hold the link.
  writeData(row, { ...rowData(link), 'data-sources': String(link.sourceCount) });
  const p = parts.get(row) ?? build(row);
  setText(p.url, link.url);
  paintBadge(p.badge, link);
  paintChange(p.change, link);
  const r = link.result;
  setText(p.status, r?.status == null ? '' : String(r.status));
  setText(p.reason, r?.reason ? reasonText(r.reason) : '');
  setTitle(p.reason, resultTrail(r));
  setText(p.sourceCount, sourcePagesText(link.sourceCount));
  const problem = r ? isProblem(r.verdict, redirectsAreProblems) : false;
  // Keyed by URL: a row drawn again for another crawl's link starts with no pages opened.
  if (problem) render(<LinkSources key={link.url} link={link} showSource={showSource} />, p.sources);
  else if (p.problem) render(null, p.sources);
  p.problem = problem;
}
