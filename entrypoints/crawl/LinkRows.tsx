import { render } from 'preact';
import { useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import { ChangeBadge } from '@/components/change';
import { resultTrail } from '@/components/LinkDetails';
import { fmt, t } from '@/components/l10n';
import { reasonText } from '@/components/reason-words';
import { VerdictBadge } from '@/components/VerdictBadge';
import type { CrawlLink } from '@/utils/crawl/types';
import { entryChange } from '@/utils/history/diff';
import { isProblem } from '@/utils/report/report';
import type { Verdict } from '@/utils/types';
import { LinkSources, type ShowSource } from './LinkSources';

const ORDER: Record<Verdict, number> = { broken: 0, error: 1, blocked: 2, redirected: 3, skipped: 4, ok: 5 };

/** Problems first (broken, error, blocked), then the rest; unchecked links last; by URL within each. */
function byProblem(a: CrawlLink, b: CrawlLink): number {
  const va = a.result ? ORDER[a.result.verdict] : 9;
  const vb = b.result ? ORDER[b.result.verdict] : 9;
  return va - vb || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);
}

/** The rank of a link while the crawl runs: its verdict's for a problem, the same for all the rest. */
const PROBLEM_RANK = ORDER.blocked + 1;
const liveRank = (link: CrawlLink) => Math.min(link.result ? ORDER[link.result.verdict] : 9, PROBLEM_RANK);

/**
 * The display order (indexes into `links`). While the crawl runs, problems come first and every other link stays
 * where it was found: a verdict that is not a problem moves no row (moving thousands of rows as their verdicts arrive
 * kept the page's style and layout busy). Once it is done, everything is in order.
 */
function displayOrder(links: readonly CrawlLink[], running: boolean): number[] {
  const order = links.map((_, i) => i);
  const at = (i: number) => links[i] as CrawlLink;
  if (!running) return order.sort((a, b) => byProblem(at(a), at(b)));
  return order.sort((a, b) => {
    const ra = liveRank(at(a));
    const rb = liveRank(at(b));
    if (ra !== rb) return ra - rb;
    return ra < PROBLEM_RANK ? byProblem(at(a), at(b)) : a - b;
  });
}

interface CellProps {
  link: CrawlLink;
  redirectsAreProblems: boolean;
  showSource: ShowSource;
}

function RowCells({ link, redirectsAreProblems, showSource }: CellProps) {
  const r = link.result;
  const problem = r ? isProblem(r.verdict, redirectsAreProblems) : false;
  return (
    <>
      <td>
        <VerdictBadge entry={link} /> <ChangeBadge change={entryChange(link)} />
      </td>
      <td>{r?.status ?? null}</td>
      <td class="url">{link.url}</td>
      <td title={resultTrail(r)}>{r?.reason ? reasonText(r.reason) : null}</td>
      <td class="sources">
        {t('crawl.sourcePages', link.sourceCount, [fmt.count(link.sourceCount)])}
        {problem ? <LinkSources link={link} showSource={showSource} /> : null}
      </td>
    </>
  );
}

/** The row's data-*: the report's (the outside contract) plus how many pages hold the link. */
function paint(row: HTMLTableRowElement, link: CrawlLink, hidden: boolean, cells: Omit<CellProps, 'link'>): void {
  const r = link.result;
  const data: Record<string, string> = {
    'data-testid': 'link-row',
    'data-url': link.url,
    'data-verdict': r?.verdict ?? '',
    'data-status': r?.status == null ? '' : String(r.status),
    'data-final-url': r?.finalUrl ?? '',
    'data-ms': r ? String(r.ms) : '',
    'data-occurrences': String(link.occurrences),
    'data-reason': r?.reason ?? '',
    'data-verified': '',
    'data-change': entryChange(link),
    'data-sources': String(link.sourceCount),
  };
  for (const [name, value] of Object.entries(data)) row.setAttribute(name, value);
  row.hidden = hidden;
  render(<RowCells link={link} {...cells} />, row);
}

interface Painted {
  links: readonly CrawlLink[];
  rows: HTMLTableRowElement[];
  order: readonly number[];
  only: Verdict | null;
  redirectsAreProblems: boolean | null;
}

interface Props {
  /** Every link, in the order the crawl found them: a link keeps its index, and a changed link is a new object. */
  links: readonly CrawlLink[];
  /** Show only the links with this verdict (the others stay in the DOM, hidden). */
  only: Verdict | null;
  /** The crawl is still going: only problems are sorted (see displayOrder). */
  running: boolean;
  redirectsAreProblems: boolean;
  showSource: ShowSource;
}

/**
 * Every link of the site as a table row, kept in the DOM (Ctrl+F, printing), problems first. Rows are placed by hand,
 * as on the report page (entrypoints/report/LinkRows.tsx): a keyed Preact list of 5 000 rows re-rendered and re-sorted
 * on every update kept the crawl page's main thread busy for the whole check (a core of CPU, long tasks of seconds,
 * measured by `npm run bench -- --only=crawl`). Here an update paints only the rows whose link changed and moves just
 * them to their place; while the crawl runs, only problems move (see displayOrder).
 */
export function LinkRows({ links, only, running, redirectsAreProblems, showSource }: Props) {
  const body = useRef<HTMLTableSectionElement>(null);
  const painted = useRef<Painted>({ links: [], rows: [], order: [], only: null, redirectsAreProblems: null });
  const order = useMemo(() => displayOrder(links, running), [links, running]);
  useLayoutEffect(() => {
    const tbody = body.current;
    if (!tbody) return;
    const state = painted.current;
    const shown = (link: CrawlLink) => only === null || link.result?.verdict === only;
    const changed = new Set<number>();
    const all = redirectsAreProblems !== state.redirectsAreProblems;
    links.forEach((link, i) => {
      if (all || link !== state.links[i]) changed.add(i);
    });
    // Another crawl with fewer links: the rows past its end go.
    for (const row of state.rows.splice(links.length)) row.remove();
    for (const i of changed) {
      const row = state.rows[i] ?? document.createElement('tr');
      state.rows[i] = row;
      paint(row, links[i] as CrawlLink, !shown(links[i] as CrawlLink), { redirectsAreProblems, showSource });
    }
    // From the end: each changed row goes before its successor, which is already where it belongs.
    let next: HTMLTableRowElement | null = null;
    for (let p = order.length - 1; p >= 0; p--) {
      const i = order[p] as number;
      const row = state.rows[i] as HTMLTableRowElement;
      if (changed.has(i) || row.nextElementSibling !== next) tbody.insertBefore(row, next);
      next = row;
    }
    if (only !== state.only) {
      links.forEach((link, i) => {
        if (!changed.has(i)) (state.rows[i] as HTMLTableRowElement).hidden = !shown(link);
      });
    }
    Object.assign(state, { links, order, only, redirectsAreProblems });
  }, [links, order, only, redirectsAreProblems, showSource]);
  return <tbody ref={body} />;
}
