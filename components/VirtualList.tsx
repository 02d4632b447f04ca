import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

interface Props {
  count: number;
  rowHeight: number;
  height: number;
  renderRow: (index: number) => ComponentChildren;
  label: string;
}

/**
 * Renders only the rows in view (plus a margin). Rows have one fixed height, which keeps the window arithmetic
 * exact without measuring: a library would add little here.
 */
export function VirtualList({ count, rowHeight, height, renderRow, label }: Props) {
  const [scrollTop, setScrollTop] = useState(0);
  const overscan = 8;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i));
  return (
    <div
      class="virtual-list"
      style={{ height: `${height}px`, overflowY: 'auto', position: 'relative' }}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <div style={{ height: `${count * rowHeight}px`, position: 'relative' }}>
        <ul
          aria-label={label}
          style={{ position: 'absolute', top: `${first * rowHeight}px`, left: 0, right: 0, margin: 0, padding: 0 }}
        >
          {rows}
        </ul>
      </div>
    </div>
  );
}
