// Live pages on fake time: when the page is followed and when not, what a report may add, and route changes.
import { describe, expect, it } from 'vitest';
import { LivePages, type LivePlatform } from '../../../utils/live/live-pages';
import type { LiveCommand } from '../../../utils/protocol';
import { MAX_LINKS } from '../../../utils/run/collection';
import { RunLifecycle } from '../../../utils/run/lifecycle';
import { memoryArea } from '../../../utils/run/session-area';
import { settle } from '../../support/fake-clock';
import { fakeClient, fakeRunPlatform, links } from '../../support/fake-run-platform';

/**
 * A tab's page as the live platform sees it: its script answers commands, connects a port while it follows (as
 * entrypoints/live.content.ts does), or is gone (another document).
 */
function fakeLivePlatform(area = memoryArea()) {
  const commands: LiveCommand[] = [];
  let tokens = 0;
  // `url`: where the document says it is; `tabUrl`: the tab's address as the browser reports it (unknown: undefined).
  // `token`: the token the answering script took last (unset: the last one given, the run's own document's script).
  const page: { url: string; tabUrl?: string; token?: string; gone: boolean; crossOriginFrames: number } = {
    url: 'https://a.test/',
    gone: false,
    crossOriginFrames: 0,
  };
  const script: { port: object | null; pages?: LivePages } = { port: null };
  const platform: LivePlatform = {
    inject: async () => {},
    async command(_tabId, command) {
      if (page.gone) throw new Error('Could not establish connection. Receiving end does not exist.');
      commands.push(command);
      if (command.type === 'live-where') return { href: page.url, token: page.token ?? lastToken() };
      if (command.type === 'live-stop' && script.port) {
        const port = script.port;
        script.port = null;
        script.pages?.detached(1, port);
      }
      if ((command.type === 'live-collect' || command.type === 'live-follow') && !script.port) {
        script.port = {};
        script.pages?.attached(1, script.port);
      }
      if (command.type === 'live-collect') return { crossOriginFrames: page.crossOriginFrames };
      return true;
    },
    tabUrl: async () => page.tabUrl,
    newToken: () => `token-${++tokens}`,
    area,
    sleep: () => new Promise(() => {}),
    log: console,
  };
  const kinds = () => commands.map((c) => c.type);
  const lastToken = () => {
    const last = commands.findLast((c) => c.type === 'live-follow' || c.type === 'live-collect');
    return last && 'token' in last ? last.token : '';
  };
  return { platform, commands, kinds, lastToken, page, script };
}

/** `afterCollect`: what happens once the script collected, while the run is not started yet (the rest handed over). */
async function setup(found = links(2), afterCollect?: () => Promise<void>) {
  const worker = fakeRunPlatform();
  const live = fakeLivePlatform();
  const runs = new RunLifecycle({
    ...worker.platform,
    collect: async (tabId, settings, max) => {
      await pages.collect(tabId, settings, max);
      await afterCollect?.();
      return worker.platform.collect(tabId, settings, max);
    },
  });
  const pages = new LivePages(runs, live.platform);
  live.script.pages = pages;
  worker.openPage(1, found);
  const report = (links: unknown[], extra: Record<string, unknown> = {}) =>
    pages.receive(1, live.script.port, {
      type: 'live-found',
      token: live.lastToken(),
      truncated: false,
      crossOriginFrames: 0,
      links,
      ...extra,
    });
  return { worker, live, runs, pages, report };
}

/** The popup opening on tab 1 (it starts a run when there is none), as the background wires it. */
async function openPopup(s: Awaited<ReturnType<typeof setup>>) {
  const popup = fakeClient();
  s.pages.pageOpened(1);
  const connection = s.runs.connect(popup.client);
  await connection.receive({ type: 'watch', tabId: 1, startIfNone: true });
  await settle();
  return {
    popup,
    close: async () => {
      connection.disconnect();
      s.pages.pageClosed(1);
      await settle();
    },
  };
}

