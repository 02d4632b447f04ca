import { render } from 'preact';
import { browser } from 'wxt/browser';
import { connectRun, type PortLike } from '@/components/connect-run';
import { createRunStore } from '@/components/run-store';
import { RUN_PORT } from '@/utils/protocol';
import '@/components/theme.css';
import { App } from './App';
import './style.css';

const copyText = (text: string) => navigator.clipboard.writeText(text);
const openOptions = () => {
  void browser.runtime.openOptionsPage();
};

async function main() {
  const root = document.getElementById('app') as HTMLElement;
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
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
  render(
    <App
      store={store}
      send={send}
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
