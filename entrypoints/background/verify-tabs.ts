import { type Browser, browser } from 'wxt/browser';
import type { KeyValueArea } from '@/utils/run/stored-run';
import { challengeHeader } from '@/utils/verify/challenge-markers';
import { probeDocument, readProbe } from '@/utils/verify/probe';
import { RULES_PER_TAB, tabGuardRules } from '@/utils/verify/tab-guard';
import type { MainFrame } from '@/utils/verify/tab-verdict';
import type { TabOpener, VerifyTab } from '@/utils/verify/verify-links';

/** The tabs the second opinion has open, kept in session storage: a restarted worker closes what it left behind. */
const OPEN_TABS_KEY = 'verify:tabs';

interface Recorder {
  frame: MainFrame;
  allowed: ((target: URL) => boolean) | undefined;
  requestId: string | null;
}

/**
 * The browser side of the second opinion (utils/verify/): opens each link in an inactive, muted tab — a real navigation
 * with the person's cookies that never takes focus — watches its main frame with webRequest, reads the settled
 * document with scripting, and closes it. From a public page the tab is guarded by declarativeNetRequest session rules
 * for that tab alone (tab-guard.ts): a request into the user's own network is blocked before it leaves. Listeners are
 * registered once, at the worker's start.
 */
export function createVerifyTabs(area: KeyValueArea): TabOpener & { closeLeftovers(): Promise<void> } {
  const recorders = new Map<number, Recorder>();
  // Session rules are the verification tabs' only: a stopped worker's are removed once its tabs are closed (not
  // before: a tab still open stays guarded), and new ids start after that.
  let nextRuleId = 1;
  const leftovers = closeLeftoverTabs(area).then(async () => {
    const rules = await browser.declarativeNetRequest.getSessionRules();
    if (rules.length > 0)
      await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: rules.map((r) => r.id) });
  });
  leftovers.catch((error) => console.error('Linkpulse: could not clear what a stopped worker left', error));
  const filter: Browser.webRequest.RequestFilter = { urls: ['<all_urls>'], types: ['main_frame'] };
  const touch = (r: Recorder, change: Partial<MainFrame>) => Object.assign(r.frame, change, { changedAt: Date.now() });

  browser.webRequest.onBeforeRequest.addListener((d) => {
    const r = recorders.get(d.tabId);
    if (!r || d.requestId === r.requestId) return;
    // A new navigation (a challenge's reload, a script's redirect): its document replaces the last one.
    r.requestId = d.requestId;
    touch(r, { loading: true, status: null, url: d.url, hops: [], challengeHeader: null, error: null });
  }, filter);
  browser.webRequest.onBeforeRedirect.addListener((d) => {
    const r = recorders.get(d.tabId);
    if (!r || d.requestId !== r.requestId) return;
    touch(r, { hops: [...r.frame.hops, { url: d.url, status: d.statusCode }], url: d.redirectUrl });
    const target = URL.parse(d.redirectUrl);
    if (r.allowed && (!target || !r.allowed(target))) {
      touch(r, { refused: d.redirectUrl, loading: false });
      // The tab's rules block the hop's request already; stopped here too, in case they could not hold it.
      browser.tabs.remove(d.tabId).catch(() => {});
    }
  }, filter);
  browser.webRequest.onHeadersReceived.addListener(
    (d) => {
      const r = recorders.get(d.tabId);
      if (!r || d.requestId !== r.requestId || (d.statusCode >= 300 && d.statusCode < 400)) return;
      touch(r, { status: d.statusCode, url: d.url, challengeHeader: challengeHeader(d.responseHeaders ?? []) });
    },
    filter,
    ['responseHeaders'],
  );
  browser.webRequest.onCompleted.addListener((d) => {
    const r = recorders.get(d.tabId);
    if (r && d.requestId === r.requestId) touch(r, { loading: false });
  }, filter);
  browser.webRequest.onErrorOccurred.addListener((d) => {
    const r = recorders.get(d.tabId);
    if (r && d.requestId === r.requestId) touch(r, { loading: false, error: d.error });
  }, filter);
  // Closed by the person or with its window (ours are no longer recorded when we close them).
  browser.tabs.onRemoved.addListener((tabId) => {
    const r = recorders.get(tabId);
    if (r) touch(r, { loading: false, closed: true });
  });

  // One write at a time, so two tabs opening together do not lose each other's id.
  let ledger = Promise.resolve();
  const record = (edit: (ids: number[]) => number[]) => {
    ledger = ledger
      .then(async () => {
        const stored = (await area.get(OPEN_TABS_KEY))[OPEN_TABS_KEY];
        const ids = Array.isArray(stored) ? stored.filter((id): id is number => Number.isInteger(id)) : [];
        await area.set({ [OPEN_TABS_KEY]: edit(ids) });
      })
      .catch((error) => console.error('Linkpulse: could not record the verification tabs', error));
    return ledger;
  };

  return {
    async open(url, allowed) {
      // A tab from a previous worker's record might otherwise be closed under this one, and its rules ids collide.
      await leftovers.catch(() => {});
      let tab: Browser.tabs.Tab;
      try {
        // Blank first: the recorder must be in place before the link's request starts.
        tab = await browser.tabs.create({ url: 'about:blank', active: false });
      } catch (error) {
        return { code: 'tab-not-opened', error: String((error as Error)?.message ?? error) };
      }
      const tabId = tab.id;
      if (tabId === undefined) return { code: 'tab-not-opened', error: '' };
      await record((ids) => [...ids, tabId]);
      const frame: MainFrame = {
        status: null,
        url: null,
        hops: [],
        challengeHeader: null,
        error: null,
        loading: true,
        changedAt: Date.now(),
        refused: null,
        closed: false,
      };
      const recorder: Recorder = { frame, allowed, requestId: null };
      recorders.set(tabId, recorder);
      let ruleIds: number[] = [];
      const close = async () => {
        recorders.delete(tabId);
        await browser.tabs.remove(tabId).catch(() => {});
        if (ruleIds.length > 0) {
          await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: ruleIds }).catch(() => {});
        }
        await record((ids) => ids.filter((id) => id !== tabId));
      };
      try {
        if (allowed) {
          const rules = tabGuardRules(tabId, nextRuleId);
          nextRuleId += RULES_PER_TAB;
          // In place before the link's request starts: an unguarded tab is never loaded.
          await browser.declarativeNetRequest.updateSessionRules({ addRules: rules });
          ruleIds = rules.map((rule) => rule.id);
        }
      } catch (error) {
        await close();
        return { code: 'tab-not-opened', error: String((error as Error)?.message ?? error) };
      }
      try {
        await browser.tabs.update(tabId, { url, muted: true });
      } catch (error) {
        await close();
        return { code: 'tab-not-loaded', error: String((error as Error)?.message ?? error) };
      }
      const handle: VerifyTab = {
        frame: () => ({ ...frame }),
        async probe(targets, selectors) {
          try {
            const [injection] = await browser.scripting.executeScript({
              target: { tabId },
              func: probeDocument,
              args: [targets && [...targets], [...selectors]],
            });
            return readProbe(injection?.result, selectors);
          } catch {
            // The tab gone (its onRemoved may come after this answer): said as such, never read as an error page.
            const gone = await browser.tabs.get(tabId).then(
              () => false,
              () => true,
            );
            if (gone && recorders.get(tabId) === recorder) touch(recorder, { loading: false, closed: true });
            // Else the browser's own error page, or a document mid-navigation: nothing to read.
            return null;
          }
        },
        close,
      };
      return handle;
    },

    /** Closes the tabs a stopped worker left open (begun at the worker's start) and removes their rules. */
    closeLeftovers: () => leftovers,
  };
}

/** Closes the tabs a stopped worker recorded as open, before this worker opens any. */
async function closeLeftoverTabs(area: KeyValueArea): Promise<void> {
  const stored = (await area.get(OPEN_TABS_KEY))[OPEN_TABS_KEY];
  if (!Array.isArray(stored) || stored.length === 0) return;
  await Promise.all(stored.map((id) => (Number.isInteger(id) ? browser.tabs.remove(id).catch(() => {}) : null)));
  await area.set({ [OPEN_TABS_KEY]: [] });
}