describe('live pages: when the page is followed', () => {
  it('collects and follows while the run goes on; with the popup closed, stops once the run is done', async () => {
    const s = await setup();
    const { close } = await openPopup(s);
    expect(s.live.kinds()).toEqual(['live-collect']);
    await close();
    expect(s.live.kinds()).toEqual(['live-collect']);
    s.worker.jobs[0]?.answerAll();
    await settle();
    expect(s.live.kinds()).toEqual(['live-collect', 'live-stop']);
  });

  it('follows a done run while a Linkpulse page shows it, and stops when the last one closes', async () => {
    const s = await setup();
    const first = await openPopup(s);
    s.worker.jobs[0]?.answerAll();
    await settle();
    expect(s.live.kinds()).toEqual(['live-collect']);
    s.pages.pageOpened(1);
    await settle();
    await first.close();
    expect(s.live.kinds()).toEqual(['live-collect']);
    s.pages.pageClosed(1);
    await settle();
    expect(s.live.kinds()).toEqual(['live-collect', 'live-stop']);
    // A page opening again: the script follows again, with a new token, and catches up.
    s.pages.pageOpened(1);
    await settle();
    expect(s.live.commands.at(-1)).toMatchObject({ type: 'live-follow', token: 'token-2' });
  });

  it('follows again after its port closed (a stopped worker), when a page reconnects', async () => {
    const s = await setup();
    const { close } = await openPopup(s);
    s.worker.jobs[0]?.answerAll();
    await settle();
    // The worker stopped: the script's port closed, and the script stopped following.
    s.pages.detached(1, s.live.script.port);
    s.live.script.port = null;
    await close();
    await openPopup(s);
    expect(s.live.kinds()).toEqual(['live-collect', 'live-follow']);
  });

  it("ignores the end and the reports of an older script's port once a new one connected", async () => {
    const s = await setup();
    await openPopup(s);
    const old = s.live.script.port;
    const fresh = {};
    s.pages.attached(1, fresh);
    s.pages.detached(1, old);
    await s.report(links(1, 'https://late.test/'));
    expect(s.runs.get(1)?.meta.total).toBe(2);
    await s.pages.receive(1, fresh, {
      type: 'live-found',
      token: s.live.lastToken(),
      truncated: false,
      crossOriginFrames: 0,
      links: links(1, 'https://late.test/'),
    });
    expect(s.runs.get(1)?.meta.total).toBe(3);
  });

  it('stops following a cancelled run, and takes nothing from it', async () => {
    const s = await setup();
    const { popup } = await openPopup(s);
    await s.runs.connect(popup.client).receive({ type: 'cancel', tabId: 1 });
    await settle();
    expect(s.live.kinds()).toEqual(['live-collect', 'live-stop']);
    await s.report(links(1, 'https://late.test/'));
    expect(s.runs.get(1)?.meta.total).toBe(2);
  });

  it('keeps counting a report page that stays open while its tab goes to another page and is checked there', async () => {
    const s = await setup();
    // The report page: open on tab 1 through everything below.
    await openPopup(s);
    s.worker.jobs[0]?.answerAll();
    await settle();
    // The tab goes to another document: its run ends (the report page stays open, showing that).
    s.live.page.gone = true;
    await s.pages.navigated(1, 'https://a.test/other');
    expect(s.runs.get(1)).toBeUndefined();
    s.live.page.gone = false;
    s.live.page.url = 'https://a.test/other';
    // The popup opens there, starts a check, and closes; the check ends.
    const popup = await openPopup(s);
    await popup.close();
    s.worker.jobs[1]?.answerAll();
    await settle();
    expect(s.runs.get(1)?.meta.state).toBe('done');
    // The report page still shows the tab's run: its page is still followed.
    expect(s.live.kinds().at(-1)).toBe('live-collect');
  });

  it('adds the links the script reported before the run it collected for started', async () => {
    let report: (links: unknown[], extra?: Record<string, unknown>) => Promise<void> = async () => {};
    // A scan of the page while the rest of its collection is still handed over, and the run not started yet.
    const s = await setup(links(2), () => report(links(1, 'https://late.test/'), { crossOriginFrames: 1 }));
    report = s.report;
    await openPopup(s);
    expect(s.runs.get(1)?.meta).toMatchObject({ state: 'running', total: 3, crossOriginFrames: 1 });
    expect(s.runs.get(1)?.entries.map((e) => e.url)).toContain('https://late.test/0');
  });

  it('adds what the script reported before a new check of the page started, to the new run', async () => {
    let report: (links: unknown[]) => Promise<void> = async () => {};
    let rechecking = false;
    const s = await setup(links(2), async () => {
      if (rechecking) await report(links(1, 'https://late.test/'));
    });
    report = s.report;
    const { popup } = await openPopup(s);
    s.worker.jobs[0]?.answerAll();
    await settle();
    rechecking = true;
    await s.runs.connect(popup.client).receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    await settle();
    expect(s.runs.get(1)?.meta).toMatchObject({ state: 'running', total: 3 });
  });

  it('keeps following while a second Linkpulse page opens during the collection, and takes what it reports', async () => {
    let s: Awaited<ReturnType<typeof setup>> | undefined;
    s = await setup(links(2), async () => {
      if (!s) return;
      // The report page opens while the popup's check still collects: the tab has no run yet.
      s.pages.pageOpened(1);
      await settle();
      await s.report(links(1, 'https://late.test/'));
    });
    await openPopup(s);
    expect(s.live.kinds()).toEqual(['live-collect']);
    expect(s.runs.get(1)?.meta).toMatchObject({ state: 'running', total: 3 });
  });

  it('keeps following while a second Linkpulse page opens during the collection of a new check', async () => {
    let s: Awaited<ReturnType<typeof setup>> | undefined;
    let rechecking = false;
    s = await setup(links(2), async () => {
      if (!s || !rechecking) return;
      s.pages.pageOpened(1);
      await settle();
      await s.report(links(1, 'https://late.test/'));
    });
    // Checked again while the first check still runs: that one is cancelled, and the page collected again.
    const { popup } = await openPopup(s);
    rechecking = true;
    await s.runs.connect(popup.client).receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    await settle();
    expect(s.live.kinds().slice(-2)).toEqual(['live-stop', 'live-collect']);
    expect(s.runs.get(1)?.meta).toMatchObject({ state: 'running', total: 3 });
  });

  it('records the frames from other sites of the collection on the run', async () => {
    const s = await setup();
    s.live.page.crossOriginFrames = 2;
    await openPopup(s);
    expect(s.runs.get(1)?.meta.crossOriginFrames).toBe(2);
  });
});

