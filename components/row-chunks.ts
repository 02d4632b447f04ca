/**
 * A long table's rows in chunks, each a `tbody` with `content-visibility: auto` (the `chunk` class in the page's style),
 * so the browser lays out and paints only the chunks near the screen: the window a virtual list would give, with every
 * row still in the DOM (Ctrl+F, printing, the outside contract of one row per link). One such box per chunk rather than
 * per row: the browser checks each box against the screen after every layout, and ten thousand of them made each frame
 * of a streaming report a long task (`npm run bench:report`).
 *
 * The rows keep any order the page gives them: a chunk takes a row placed before one of its rows, grows, and splits in
 * two once it holds more than twice `size` rows; a chunk left empty goes.
 */

import { ROWS_PER_CHUNK } from '@/utils/crawl/row-chunks';

/** A row's height before the browser has drawn it: a chunk off screen is sized by its rows until then. */
export const ROW_PX = 28;

export interface RowChunks {
  /** Puts every row in this order, `size` to a chunk (the first drawing, a new sort). */
  layout(ordered: readonly HTMLTableRowElement[]): void;
  /** Moves `row` just before `next` (into `next`'s chunk), or to the end of the last chunk when `next` is null. */
  place(row: HTMLTableRowElement, next: HTMLTableRowElement | null): void;
  /** Takes `row` out of the table. */
  drop(row: HTMLTableRowElement): void;
  /** After a frame's moves: splits the chunks grown too big, removes the empty ones, sizes the ones that changed. */
  settle(): void;
  /** Rows were shown or hidden all over (a filter): each chunk is sized again from its shown rows. */
  resizeAll(): void;
  /** The chunks, in order (for tests). */
  readonly chunks: readonly HTMLTableSectionElement[];
}

/**
 * The room a chunk takes while the browser skips it: its shown rows at ROW_PX. With `remembered`, the size it was last
 * drawn at once it has been drawn (`auto`); without, that size is forgotten — after a filter, the rows it was drawn
 * with are no longer the rows shown.
 */
export function sizeChunk(body: HTMLTableSectionElement, remembered: boolean): void {
  let shown = 0;
  for (const row of body.children) if (!(row as HTMLElement).hidden) shown += 1;
  const size = `${remembered ? 'auto ' : ''}${shown * ROW_PX}px`;
  if (body.style.containIntrinsicSize !== size) body.style.containIntrinsicSize = size;
}

/** A new, empty chunk: a `tbody` the page's style lets the browser skip while it is off screen. */
export function chunkBody(): HTMLTableSectionElement {
  const body = document.createElement('tbody');
  body.className = 'chunk';
  return body;
}

export function createRowChunks(table: HTMLTableElement, size = ROWS_PER_CHUNK): RowChunks {
  const chunks: HTMLTableSectionElement[] = [];
  const isChunk = new Set<Node>();
  /** Chunks a row came into or left since the last settle. */
  const touched = new Set<HTMLTableSectionElement>();
  const newChunk = (before: Node | null): HTMLTableSectionElement => {
    const body = chunkBody();
    isChunk.add(body);
    return table.insertBefore(body, before);
  };
  const removeChunk = (body: HTMLTableSectionElement): void => {
    isChunk.delete(body);
    body.remove();
  };
  const chunkOf = (row: Node): HTMLTableSectionElement | null => {
    const parent = row.parentNode;
    return parent && isChunk.has(parent) ? (parent as HTMLTableSectionElement) : null;
  };
  /** Moves the rows past the first `size` of an overfull chunk into new chunks right after it. */
  const split = (body: HTMLTableSectionElement): void => {
    const rows = [...body.children].slice(size);
    let at = chunks.indexOf(body) + 1;
    let last = body;
    for (let start = 0; start < rows.length; start += size) {
      last = newChunk(last.nextSibling);
      chunks.splice(at, 0, last);
      last.append(...rows.slice(start, start + size));
      sizeChunk(last, true);
      at += 1;
    }
  };
  return {
    chunks,
    layout(ordered) {
      const count = Math.ceil(ordered.length / size);
      while (chunks.length < count) chunks.push(newChunk(null));
      for (const body of chunks.splice(count)) removeChunk(body);
      chunks.forEach((body, c) => {
        body.replaceChildren(...ordered.slice(c * size, (c + 1) * size));
        sizeChunk(body, true);
      });
      touched.clear();
    },
    place(row, next) {
      const from = chunkOf(row);
      if (from) touched.add(from);
      // A `next` not in the table yet places the row at the end, as a null one does.
      const before = next && chunkOf(next) ? next : null;
      let body = before ? chunkOf(before) : (chunks[chunks.length - 1] ?? null);
      if (!body) {
        body = newChunk(null);
        chunks.push(body);
      }
      body.insertBefore(row, before);
      touched.add(body);
    },
    drop(row) {
      const from = chunkOf(row);
      if (from) touched.add(from);
      row.remove();
    },
    settle() {
      // Splitting first: the new chunks are sized as they are made.
      for (const body of touched) if (body.childElementCount > 2 * size) split(body);
      for (const body of touched) {
        if (body.childElementCount > 0) sizeChunk(body, true);
        else {
          const at = chunks.indexOf(body);
          if (at >= 0) chunks.splice(at, 1);
          removeChunk(body);
        }
      }
      touched.clear();
    },
    resizeAll() {
      for (const body of chunks) sizeChunk(body, false);
    },
  };
}
