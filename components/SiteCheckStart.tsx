import { useEffect, useState } from 'preact/hooks';
import { CRAWL_LIMITS, type CrawlOptions } from '@/utils/crawl/types';
import { t } from './l10n';

interface Props {
  /** The options' defaults (from the settings), once read. */
  defaults: CrawlOptions | null;
  start: (options: CrawlOptions) => void;
}

type NumberOption = 'maxDepth' | 'maxPages';

/** The whole number a field's text reads as, held within its limits; null while it reads as none (empty, half-typed). */
function readNumber(text: string, { min, max }: { min: number; max: number }): number | null {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : null;
}

/**
 * "Check this site": one click starts a site check with the defaults from the options; the start dialog beside it
 * changes them for this check only (depth, pages, this folder only, and "as me" with the person's cookies).
 */
export function SiteCheckStart({ defaults, start }: Props) {
  const [options, setOptions] = useState<CrawlOptions | null>(defaults);
  // A number field shows what is typed while it is edited: putting a value in place of an emptied field would run the
  // next keys into it (cleared, then "200" typed, read 1200). Leaving the field shows the value the check will use.
  const [typed, setTyped] = useState<Partial<Record<NumberOption, string>>>({});
  useEffect(() => setOptions(defaults), [defaults]);
  const current = options ?? defaults;
  const set = (change: Partial<CrawlOptions>) => current && setOptions({ ...current, ...change });
  const numberField = (key: NumberOption, testid: string, label: string) =>
    current ? (
      <label>
        {label}{' '}
        <input
          type="number"
          data-testid={testid}
          min={CRAWL_LIMITS[key].min}
          max={CRAWL_LIMITS[key].max}
          value={typed[key] ?? current[key]}
          onInput={(e) => {
            const text = (e.currentTarget as HTMLInputElement).value;
            setTyped((was) => ({ ...was, [key]: text }));
            const value = readNumber(text, CRAWL_LIMITS[key]);
            if (value !== null) set({ [key]: value });
          }}
          onBlur={() => setTyped((was) => ({ ...was, [key]: undefined }))}
        />
      </label>
    ) : null;
  return (
    <div class="site-check">
      <button type="button" data-testid="crawl-start" disabled={!current} onClick={() => current && start(current)}>
        {t('siteCheck.start')}
      </button>
      <details>
        <summary>{t('siteCheck.options')}</summary>
        {current ? (
          <div class="site-check-options">
            {numberField('maxDepth', 'crawl-depth', t('siteCheck.depth'))}
            {numberField('maxPages', 'crawl-pages', t('siteCheck.pages'))}
            <label>
              <input
                type="checkbox"
                data-testid="crawl-same-path"
                checked={current.samePathOnly}
                onChange={(e) => set({ samePathOnly: (e.currentTarget as HTMLInputElement).checked })}
              />{' '}
              {t('siteCheck.samePath')}
            </label>
            <label>
              <input
                type="checkbox"
                data-testid="crawl-as-me"
                checked={current.asMe}
                onChange={(e) => set({ asMe: (e.currentTarget as HTMLInputElement).checked })}
              />{' '}
              {t('siteCheck.asMe')}
            </label>
          </div>
        ) : null}
      </details>
    </div>
  );
}
