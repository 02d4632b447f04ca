import { render } from 'preact';
import { browser } from 'wxt/browser';
import { connectRun, type PortLike } from '@/components/connect-run';
import { downloadText } from '@/components/download';
import { isExportFormat } from '@/components/ExportControls';
import { createRunSignals } from '@/components/run-signals';
import { RUN_PORT } from '@/utils/protocol';
import '@/components/theme.css';
import { App } from './App';
import './style.css';

const copyText = (text: string) => navigator.clipboard.writeText(text);
const root = document.getElementById('app') as HTMLElement;
const store = createRunSignals();
const params = new URLSearchParams(location.search);
const tabId = Number(params.get('tab'));
const format = params.get('export');
const pendingExport = isExportFormat(format)
  ? { format, scope: params.get('scope') === 'problems' ? ('problems' as const) : ('all' as const) }
  : undefined;
// The export is done once: a reload of this page must not save the file again.
if (pendingExport) history.replaceState(null, '', `?tab=${tabId}`);
if (!Number.isInteger(tabId) || tabId < 0) {
  store.unavailable.value = 'This report needs a tab: open it from the Linkpulse popup ("Open full report").';
  render(<App store={store} send={() => {}} download={() => {}} copy={copyText} />, root);
} else {
  const send = connectRun(
    () => browser.runtime.connect({ name: RUN_PORT }) as unknown as PortLike,
    tabId,
    false,
    store.apply,
  );
  render(
    <App
      store={store}
      send={send}
      download={downloadText}
      copy={copyText}
      pendingExport={pendingExport}
      tabId={tabId}
    />,
    root,
  );
}