describe('live pages: reports', () => {
  it('adds the links of a report with the latest token to the run, which is done again once they are judged', async () => {
    const s = await setup();
    await openPopup(s);
    s.worker.jobs[0]?.answerAll();
    await settle();
    await s.report(links(1, 'https://late.test/'), { crossOriginFrames: 1 });
    expect(s.runs.get(1)?.meta).toMatchObject({ state: 'running', total: 3, crossOriginFrames: 1 });
    s.worker.jobs[1]?.answerAll();
    await settle();
    expect(s.runs.get(1)?.meta).toMatchObject({ state: 'done', total: 3 });
  });

  it('ignores a report with another token, a malformed one, and one for a tab it does not follow', async () => {
    const s = await setup();
    await openPopup(s);
    await s.pages.receive(1, s.live.script.port, {
      type: 'live-found',
      token: 'guess',
      truncated: false,
      crossOriginFrames: 0,
      links: links(1, 'https://x.test/'),
    });
    await s.report([{ url: 'https://x.test/', occurrences: 1, texts: [], phase: 'done', result: {} }, 'junk']);
    await s.pages.receive(2, s.live.script.port, {
      type: 'live-found',
      token: s.live.lastToken(),
      truncated: false,
      crossOriginFrames: 0,
      links: links(1),
    });
    expect(s.runs.get(1)?.meta.total).toBe(2);
  });

  it("adds the other links of a report that holds one over the browser's limit", async () => {
    const s = await setup();
    await openPopup(s);
    const huge = { url: `https://late.test/${'x'.repeat(3_000_000)}`, occurrences: 1, texts: [] };
    await s.report([...links(2, 'https://late.test/'), huge, ...links(3, 'https://later.test/')]);
    expect(s.runs.get(1)?.meta.total).toBe(7);
    expect(s.runs.get(1)?.entries.some((e) => e.url === huge.url)).toBe(false);
  });

  it('keeps the cap across later links, with the same message as at the click', async () => {
    const s = await setup(links(MAX_LINKS - 1));
    await openPopup(s);
    await s.report(links(3, 'https://late.test/'));
    expect(s.runs.get(1)?.meta).toMatchObject({ total: MAX_LINKS, truncated: true });
  });

  it('says the page was truncated when the script had to leave links out', async () => {
    const s = await setup();
    await openPopup(s);
    await s.report([], { truncated: true });
    expect(s.runs.get(1)?.meta.truncated).toBe(true);
  });
});

