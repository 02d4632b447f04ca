import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createCrawlSignals } from '@/components/crawl-signals';
import { downloadText } from '@/components/download';
import { markPageLanguage, t } from '@/components/l10n';
import { CRAWL_PORT, type CrawlClientMessage, type CrawlServerMessage, isCrawlOptions } from '@/utils/crawl/protocol';
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

if (!Number.isInteger(tabId) || tabId < 0) {
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
  type Port = {
    postMessage(m: CrawlClientMessage): void;
    onMessage: { addListener(l: (m: CrawlServerMessage) => void): void };
    onDisconnect: { addListener(l: () => void): void };
  };
  let port: Port;
  let first = true;
  // A stopped worker closes the port: connect again and watch the same tab; the crawl resumes from IndexedDB.
  const connect = () => {
    port = browser.runtime.connect({ name: CRAWL_PORT }) as unknown as Port;
    port.onMessage.addListener(signals.apply);
    port.onDisconnect.addListener(() => setTimeout(connect, 100));
    if (first && startOptions) port.postMessage({ type: 'crawl-start', tabId, options: startOptions });
    else port.postMessage({ type: 'crawl-watch', tabId });
    first = false;
  };
  connect();
  render(
    <CrawlApp
      signals={signals}
      send={(m) => port.postMessage(m)}
      download={downloadText}
      showSource={showSource}
      tabId={tabId}
    />,
    root,
  );
}
