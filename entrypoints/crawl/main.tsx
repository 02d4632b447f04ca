import { render } from 'preact';
import { browser } from 'wxt/browser';
import { keepConnected, type PortLike } from '@/components/connect-run';
import { createCrawlSignals } from '@/components/crawl-signals';
import { downloadText } from '@/components/download';
import { markPageLanguage, t } from '@/components/l10n';
import { CRAWL_PORT, type CrawlClientMessage, type CrawlServerMessage, isCrawlOptions } from '@/utils/crawl/protocol';
import { watchHistory } from '@/utils/history/history-changes';
import { createHistory, type History } from '@/utils/history/history-store';
import { siteCheckPath } from '@/utils/history/site-record';
import { openLinkpulseDb } from '@/utils/storage/database';
import '@/components/theme.css';
import '@/components/RunSummary.css';
import { CrawlApp } from './App';
import { showSource } from './source-tab';
import './style.css';

markPageLanguage();
const root = document.getElementById('app') as HTMLElement;
const signals = createCrawlSignals();
const params = new URLSearchParams(location.search);
const tabId = Number(params.get('tab'));
// A finished site check from the history (`?crawl=<id>`), read from IndexedDB: no tab, no port.
const pastCrawlId = params.get('crawl');
// The popup opens this page with the options of a new check (`&start=<json>`): it is started once, from here, so that
// the popup may close at once. A reload must not start it again.
const asked = params.get('start');
const startOptions =
  asked === null
    ? null
    : (() => {
        try {
          const value: unknown = JSON.parse(asked);
          return isCrawlOptions(value) ? value : null;
        } catch {
          return null;
        }
      })();
if (asked !== null) history.replaceState(null, '', `?tab=${tabId}`);

let kept: History | undefined;
const keptChecks = () => {
  kept ??= createHistory(openLinkpulseDb());
  return kept;
};
const historyAccess = {
  siteChecksOf: (startUrl: string) => keptChecks().siteChecksOf(startUrl),
  watch: watchHistory,
  href: siteCheckPath,
};

if (pastCrawlId) {
  render(
    <CrawlApp
      signals={signals}
      send={() => {}}
      download={downloadText}
      showSource={showSource}
      tabId={-1}
      past
      history={historyAccess}
    />,
    root,
  );
  keptChecks()
    .loadSiteCheck(pastCrawlId)
    .then(
      (stored) => {
        if (stored)
          signals.apply({ type: 'crawl-snapshot', meta: stored.meta, pages: stored.pages, links: stored.links });
        else signals.unavailable.value = t('crawl.gone');
      },
      (error) => {
        signals.unavailable.value = t('crawl.unreadable', { problem: (error as Error).message });
      },
    );
} else if (!Number.isInteger(tabId) || tabId < 0) {
  signals.unavailable.value = t('crawl.needsTab');
  render(
    <CrawlApp
      signals={signals}
      send={() => {}}
      download={() => {}}
      showSource={async () => ({ state: 'unreachable' })}
      tabId={-1}
    />,
    root,
  );
} else {
  // A stopped worker closes the port: connect again and watch the same tab; the crawl resumes from IndexedDB.
  const send = keepConnected<CrawlClientMessage, CrawlServerMessage>(
    () => browser.runtime.connect({ name: CRAWL_PORT }) as unknown as PortLike<CrawlClientMessage, CrawlServerMessage>,
    (first) =>
      first && startOptions ? { type: 'crawl-start', tabId, options: startOptions } : { type: 'crawl-watch', tabId },
    signals.apply,
  );
  render(
    <CrawlApp
      signals={signals}
      send={send}
      download={downloadText}
      showSource={showSource}
      tabId={tabId}
      history={historyAccess}
    />,
    root,
  );
}
