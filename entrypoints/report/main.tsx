import { render } from 'preact';
import { browser } from 'wxt/browser';
import { connectRun, type PortLike } from '@/components/connect-run';
import { createRunStore } from '@/components/run-store';
import { RUN_PORT } from '@/utils/protocol';
import '@/components/theme.css';
import { App } from './App';
import './style.css';

const root = document.getElementById('app') as HTMLElement;
const store = createRunStore();
const tabId = Number(new URLSearchParams(location.search).get('tab'));
if (!Number.isInteger(tabId) || tabId < 0) {
  store.unavailable.value = 'This report needs a tab: open it from the Linkpulse popup ("Open full report").';
  render(<App store={store} send={() => {}} download={() => {}} />, root);
} else {
  const send = connectRun(
    () => browser.runtime.connect({ name: RUN_PORT }) as unknown as PortLike,
    tabId,
    false,
    store.apply,
  );
  // An anchor with `download` saves a file in Chrome and Firefox alike, without the downloads permission.
  const download = (fileName: string, mime: string, text: string) => {
    const url = URL.createObjectURL(new Blob([text], { type: mime }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  render(<App store={store} send={send} download={download} tabId={tabId} />, root);
}
