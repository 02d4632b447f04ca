// @vitest-environment happy-dom
// What a run's pages say of what became of it: here, a run the history could not keep (storage refused it).
import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { RunMeta } from '../../../utils/run/stored-run';
import { speak } from '../../support/browser-i18n';
import { componentRoot } from '../../support/component-root';

const root = componentRoot();

/** The notices of a finished run whose `kept` is as given, in a browser speaking `lang`. */
async function noticesOf(kept: boolean | undefined, lang = 'en'): Promise<HTMLElement | null> {
  speak(lang, lang);
  vi.resetModules();
  const { PageNotices } = await import('../../../components/PageNotices');
  const meta = { state: 'done', total: 3, truncated: false, ...(kept === undefined ? {} : { kept }) } as RunMeta;
  render(<PageNotices meta={meta} />, root());
  return root().querySelector('[data-testid="not-kept"]');
}

describe('the notice of a run the history could not keep', () => {
  it('is shown when storage refused the run, and says the results are still here to export', async () => {
    const notice = await noticesOf(false);
    expect(notice?.getAttribute('role')).toBe('status');
    expect(notice?.textContent).toMatch(/could not be kept in the history/);
    expect(notice?.textContent).toMatch(/export/);
    expect((await noticesOf(false, 'de'))?.textContent).toMatch(/nicht im Verlauf aufbewahrt/);
  });

  it('is not shown for a run that was kept, or one not (yet) handed to the history', async () => {
    expect(await noticesOf(true)).toBeNull();
    expect(await noticesOf(undefined)).toBeNull();
  });
});
