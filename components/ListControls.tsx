import type { SortKey } from '@/utils/run/view';

interface Props {
  query: string;
  sort: SortKey;
  onQuery: (query: string) => void;
  onSort: (sort: SortKey) => void;
}

export function ListControls({ query, sort, onQuery, onSort }: Props) {
  return (
    <div class="list-controls">
      <label>
        <span class="sr-only">Filter by URL or link text</span>
        <input
          type="search"
          placeholder="Filter by URL or link text"
          value={query}
          data-testid="search"
          onInput={(e) => onQuery((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        Sort{' '}
        <select
          value={sort}
          data-testid="sort"
          onChange={(e) => onSort((e.target as HTMLSelectElement).value as SortKey)}
        >
          <option value="verdict">Problems first</option>
          <option value="status">Status</option>
          <option value="time">Time</option>
          <option value="url">URL</option>
        </select>
      </label>
    </div>
  );
}
