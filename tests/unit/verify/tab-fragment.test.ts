// @vitest-environment happy-dom
// The anchor a tab looks for is the one the check looked for: the fragment as written, then decoded, then by the
// site's id rules (GitHub's user-content- ids), read from the rendered document by the real probe.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleepUnlessAborted } from '../../../utils/check/limiter';
import { probeDocument } from '../../../utils/verify/probe';
import type { TabOutcome } from '../../../utils/verify/tab-verdict';
import { type TabOpener, verifyLinks } from '../../../utils/verify/verify-links';

/** Every link opens on this document (happy-dom's), loaded 200 at the link's own address. */
const renderedTabs: TabOpener = {
  async open(url) {
    const openedAt = Date.now();
    return {
      frame: () => ({
        status: 200,
        url: url.split('#')[0] ?? url,
        hops: [],
        challengeHeader: null,
        error: null,
        loading: false,
        changedAt: openedAt,
        refused: null,
        closed: false,
      }),
      probe: async (...args: Parameters<typeof probeDocument>) => probeDocument(...args),
      close: async () => {},
    };
  },
};

async function verifyOn(url: string): Promise<TabOutcome | undefined> {
  const outcomes = new Map<string, TabOutcome>();
  const done = verifyLinks({
    urls: [url],
    tabs: renderedTabs,
    clock: { now: () => Date.now(), sleep: sleepUnlessAborted },
    tabsAtOnce: 1,
    msPerTab: 20_000,
    signal: new AbortController().signal,
    onStart: () => {},
    onOutcome: (u, outcome) => outcomes.set(u, outcome),
  });
  await vi.advanceTimersByTimeAsync(30_000);
  await done;
  return outcomes.get(url);
}

describe('verifyLinks: the anchor looked for in the rendered document', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    document.title = 'Rendered';
    // As GitHub's file view renders a Markdown heading, by script; and an id that holds an escape as written.
    document.body.innerHTML =
      '<h2>Install</h2><a id="user-content-install" class="anchor" href="#install"></a><p id="a%3Ab">literal</p>';
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('finds GitHub’s user-content- id for a fragment on GitHub, as the check does', async () => {
    const outcome = await verifyOn('https://github.com/o/r/blob/main/README.md#install');
    expect(outcome).toMatchObject({ kind: 'settled', judgement: { verdict: 'ok' } });
  });

  it('finds an id that is the fragment as written, before its decoded form', async () => {
    const outcome = await verifyOn('https://docs.test/page#a%3Ab');
    expect(outcome).toMatchObject({ kind: 'settled', judgement: { verdict: 'ok' } });
  });

  it('keeps the site rule to its site', async () => {
    const outcome = await verifyOn('https://docs.test/README#install');
    expect(outcome).toMatchObject({ kind: 'settled', judgement: { verdict: 'broken', reason: 'fragment-missing' } });
  });
});
