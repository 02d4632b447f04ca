// The popup and the report page of one tab rendered over a run store in happy-dom, as the tests of both pages use them.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { RunSignals } from '../../components/run-signals';
import { App as Popup } from '../../entrypoints/popup/App';
import { App as Report } from '../../entrypoints/report/App';

/** The tab both pages show. */
export const PAGE_TAB = 3;

/**
 * Renders the popup or the report page of tab PAGE_TAB over `store` into a new element of the document (the caller
 * unmounts it); `download` receives what an export saves.
 */
export function renderRunPage(
  page: 'popup' | 'report',
  store: RunSignals,
  download: (fileName: string, mime: string, text: string) => void = () => {},
): HTMLElement {
  const host = document.createElement('div');
  document.body.append(host);
  act(() => {
    render(
      page === 'popup' ? (
        <Popup
          store={store}
          send={() => {}}
          openReport={() => {}}
          openOptions={() => {}}
          download={download}
          copy={async () => {}}
          onPage={{ show() {}, mark() {}, marked: async () => 0 }}
          tabId={PAGE_TAB}
        />
      ) : (
        <Report store={store} send={() => {}} download={download} copy={async () => {}} tabId={PAGE_TAB} />
      ),
      host,
    );
  });
  return host;
}
