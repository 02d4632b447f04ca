import type { Verdict } from '../types';
import type { CrawlLink } from './types';

/**
 * Rows per chunk: the browser lays out and paints a chunk only while it is near the screen, all of it when a row in it
 * changes; about two screens of rows.
 */
export const ROWS_PER_CHUNK = 50;

const PROBLEM_ORDER: Partial<Record<Verdict, number>> = { broken: 0, error: 1, blocked: 2 };

/** Broken, error and blocked links lead the site check's table, in that order; a link without a verdict does not. */
const problemRank = (link: CrawlLink): number | undefined =>
  link.result ? PROBLEM_ORDER[link.result.verdict] : undefined;

export const isLeading = (link: CrawlLink): boolean => problemRank(link) !== undefined;

/**
 * The problems' found indexes in the order they lead the table: by verdict (broken, error, blocked), then by URL. Every
 * other link keeps the place the crawl found it in, while it runs and once it is done: no row moves when it ends, and
 * a verdict that is not a problem moves no row at all.
 */
export function leadingOrder(links: readonly CrawlLink[]): number[] {
  const leading: number[] = [];
  links.forEach((link, i) => {
    if (isLeading(link)) leading.push(i);
  });
  const rank = (i: number) => problemRank(links[i] as CrawlLink) as number;
  const url = (i: number) => (links[i] as CrawlLink).url;
  return leading.sort((a, b) => rank(a) - rank(b) || (url(a) < url(b) ? -1 : url(a) > url(b) ? 1 : 0));
}

/** Items in their order, as chunks of `size` (the pages of a site check). */
export function cut<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Whether two lists hold the same items, each the same object or value. */
export function sameRows<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
