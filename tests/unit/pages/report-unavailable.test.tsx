// @vitest-environment happy-dom
// The report page of a tab whose run is gone (the tab went to another page): the words say "click Re-check", and the
// page has that control, which starts a check of the tab as the popup's does.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { createRunSignals } from '../../../components/run-signals';
import { App as Report } from '../../../entrypoints/report/App';
import type { ClientMessage } from '../../../utils/protocol';
import { componentRoot } from '../../support/component-root';

const root = componentRoot();

describe('the report page of a tab without a run', () => {
  it('offers the Re-check its words ask for once the tab went to another page', () => {
    const store = createRunSignals((publish) => publish());
    const sent: ClientMessage[] = [];
    act(() =>
      render(
        <Report store={store} send={(m) => sent.push(m)} download={() => {}} copy={async () => {}} tabId={3} />,
        root(),
      ),
    );
    act(() => store.apply({ type: 'unavailable', tabId: 3, problem: { kind: 'page-changed' } }));
    expect(root().querySelector('[data-testid="unavailable"]')?.textContent).toContain('Re-check');
    const recheck = root().querySelector<HTMLButtonElement>('[data-testid="recheck"]');
    expect(recheck?.textContent).toBe('Re-check');
    act(() => recheck?.click());
    expect(sent).toEqual([{ type: 'recheck', tabId: 3, onlyFailed: false }]);
  });

  it('offers none on a past run from the history, which is not a tab', () => {
    const store = createRunSignals((publish) => publish());
    act(() =>
      render(<Report store={store} send={() => {}} download={() => {}} copy={async () => {}} pastRun />, root()),
    );
    act(() => {
      store.unavailable.value = 'This check is no longer in the history (it was cleared or pruned).';
    });
    expect(root().querySelector('[data-testid="recheck"]')).toBeNull();
  });
});
