import { useEffect, useState } from 'preact/hooks';
import { CRAWL_LIMITS, type CrawlOptions } from '@/utils/crawl/types';
import { t } from './l10n';

interface Props {
  /** The options' defaults (from the settings), once read. */
  defaults: CrawlOptions | null;
  start: (options: CrawlOptions) => void;
}

const clamp = (value: number, { min, max }: { min: number; max: number }, fallback: number) =>
  Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;

/**
 * "Check this site": one click starts a site check with the defaults from the options; the start dialog beside it
 * changes them for this check only (depth, pages, this folder only, and "as me" with the person's cookies).
 */
export function SiteCheckStart({ defaults, start }: Props) {
  const [options, setOptions] = useState<CrawlOptions | null>(defaults);
  useEffect(() => setOptions(defaults), [defaults]);
  const current = options ?? defaults;
  const set = (change: Partial<CrawlOptions>) => current && setOptions({ ...current, ...change });
  return (
    <div class="site-check">
      <button type="button" data-testid="crawl-start" disabled={!current} onClick={() => current && start(current)}>
        {t('siteCheck.start')}
      </button>
      <details>
        <summary>{t('siteCheck.options')}</summary>
        {current ? (
          <div class="site-check-options">
            <label>
              {t('siteCheck.depth')}{' '}
              <input
                type="number"
                data-testid="crawl-depth"
                min={CRAWL_LIMITS.maxDepth.min}
                max={CRAWL_LIMITS.maxDepth.max}
                value={current.maxDepth}
                onInput={(e) =>
                  set({
                    maxDepth: clamp(
                      Number((e.currentTarget as HTMLInputElement).value),
                      CRAWL_LIMITS.maxDepth,
                      current.maxDepth,
                    ),
                  })
                }
              />
            </label>
            <label>
              {t('siteCheck.pages')}{' '}
              <input
                type="number"
                data-testid="crawl-pages"
                min={CRAWL_LIMITS.maxPages.min}
                max={CRAWL_LIMITS.maxPages.max}
                value={current.maxPages}
                onInput={(e) =>
                  set({
                    maxPages: clamp(
                      Number((e.currentTarget as HTMLInputElement).value),
                      CRAWL_LIMITS.maxPages,
                      current.maxPages,
                    ),
                  })
                }
              />
            </label>
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
