import { useState } from 'preact/hooks';
import { fmt, t } from '@/components/l10n';
import type { CrawlLink } from '@/utils/crawl/types';
import type { SourceShown } from '@/utils/highlight/show-in-tab';

/** Opens a source page in a new tab with the link shown on it; resolves with what became of it. */
export type ShowSource = (pageUrl: string, linkUrl: string, verdict: string) => Promise<SourceShown>;

/** Source pages listed under a problem link. */
const SHOWN_SOURCES = 5;

type Status = SourceShown | { state: 'opening' };

function describe(status: Status): string {
  switch (status.state) {
    case 'opening':
      return t('crawlSource.opening');
    case 'shown':
      return t('crawlSource.shown', status.count, [fmt.count(status.count)]);
    case 'not-found':
      return t('crawlSource.notFound');
    case 'elsewhere':
      return t('crawlSource.elsewhere', { url: status.url });
    case 'unreachable':
      return t('crawlSource.unreachable');
  }
}

/** The pages of the site that hold a problem link; a click opens one with the link scrolled into view and outlined. */
export function LinkSources({ link, showSource }: { link: CrawlLink; showSource: ShowSource }) {
  const [status, setStatus] = useState<Map<string, Status>>(new Map());
  const open = (page: string) => {
    const set = (value: Status) => setStatus((now) => new Map(now).set(page, value));
    set({ state: 'opening' });
    void showSource(page, link.url, link.result?.verdict ?? '').then(set);
  };
  return (
    <ul>
      {link.sources.slice(0, SHOWN_SOURCES).map((s) => {
        const shown = status.get(s.page);
        return (
          <li key={s.page}>
            <button
              type="button"
              class="link"
              data-testid="open-source"
              data-url={s.page}
              onClick={() => open(s.page)}
              title={t('crawlSource.open', { page: s.page })}
            >
              {s.page}
            </button>
            {s.text ? ` — “${s.text}”` : ''}
            {shown ? (
              <span
                class="source-status"
                data-testid="source-status"
                data-state={shown.state}
                data-count={shown.state === 'shown' ? shown.count : ''}
                role="status"
              >
                {describe(shown)}
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
