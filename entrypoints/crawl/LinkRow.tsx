import { render } from 'preact';
import { resultTrail } from '@/components/LinkDetails';
import { fmt, t } from '@/components/l10n';
import { addCell, paintBadge, paintChange, setText, setTitle } from '@/components/painted-cells';
import { reasonText } from '@/components/reason-words';
import { type RowData, rowData, writeData } from '@/components/row-data';
import type { CrawlLink } from '@/utils/crawl/types';
import { isProblem } from '@/utils/report/report';
import { LinkSources, type ShowSource } from './LinkSources';

/** A link's row and its parts that change with the link. */
export interface LinkRowParts {
  row: HTMLTableRowElement;
  /** The data-* written last (components/row-data.ts). */
  data: RowData | undefined;
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

/** A new row with its cells: verdict, status, URL, reason, "found on" with a problem's source pages. */
export function createLinkRow(): LinkRowParts {
  const row = document.createElement('tr');
  const first = addCell(row);
  const badge = first.appendChild(document.createElement('span'));
  const change = first.appendChild(document.createElement('span'));
  const status = addCell(row).appendChild(document.createTextNode(''));
  const url = addCell(row, 'url');
  const reason = addCell(row);
  const found = addCell(row, 'sources');
  const sourceCount = found.appendChild(document.createTextNode(''));
  const sources = found.appendChild(document.createElement('div'));
  return { row, data: undefined, badge, change, status, url, reason, sourceCount, sources, problem: false };
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
  p: LinkRowParts,
  link: CrawlLink,
  redirectsAreProblems: boolean,
  showSource: ShowSource,
): void {
  // The report's data-* (one function for both: the outside contract) plus how many pages hold the link.
  p.data = writeData(p.row, { ...rowData(link), 'data-sources': String(link.sourceCount) }, p.data);
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
