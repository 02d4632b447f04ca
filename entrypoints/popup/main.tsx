import { render } from 'preact';
import { browser } from 'wxt/browser';
import { connectRun, type PortLike } from '@/components/connect-run';
import { downloadThroughManager } from '@/components/download';
import { markPageLanguage, t } from '@/components/l10n';
import { createRunSignals } from '@/components/run-signals';
import type { CrawlOptions } from '@/utils/crawl/types';
import { crawlOptionsFrom } from '@/utils/crawl/types';
import { askPage, HIGHLIGHT_SCRIPT, type PageChannel } from '@/utils/highlight/ask-page';
import { type PageMessage, RUN_PORT } from '@/utils/protocol';
import { readSettings } from '@/utils/settings-store';
import '@/components/theme.css';
import { App, type OnPage } from './App';
import './style.css';

const copyText = (text: string) => navigator.clipboard.writeText(text);
const openOptions = () => {
  void browser.runtime.openOptionsPage();
};

async function main() {
  markPageLanguage();
  const root = document.getElementById('app') as HTMLElement;
  // `popup.html?tab=<id>` shows the popup of a given tab in a page of its own (where no toolbar popup can be opened,
  // such as a WebDriver BiDi session); otherwise it is the popup of the active tab.
  const asked = Number(new URLSearchParams(location.search).get('tab') ?? Number.NaN);
  const [tab] =
    Number.isInteger(asked) && asked >= 0
      ? [{ id: asked }]
      : await browser.tabs.query({ active: true, currentWindow: true });
  const store = createRunSignals();
  if (tab?.id === undefined) {
    store.unavailable.value = t('popup.noTab');
    render(
      <App
        store={store}
        send={() => {}}
        openReport={() => {}}
        openOptions={openOptions}
        download={() => {}}
        onPage={{ show: () => {}, mark: () => {}, marked: async () => 0 }}
        copy={copyText}
      />,
      root,
    );
    return;
  }
  const tabId = tab.id;
  const send = connectRun(
    () => browser.runtime.connect({ name: RUN_PORT }) as unknown as PortLike,
    tabId,
    true,
    store.apply,
  );
  const openReport = () => {
    void browser.tabs.create({ url: browser.runtime.getURL(`/report.html?tab=${tabId}`) });
  };
  const download = (fileName: string, mime: string, text: string) => {
    void downloadThroughManager(browser.downloads.download, fileName, mime, text).then((problem) => {
      if (problem) console.error(`Linkpulse: could not save ${fileName}: ${problem}`);
    });
  };
  const channel: PageChannel = {
    send: (id, message) => browser.tabs.sendMessage(id, message),
    inject: (id) => browser.scripting.executeScript({ target: { tabId: id }, files: [HIGHLIGHT_SCRIPT] }),
  };
  const toPage = async (message: PageMessage, inject: boolean) => (await askPage(channel, tabId, message, inject)) ?? 0;
  const onPage: OnPage = {
    show: (url) => void toPage({ type: 'page-flash', url }, true),
    mark: (marks) => void toPage({ type: 'page-mark', marks }, marks !== null),
    marked: () => toPage({ type: 'page-count-marks' }, false),
  };
  const startCrawl = (options: CrawlOptions) => {
    // The crawl page starts the check itself (see entrypoints/crawl/main.tsx), so the popup may close at once.
    const start = encodeURIComponent(JSON.stringify(options));
    void browser.tabs.create({ url: browser.runtime.getURL(`/crawl.html?tab=${tabId}&start=${start}`) });
  };
  // Read after the first render, which must not wait for them.
  let shortcut: string | undefined;
  let crawlDefaults: CrawlOptions | null = null;
  const draw = () =>
    render(
      <App
        store={store}
        send={send}
        onPage={onPage}
        shortcut={shortcut}
        crawlDefaults={crawlDefaults}
        startCrawl={startCrawl}
        openReport={openReport}
        openOptions={openOptions}
        download={download}
        copy={copyText}
        tabId={tabId}
      />,
      root,
    );
  draw();
  // The browser may have given the suggested Alt+Shift+L to another extension, or the user changed it: ask.
  void browser.commands
    .getAll()
    .then((commands) => {
      shortcut = commands.find((c) => c.name === '_execute_action')?.shortcut ?? '';
      draw();
    })
    .catch(() => {});
  void readSettings().then((settings) => {
    crawlDefaults = crawlOptionsFrom(settings);
    draw();
  });
}

void main();
