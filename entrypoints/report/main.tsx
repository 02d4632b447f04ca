import { render } from 'preact';
import { browser } from 'wxt/browser';
import { connectRun, type PortLike } from '@/components/connect-run';
import { downloadText } from '@/components/download';
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
  render(<App store={store} send={send} download={downloadText} tabId={tabId} />, root);
}
