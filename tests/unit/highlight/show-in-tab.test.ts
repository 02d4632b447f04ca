import { describe, expect, it } from 'vitest';
import {
  LOAD_TIMEOUT_MS,
  RETRY_DELAYS_MS,
  type ShowInTabDeps,
  showLinkInTab,
} from '../../../utils/highlight/show-in-tab';
import type { PageMessage } from '../../../utils/protocol';

const PAGE = 'https://site.test/docs/';
const LINK = 'https://site.test/missing';

/**
 * A browser of one tab: `landsOn` is where the tab ends up (null: it never loads), `answers` what the page script
 * counts on each ask once it is there; `injectable` false stands for a page no script may run in. `goesOn` is a page
 * that navigates after its load (a script redirect, a meta refresh): at once, or during the first pause; the new page
 * has no script of ours until one is injected.
 */
function fakeBrowser(options: {
  landsOn?: string | null;
  answers?: number[];
  injectable?: boolean;
  goesOn?: { to: string; when: 'after the load' | 'in the first pause' };
}) {
  const log: string[] = [];
  const answers = [...(options.answers ?? [])];
  let injected = false;
  let address: string | null = null;
  const navigate = (to: string) => {
    address = to;
    injected = false;
  };
  const deps: ShowInTabDeps = {
    async openTab(url) {
      log.push(`open ${url}`);
      return 7;
    },
    async loaded(tabId, timeoutMs) {
      log.push(`wait ${tabId} ${timeoutMs}`);
      address = options.landsOn === undefined ? PAGE : options.landsOn;
      const landed = address;
      if (options.goesOn?.when === 'after the load') navigate(options.goesOn.to);
      return landed;
    },
    async address() {
      return address;
    },
    async send(tabId, message: PageMessage) {
      log.push(`ask ${tabId} ${JSON.stringify(message)}`);
      if (!injected) throw new Error('Could not establish connection. Receiving end does not exist.');
      return answers.shift() ?? 0;
    },
    async inject(tabId) {
      log.push(`inject ${tabId}`);
      if (options.injectable === false) throw new Error('Cannot access contents of the page');
      injected = true;
    },
    async sleep(ms) {
      log.push(`sleep ${ms}`);
      if (options.goesOn?.when === 'in the first pause' && ms === RETRY_DELAYS_MS[0]) navigate(options.goesOn.to);
    },
  };
  return { deps, log };
}

describe('showing a link on its source page', () => {
  it('opens the page, waits for it to load, puts the script there and shows every occurrence of the link', async () => {
    const { deps, log } = fakeBrowser({ answers: [3] });
    expect(await showLinkInTab(deps, PAGE, LINK, 'broken')).toEqual({ state: 'shown', count: 3 });
    const ask = `ask 7 ${JSON.stringify({ type: 'page-show', url: LINK, verdict: 'broken' })}`;
    expect(log).toEqual([`open ${PAGE}`, `wait 7 ${LOAD_TIMEOUT_MS}`, ask, 'inject 7', ask]);
  });

  it('asks again after short pauses for a link a script adds after the load', async () => {
    const { deps, log } = fakeBrowser({ answers: [0, 0, 2] });
    expect(await showLinkInTab(deps, PAGE, LINK, 'error')).toEqual({ state: 'shown', count: 2 });
    expect(log.filter((l) => l.startsWith('sleep'))).toEqual(['sleep 250', 'sleep 500']);
    expect(log.filter((l) => l === 'inject 7')).toHaveLength(1);
  });

  it('says the link is not on the page once every pause has passed without it', async () => {
    const { deps, log } = fakeBrowser({ answers: [] });
    expect(await showLinkInTab(deps, PAGE, LINK, 'broken')).toEqual({ state: 'not-found' });
    expect(log.filter((l) => l.startsWith('sleep'))).toEqual(RETRY_DELAYS_MS.map((ms) => `sleep ${ms}`));
    expect(log.filter((l) => l.startsWith('ask'))).toHaveLength(RETRY_DELAYS_MS.length + 2);
  });

  it('draws nothing when the tab ends on another site', async () => {
    const { deps, log } = fakeBrowser({ landsOn: 'https://login.other.test/?next=/docs/', answers: [1] });
    expect(await showLinkInTab(deps, PAGE, LINK, 'broken')).toEqual({
      state: 'elsewhere',
      url: 'https://login.other.test/?next=/docs/',
    });
    expect(log.some((l) => l.startsWith('ask') || l.startsWith('inject'))).toBe(false);
  });

  it('draws nothing when the page goes on to another site after its load', async () => {
    const other = 'https://tracker.other.test/landing';
    const { deps, log } = fakeBrowser({ goesOn: { to: other, when: 'after the load' }, answers: [1] });
    expect(await showLinkInTab(deps, PAGE, LINK, 'broken')).toEqual({ state: 'elsewhere', url: other });
    expect(log.some((l) => l.startsWith('ask') || l.startsWith('inject'))).toBe(false);
  });

  it('stops asking when the page goes on to another site while the link is waited for', async () => {
    const other = 'https://tracker.other.test/landing';
    const { deps, log } = fakeBrowser({ goesOn: { to: other, when: 'in the first pause' }, answers: [0, 1] });
    expect(await showLinkInTab(deps, PAGE, LINK, 'broken')).toEqual({ state: 'elsewhere', url: other });
    const afterMove = log.slice(log.indexOf(`sleep ${RETRY_DELAYS_MS[0]}`) + 1);
    expect(afterMove.some((l) => l.startsWith('ask') || l.startsWith('inject'))).toBe(false);
  });

  it('follows a redirect within the site', async () => {
    const { deps } = fakeBrowser({ landsOn: 'https://site.test/docs/index.html', answers: [1] });
    expect(await showLinkInTab(deps, PAGE, LINK, 'broken')).toEqual({ state: 'shown', count: 1 });
  });

  it('gives up when the tab never loads, is closed, or holds a page no script may run in', async () => {
    const never = fakeBrowser({ landsOn: null });
    expect(await showLinkInTab(never.deps, PAGE, LINK, 'broken')).toEqual({ state: 'unreachable' });
    expect(never.log.some((l) => l.startsWith('ask'))).toBe(false);
    const closed = fakeBrowser({ injectable: false });
    expect(await showLinkInTab(closed.deps, PAGE, LINK, 'broken')).toEqual({ state: 'unreachable' });
    expect(closed.log.filter((l) => l.startsWith('sleep'))).toEqual([]);
  });
});
