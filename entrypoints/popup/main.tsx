import { render } from 'preact';
import { browser } from 'wxt/browser';
import { connectRun, type PortLike } from '@/components/connect-run';
import { createRunStore } from '@/components/run-store';
import { countMarks, flashLink, markLinks, PAGE_COLORS } from '@/utils/collect/on-page';
import { RUN_PORT } from '@/utils/protocol';
import '@/components/theme.css';
import { App, type OnPage } from './App';
import './style.css';

const copyText = (text: string) => navigator.clipboard.writeText(text);
const openOptions = () => {
  void browser.runtime.openOptionsPage();
};

async function main() {
  const root = document.getElementById('app') as HTMLElement;
  // `popup.html?tab=<id>` shows the popup of a given tab in a page of its own (where no toolbar popup can be opened,
  // such as a WebDriver BiDi session); otherwise it is the popup of the active tab.
  const asked = Number(new URLSearchParams(location.search).get('tab') ?? Number.NaN);
  const [tab] =
    Number.isInteger(asked) && asked >= 0
      ? [{ id: asked }]
      : await browser.tabs.query({ active: true, currentWindow: true });
  const store = createRunStore();
  if (tab?.id === undefined) {
    store.unavailable.value = 'No tab to check. Click the icon on a web page.';
    render(
      <App
        store={store}
        send={() => {}}
        openReport={() => {}}
        openOptions={openOptions}
        onExport={() => null}
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
  const onExport = (format: string, scope: string) => {
    void browser.tabs.create({
      url: browser.runtime.getURL(`/report.html?tab=${tabId}&export=${format}&scope=${scope}`),
    });
    return null;
  };
  const inPage = <A extends unknown[], R>(func: (...args: A) => R, args: A) =>
    browser.scripting
      .executeScript({ target: { tabId }, func, args })
      .then(([injection]) => injection?.result as R | undefined)
      .catch(() => undefined);
  const onPage: OnPage = {
    show: (url) => void inPage(flashLink, [url]),
    mark: (marks) => void inPage(markLinks, [marks, PAGE_COLORS]),
    // Only a number is taken from the page: nothing it returns is trusted further.
    marked: async () => {
      const n = await inPage(countMarks, []);
      return typeof n === 'number' && Number.isFinite(n) ? n : 0;
    },
  };
  render(
    <App
      store={store}
      send={send}
      onPage={onPage}
      openReport={openReport}
      openOptions={openOptions}
      onExport={onExport}
      copy={copyText}
      tabId={tabId}
    />,
    root,
  );
}

void main();