describe('live pages: address changes', () => {
  it('keeps the run through a same-document route change, which it then covers too', async () => {
    const s = await setup();
    await openPopup(s);
    s.live.page.url = 'https://a.test/second';
    await s.pages.navigated(1, 'https://a.test/second');
    expect(s.runs.get(1)?.meta.addresses).toEqual(['https://a.test/second']);
    // Back and forth between covered addresses: nothing to ask.
    const asked = s.live.commands.length;
    await s.pages.navigated(1, 'https://a.test/#top');
    await s.pages.navigated(1, 'https://a.test/second#x');
    expect(s.live.commands.length).toBe(asked);
    expect(s.runs.get(1)).toBeDefined();
  });

  it('keeps the run when the page moved on again before it answered (a route change, then a replaceState)', async () => {
    const s = await setup();
    await openPopup(s);
    // A router pushes /settings and at once replaces it with /settings/profile: asked about the first, the page is
    // already at the second, and so is the tab.
    s.live.page.url = 'https://a.test/settings/profile';
    s.live.page.tabUrl = 'https://a.test/settings/profile';
    await s.pages.navigated(1, 'https://a.test/settings');
    expect(s.runs.get(1)).toBeDefined();
    expect(s.runs.get(1)?.meta.addresses).toEqual(['https://a.test/settings', 'https://a.test/settings/profile']);
    const asked = s.live.commands.length;
    await s.pages.navigated(1, 'https://a.test/settings/profile');
    expect(s.live.commands.length).toBe(asked);
  });

  it('ends the run when a document restored from the back/forward cache answers, though at the same address', async () => {
    const s = await setup();
    await openPopup(s);
    // Back to a page of an earlier run, restored with its script: it says it is where the tab now is, with the token of
    // the command it took for that run, none of those given to this run's document.
    s.live.page.url = 'https://a.test/earlier';
    s.live.page.tabUrl = 'https://a.test/earlier';
    s.live.page.token = 'a-token-of-an-earlier-run';
    await s.pages.navigated(1, 'https://a.test/earlier');
    expect(s.runs.get(1)).toBeUndefined();
  });

  it("tells the run's document from a restored one after the worker restarted, before following again", async () => {
    /** The worker stops; a new one starts on the same storage, and the browser (tabs, scripts) is the same. */
    // The run done and no Linkpulse page open: nothing follows the page, and nothing is given a new token.
    const doneAndClosed = async (s: Awaited<ReturnType<typeof setup>>) => {
      const { close } = await openPopup(s);
      s.worker.jobs[0]?.answerAll();
      await settle();
      await close();
    };
    const restarted = async (s: Awaited<ReturnType<typeof setup>>) => {
      await s.worker.time.advance(1_000);
      const worker = fakeRunPlatform({ area: s.worker.storage });
      const runs = new RunLifecycle(worker.platform);
      const pages = new LivePages(runs, s.live.platform);
      s.live.script.pages = pages;
      await runs.restored;
      return { runs, pages };
    };
    // A route change of the run's own document: its script answers with the token it took before the restart.
    const s = await setup();
    await doneAndClosed(s);
    const own = await restarted(s);
    s.live.page.url = 'https://a.test/settings';
    s.live.page.tabUrl = 'https://a.test/settings';
    await own.pages.navigated(1, 'https://a.test/settings');
    expect(own.runs.get(1)?.meta.addresses).toEqual(['https://a.test/settings']);
    // Back to a page of an earlier run, restored from the back/forward cache with its script and its old token.
    const t = await setup();
    await doneAndClosed(t);
    const other = await restarted(t);
    t.live.page.url = 'https://a.test/earlier';
    t.live.page.tabUrl = 'https://a.test/earlier';
    t.live.page.token = 'a-token-of-an-earlier-run';
    await other.pages.navigated(1, 'https://a.test/earlier');
    expect(other.runs.get(1)).toBeUndefined();
    expect(t.live.kinds().filter((kind) => kind === 'live-follow')).toEqual([]);
  });

  it('follows the page again once it reloaded, while a Linkpulse page shows its run', async () => {
    const s = await setup();
    await openPopup(s);
    s.worker.jobs[0]?.answerAll();
    await settle();
    // The reload: the old document's script goes, with its port; the new document loads at the same address.
    s.pages.detached(1, s.live.script.port);
    s.live.script.port = null;
    await s.pages.navigated(1, 'https://a.test/');
    await s.pages.loaded(1, 'https://a.test/');
    expect(s.runs.get(1)?.meta.state).toBe('done');
    expect(s.live.commands.at(-1)).toMatchObject({ type: 'live-follow', token: 'token-2' });
    await s.report(links(1, 'https://late.test/'));
    expect(s.runs.get(1)?.meta.total).toBe(3);
  });

  it('does not follow a document loaded at an address the run does not cover', async () => {
    const s = await setup();
    await openPopup(s);
    s.pages.detached(1, s.live.script.port);
    s.live.script.port = null;
    await s.pages.loaded(1, 'https://a.test/elsewhere');
    expect(s.live.kinds()).toEqual(['live-collect']);
  });

  it('ends the first run of a tab that went to another document between the collection and the start', async () => {
    let pages: LivePages | undefined;
    let page: { url: string; tabUrl?: string; gone: boolean } | undefined;
    const s = await setup(links(2), async () => {
      if (!page || !pages) return;
      // The old document and its script go; the tab is at the new one, which has no script to answer.
      page.gone = true;
      page.tabUrl = 'https://a.test/other';
      await pages.navigated(1, 'https://a.test/other');
    });
    ({ pages } = s);
    page = s.live.page;
    await openPopup(s);
    expect(s.runs.get(1)).toBeUndefined();
  });

  it('covers a route the page changed to between the collection and the start of its first run', async () => {
    let pages: LivePages | undefined;
    let page: { url: string; tabUrl?: string } | undefined;
    const s = await setup(links(2), async () => {
      if (!page || !pages) return;
      page.url = 'https://a.test/route';
      page.tabUrl = 'https://a.test/route';
      await pages.navigated(1, 'https://a.test/route');
    });
    ({ pages } = s);
    page = s.live.page;
    await openPopup(s);
    expect(s.runs.get(1)?.meta).toMatchObject({ state: 'running', addresses: ['https://a.test/route'] });
  });

  it('ends the run when another document answers, or none', async () => {
    const s = await setup();
    await openPopup(s);
    // The old document has not gone yet and still says its own address; the tab is at the new one.
    s.live.page.tabUrl = 'https://a.test/other';
    await s.pages.navigated(1, 'https://a.test/other');
    expect(s.runs.get(1)).toBeUndefined();

    const t = await setup();
    await openPopup(t);
    t.live.page.gone = true;
    await t.pages.navigated(1, 'https://a.test/other');
    expect(t.runs.get(1)).toBeUndefined();
  });
});
