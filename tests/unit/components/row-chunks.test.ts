// @vitest-environment happy-dom
// A long table's rows in chunks the browser can skip: any order kept, chunks bounded, each sized by its shown rows.
import { afterEach, describe, expect, it } from 'vitest';
import { createRowChunks, ROW_PX } from '../../../components/row-chunks';
import { random } from '../../support/random';

let table: HTMLTableElement;

function setUp() {
  table = document.createElement('table');
  table.append(document.createElement('thead'));
  document.body.append(table);
}

afterEach(() => table?.remove());

const makeRows = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const row = document.createElement('tr');
    row.dataset.i = String(i);
    return row;
  });

/** The rows in the table's order, chunk after chunk. */
const order = () => [...table.querySelectorAll<HTMLTableRowElement>('tbody > tr')].map((r) => Number(r.dataset.i));
const chunkSizes = () => [...table.querySelectorAll('tbody.chunk')].map((b) => b.childElementCount);

describe('row chunks', () => {
  it('lays rows out in order, a chunk per `size` rows after the head, each sized by its rows', () => {
    setUp();
    const rows = makeRows(120);
    const chunks = createRowChunks(table, 50);
    chunks.layout([...rows].reverse());
    expect(order()).toEqual(rows.map((_, i) => 119 - i));
    expect(chunkSizes()).toEqual([50, 50, 20]);
    expect(table.firstElementChild?.tagName).toBe('THEAD');
    expect(chunks.chunks.map((b) => b.style.containIntrinsicSize)).toEqual([
      `auto ${50 * ROW_PX}px`,
      `auto ${50 * ROW_PX}px`,
      `auto ${20 * ROW_PX}px`,
    ]);
    // A new order with fewer rows: the chunks no longer needed go.
    chunks.layout(rows.slice(0, 30));
    expect(order()).toEqual(rows.slice(0, 30).map((_, i) => i));
    expect(chunkSizes()).toEqual([30]);
  });

  it('keeps any order through many moves, splitting grown chunks and removing emptied ones', () => {
    setUp();
    const size = 5;
    const rows = makeRows(60);
    const chunks = createRowChunks(table, size);
    let model = rows.slice(0, 40);
    chunks.layout(model);
    const pick = random(7);
    let splits = 0;
    for (let move = 0; move < 400; move++) {
      // A frame moves a few rows (or brings new ones), each before the row that follows it in the new order.
      for (let k = 0; k < 1 + pick(3); k++) {
        const row =
          model.length < rows.length && pick(4) === 0
            ? (rows[model.length] as HTMLTableRowElement)
            : model[pick(model.length)];
        model = model.filter((r) => r !== row);
        // Rows pile up at a few places now and then, as verdicts do at the top of a sorted list.
        const at = pick(3) === 0 ? 0 : pick(model.length + 1);
        model.splice(at, 0, row as HTMLTableRowElement);
        chunks.place(row as HTMLTableRowElement, model[at + 1] ?? null);
      }
      const before = chunks.chunks.length;
      chunks.settle();
      if (chunks.chunks.length > before) splits += 1;
      expect(order()).toEqual(model.map((r) => Number(r.dataset.i)));
      for (const n of chunkSizes()) {
        expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThanOrEqual(2 * size);
      }
      expect(chunks.chunks).toEqual([...table.querySelectorAll('tbody.chunk')]);
    }
    expect(splits).toBeGreaterThan(0);
  });

  it('places a row in an empty table, and drops rows, removing a chunk left empty', () => {
    setUp();
    const rows = makeRows(3);
    const chunks = createRowChunks(table, 2);
    chunks.place(rows[0] as HTMLTableRowElement, null);
    chunks.place(rows[1] as HTMLTableRowElement, null);
    chunks.place(rows[2] as HTMLTableRowElement, rows[0] as HTMLTableRowElement);
    chunks.settle();
    expect(order()).toEqual([2, 0, 1]);
    chunks.layout(rows);
    expect(chunkSizes()).toEqual([2, 1]);
    chunks.drop(rows[2] as HTMLTableRowElement);
    chunks.settle();
    expect(chunkSizes()).toEqual([2]);
    expect(chunks.chunks).toHaveLength(1);
  });

  it('sizes a chunk by its shown rows, and forgets the size it was drawn at when a filter changes them', () => {
    setUp();
    const rows = makeRows(4);
    const chunks = createRowChunks(table, 10);
    (rows[1] as HTMLTableRowElement).hidden = true;
    chunks.layout(rows);
    expect(chunks.chunks[0]?.style.containIntrinsicSize).toBe(`auto ${3 * ROW_PX}px`);
    for (const row of rows.slice(0, 3)) row.hidden = true;
    chunks.resizeAll();
    expect(chunks.chunks[0]?.style.containIntrinsicSize).toBe(`${1 * ROW_PX}px`);
    // A row placed again: the chunk's drawn size is remembered from its next drawing on.
    chunks.place(rows[3] as HTMLTableRowElement, null);
    chunks.settle();
    expect(chunks.chunks[0]?.style.containIntrinsicSize).toBe(`auto ${1 * ROW_PX}px`);
  });
});
