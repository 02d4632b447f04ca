import { entryChange } from '@/utils/history/diff';
import type { LinkEntry } from '@/utils/types';
import { changeText } from './change';
import { badgeOf } from './VerdictBadge';

/**
 * Cells written straight to the DOM, for the tables of thousands of rows (the report page, the crawl page): a Preact
 * render per changed row was most of those pages' main-thread time while a check streams in (measured with
 * `npm run bench:report` and `npm run bench -- --only=crawl`). Each writes only what differs from what it shows.
 */

/** Adds a cell at the end of a row. */
export function addCell(row: HTMLTableRowElement, className?: string): HTMLTableCellElement {
  const td = row.insertCell();
  if (className) td.className = className;
  return td;
}

/** Sets a node's text when it differs: an element that holds only text, or a text node. */
export function setText(node: Text | HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** Sets or takes off an element's tooltip. */
export function setTitle(element: HTMLElement, title: string | undefined): void {
  if (title === undefined) element.removeAttribute('title');
  else if (element.title !== title) element.title = title;
}

/** A verdict badge as VerdictBadge draws it (class, icon drawn by CSS from data-icon, the word). */
export function paintBadge(span: HTMLElement, entry: LinkEntry): void {
  const badge = badgeOf(entry);
  if (span.className !== badge.className) span.className = badge.className;
  if (span.dataset.icon !== badge.icon) span.dataset.icon = badge.icon;
  setText(span, badge.text);
}

/** What changed since the page's previous check, as ChangeBadge draws it; an empty span when nothing did. */
export function paintChange(span: HTMLElement, entry: LinkEntry): void {
  const change = entryChange(entry);
  const className = change ? `change change-${change}` : '';
  if (span.className !== className) span.className = className;
  setText(span, change ? changeText(change) : '');
}
