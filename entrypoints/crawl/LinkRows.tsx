import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { chunkBody, sizeChunk } from '@/components/row-chunks';
import { isLeading, leadingOrder, ROWS_PER_CHUNK, sameRows } from '@/utils/crawl/row-chunks';
import type { CrawlLink } from '@/utils/crawl/types';
import type { Verdict } from '@/utils/types';
import { createLinkRow, type LinkRowParts, paintLinkRow } from './LinkRow';
import type { ShowSource } from './LinkSources';

/** What the DOM holds now. */
interface Placed {
  links: readonly CrawlLink[];
  /** One row per link (with its parts that change), by the link's index (the order the crawl found them). */
  rows: LinkRowParts[];
  /** Chunk k of the links that are not problems: found indexes k·ROWS_PER_CHUNK and up, in that order. */
  rest: HTMLTableSectionElement[];
  /** The problems' chunks, first in the table, and the found indexes they show in order. */
  problems: HTMLTableSectionElement[];
  leading: number[];
  only: Verdict | null;
  redirectsAreProblems: boolean | null;
}

/** Puts each changed link that is not a problem in its chunk, before the next row found after it. */
function placeRest(table: HTMLTableElement, state: Placed, links: readonly CrawlLink[], changed: number[]): void {
  const touched = new Set<HTMLTableSectionElement>();
  for (const i of changed) {
    if (isLeading(links[i] as CrawlLink)) continue;
    const k = Math.floor(i / ROWS_PER_CHUNK);
    while (state.rest.length <= k) state.rest.push(table.appendChild(chunkBody()));
    const body = state.rest[k] as HTMLTableSectionElement;
    const { row } = state.rows[i] as LinkRowParts;
    // The rows of a chunk never change places among themselves: one already in it is where it belongs.
    if (row.parentNode === body) continue;
    let next: HTMLTableRowElement | null = null;
    for (let j = i + 1; j < Math.min(links.length, (k + 1) * ROWS_PER_CHUNK) && !next; j++) {
      if (state.rows[j]?.row.parentNode === body) next = (state.rows[j] as LinkRowParts).row;
    }
    body.insertBefore(row, next);
    touched.add(body);
  }
  for (const body of touched) sizeChunk(body, true);
}

/** Lays the problems out in their chunks in `leading` order, moving only the rows that are not where they belong. */
function placeProblems(table: HTMLTableElement, state: Placed, leading: number[]): void {
  const count = Math.ceil(leading.length / ROWS_PER_CHUNK);
  for (let c = 0; c < count; c++) {
    if (!state.problems[c]) state.problems[c] = table.insertBefore(chunkBody(), state.rest[0] ?? null);
    const body = state.problems[c] as HTMLTableSectionElement;
    let at = body.firstElementChild;
    for (const i of leading.slice(c * ROWS_PER_CHUNK, (c + 1) * ROWS_PER_CHUNK)) {
      const { row } = state.rows[i] as LinkRowParts;
      if (row === at) at = at.nextElementSibling;
      else body.insertBefore(row, at);
    }
    // Rows left after `at` belong to a later chunk and move there next.
  }
  for (const body of state.problems.splice(count)) body.remove();
  for (const body of state.problems) sizeChunk(body, true);
}

export interface LinkRowsProps {
  /** Every link, in the order the crawl found them: a link keeps its index, and a changed link is a new object. */
  links: readonly CrawlLink[];
  /** Show only the links with this verdict (the others stay in the DOM, hidden). */
  only: Verdict | null;
  redirectsAreProblems: boolean;
  showSource: ShowSource;
  label: string;
  /** The table's head. */
  children: ComponentChildren;
}

/**
 * Every link of the site as a table row, kept in the DOM (the outside contract: one row per link; also Ctrl+F and
 * printing): problems first (utils/crawl/row-chunks.ts), then the other links where the crawl found them, the same
 * order while it runs and once it is done. Rows go in chunks of ROWS_PER_CHUNK, each a `tbody` with
 * `content-visibility: auto`, so the browser lays out and paints only the chunks near the screen: the window a
 * virtual list would give, with every row still there. A frame draws only the rows whose link changed, written
 * straight to the DOM (LinkRow.tsx), and moves only rows that become or stop being problems.
 *
 * Measured with `npm run bench -- --only=crawl` (5 000 links): one `content-visibility` row per link, every row
 * sorted and placed again each update, and a Preact render per changed row kept the page's main thread busy the whole
 * check, with long tasks of 0.1–0.6 s.
 */
export function LinkRows({ links, only, redirectsAreProblems, showSource, label, children }: LinkRowsProps) {
  const table = useRef<HTMLTableElement>(null);
  const placed = useRef<Placed>({
    links: [],
    rows: [],
    rest: [],
    problems: [],
    leading: [],
    only: null,
    redirectsAreProblems: null,
  });
  useLayoutEffect(() => {
    const element = table.current;
    if (!element) return;
    const state = placed.current;
    const shown = (link: CrawlLink) => only === null || link.result?.verdict === only;
    const all = redirectsAreProblems !== state.redirectsAreProblems;
    // Another crawl with fewer links: the rows and chunks past its end go.
    for (const { row } of state.rows.splice(links.length)) row.remove();
    for (const body of state.rest.splice(Math.ceil(links.length / ROWS_PER_CHUNK))) body.remove();
    const changed: number[] = [];
    links.forEach((link, i) => {
      if (all || link !== state.links[i]) changed.push(i);
    });
    for (const i of changed) {
      state.rows[i] ??= createLinkRow();
      const parts = state.rows[i];
      const link = links[i] as CrawlLink;
      paintLinkRow(parts, link, redirectsAreProblems, showSource);
      parts.row.hidden = !shown(link);
    }
    placeRest(element, state, links, changed);
    // The problems' order is worked out again only when a problem changed or one appeared: most changes are links
    // that are not problems, and sorting every link each frame was a fixed cost of every frame (measured).
    const leadingBefore = new Set(state.leading);
    const reorder =
      links.length < state.links.length ||
      changed.some((i) => leadingBefore.has(i) || isLeading(links[i] as CrawlLink));
    const leading = reorder ? leadingOrder(links) : state.leading;
    if (!sameRows(leading, state.leading)) placeProblems(element, state, leading);
    if (only !== state.only) {
      links.forEach((link, i) => {
        (state.rows[i] as LinkRowParts).row.hidden = !shown(link);
      });
      for (const body of [...state.problems, ...state.rest]) sizeChunk(body, false);
    }
    Object.assign(state, { links, leading, only, redirectsAreProblems });
  }, [links, only, redirectsAreProblems, showSource]);
  return (
    <table ref={table} class="links" aria-label={label}>
      {children}
    </table>
  );
}
