import { useState } from 'preact/hooks';
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
      return 'Opening…';
    case 'shown':
      return status.count === 1 ? 'Shown on the page' : `Shown on the page, ${status.count} places`;
    case 'not-found':
      return 'Not on the page as your browser shows it (a script may change the page, or it needs you signed in)';
    case 'elsewhere':
      return `The tab went to another site: ${status.url}`;
    case 'unreachable':
      return 'Could not show it: the tab was closed, did not load in time, or cannot be marked';
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
              title={`Open ${s.page} with this link highlighted`}
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
