import type { SortKey } from '@/utils/run/view';
import { t } from './l10n';

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
        <span class="sr-only">{t('list.filter')}</span>
        <input
          type="search"
          placeholder={t('list.filter')}
          value={query}
          data-testid="search"
          onInput={(e) => onQuery((e.target as HTMLInputElement).value)}
        />
      </label>
      <label>
        {t('list.sort')}{' '}
        <select
          value={sort}
          data-testid="sort"
          onChange={(e) => onSort((e.target as HTMLSelectElement).value as SortKey)}
        >
          <option value="verdict">{t('list.sortProblems')}</option>
          <option value="status">{t('list.sortStatus')}</option>
          <option value="time">{t('list.sortTime')}</option>
          <option value="url">{t('list.sortUrl')}</option>
        </select>
      </label>
    </div>
  );
}
