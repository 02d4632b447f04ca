// The run lifecycle on a fake platform: the scenarios tests/e2e/resilience.e2e.test.ts drives in a real browser, here
// in memory and on fake time (worker restarts, closed and navigated tabs, double Re-check, cancel, two tabs).
import { describe, expect, it } from 'vitest';
import { applyIgnores } from '../../../utils/history/ignore';
import { requireAccess } from '../../../utils/run/collection';
import { RunLifecycle } from '../../../utils/run/lifecycle';
import { loadRuns } from '../../../utils/run/stored-run';
import { settle } from '../../support/fake-clock';
import { fakeClient, fakeRunPlatform, links } from '../../support/fake-run-platform';

/** A worker with a run of `n` links going on tab 1, watched by a page. */
async function workerWithRun(n: number) {
  const worker = fakeRunPlatform();
  worker.openPage(1, links(n));
  const runs = new RunLifecycle(worker.platform);
  const page = fakeClient();
  await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
  return { worker, runs, page };
}

describe('starting a run', () => {
  it('starts a check when a page watches a tab with no run, and shows the run to the next page that watches', async () => {
    const { worker, runs, page } = await workerWithRun(3);
    expect(page.received[0]).toMatchObject({ type: 'snapshot', meta: { state: 'running', total: 3, tabId: 1 } });
    expect(worker.jobs).toHaveLength(1);
    expect(worker.jobs[0]?.useCache).toBe(true);
    expect(worker.awake).toEqual([true]);
    const second = fakeClient();
    await runs.connect(second.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    expect(worker.jobs).toHaveLength(1);
    expect(second.received).toEqual([expect.objectContaining({ type: 'snapshot' })]);
  });

  it('says so in words when there is no run and the page does not start one', async () => {
    const worker = fakeRunPlatform();
    const runs = new RunLifecycle(worker.platform);
    const report = fakeClient();
    await runs.connect(report.client).receive({ type: 'watch', tabId: 4, startIfNone: false });
    expect(report.received).toEqual([{ type: 'unavailable', tabId: 4, problem: { kind: 'no-run' } }]);
  });

  it('explains a page the browser keeps extensions out of', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(2, () => Promise.reject(new Error('Cannot access a chrome:// URL')));
    const runs = new RunLifecycle(worker.platform);
    const popup = fakeClient();
    await runs.connect(popup.client).receive({ type: 'watch', tabId: 2, startIfNone: true });
    expect(popup.last()).toMatchObject({
      type: 'unavailable',
      problem: { kind: 'restricted' },
    });
    expect(worker.jobs).toHaveLength(0);
  });

  it('explains a page whose address the browser hides, without sending it a script', async () => {
    const worker = fakeRunPlatform();
    let scripted = false;
    // As the background collects: the tab's address first (absent: no access, as on view-source:), then the script.
    worker.openPage(2, async () => {
      requireAccess(undefined);
      scripted = true;
      return { page: { url: '', title: '' }, links: [], truncated: false, ms: 0 };
    });
    const runs = new RunLifecycle(worker.platform);
    const popup = fakeClient();
    await runs.connect(popup.client).receive({ type: 'watch', tabId: 2, startIfNone: true });
    expect(popup.last()).toMatchObject({ type: 'unavailable', problem: { kind: 'restricted' } });
    expect(scripted).toBe(false);
  });

  it('explains a PDF in the browser’s viewer, whose links no script reads, rather than saying it has none', async () => {
    const worker = fakeRunPlatform();
    const pdf = { page: { url: 'https://a.test/doc.pdf', title: '' }, links: [], truncated: false, ms: 0 };
    worker.openPage(2, async () => ({ ...pdf, contentType: 'application/pdf' }));
    const runs = new RunLifecycle(worker.platform);
    const popup = fakeClient();
    await runs.connect(popup.client).receive({ type: 'watch', tabId: 2, startIfNone: true });
    expect(popup.last()).toMatchObject({ type: 'unavailable', problem: { kind: 'restricted' } });
    expect(runs.get(2)).toBeUndefined();
  });

  it('ends as done once every link has its verdict, and stops keeping the worker awake', async () => {
    const { worker, runs, page } = await workerWithRun(3);
    worker.jobs[0]?.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    expect(page.last()).toMatchObject({ type: 'update', meta: { state: 'done' } });
    expect(worker.awake.at(-1)).toBe(false);
    const [stored] = await loadRuns(worker.storage.area);
    expect(stored?.meta.state).toBe('done');
    expect(stored?.entries.every((e) => e.phase === 'done')).toBe(true);
  });

  it('ignores messages that are not of the protocol, and those for another tab than the one a page watches', async () => {
    const { worker, runs } = await workerWithRun(1);
    const page = fakeClient();
    const connection = runs.connect(page.client);
    await connection.receive({ type: 'watch', tabId: 1, startIfNone: false });
    await connection.receive({ type: 'recheck', tabId: 2, onlyFailed: false });
    await connection.receive({ type: 'launch', url: 'http://10.0.0.1/' });
    expect(worker.jobs).toHaveLength(1);
  });
});

describe('a service worker stopped in the middle of a run', () => {
  it('resumes where it stopped: judged links kept, the rest (those in flight too) asked again', async () => {
    const first = await workerWithRun(10);
    const job = first.worker.jobs[0];
    for (const link of links(4)) job?.answer(link.url);
    job?.send('https://a.test/4');
    job?.send('https://a.test/5');
    await first.worker.time.advance(150);
    // The worker stops: its clock and its engine are never heard from again. A new one starts on the same storage.
    const second = fakeRunPlatform({ area: first.worker.storage });
    const runs = new RunLifecycle(second.platform);
    await runs.restored;
    expect(second.jobs).toHaveLength(1);
    expect(second.jobs[0]?.links.map((l) => l.url)).toEqual(
      links(10)
        .slice(4)
        .map((l) => l.url),
    );
    expect(second.jobs[0]?.useCache).toBe(true);
    // Those caught in flight wait again, as the pages show them.
    expect(
      runs
        .get(1)
        ?.entries.slice(3, 6)
        .map((e) => e.phase),
    ).toEqual(['done', 'queued', 'queued']);
    const report = fakeClient();
    await runs.connect(report.client).receive({ type: 'watch', tabId: 1, startIfNone: false });
    expect(report.last()).toMatchObject({ type: 'snapshot', meta: { state: 'running', total: 10 } });
    second.jobs[0]?.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    expect(runs.get(1)?.entries.every((e) => e.result?.verdict === 'ok')).toBe(true);
    expect(second.awake.at(-1)).toBe(false);
  });

  it('asks again the answers of the last batch that was not written yet, and no others', async () => {
    const first = await workerWithRun(6);
    const job = first.worker.jobs[0];
    job?.answer('https://a.test/0');
    await first.worker.time.advance(150);
    job?.answer('https://a.test/1');
    // Stopped before the next batch was written.
    const second = fakeRunPlatform({ area: first.worker.storage });
    const runs = new RunLifecycle(second.platform);
    await runs.restored;
    expect(second.jobs[0]?.links.map((l) => l.url)).toEqual(
      links(6)
        .slice(1)
        .map((l) => l.url),
    );
  });

  it('resumes an interrupted Re-check still asking every server, not taking recent results', async () => {
    const first = await workerWithRun(3);
    first.worker.jobs[0]?.answerAll();
    await settle();
    await first.runs.connect(first.page.client).receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    expect(first.worker.jobs[1]?.useCache).toBe(false);
    await first.worker.time.advance(150);
    const second = fakeRunPlatform({ area: first.worker.storage });
    await new RunLifecycle(second.platform).restored;
    expect(second.jobs[0]?.useCache).toBe(false);
  });

  it('keeps the worker coming back while a run is going: the wake-up writes the heartbeat', async () => {
    const { worker, runs } = await workerWithRun(2);
    expect(worker.awake).toEqual([true]);
    worker.storage.writes.length = 0;
    await worker.time.advance(5_001);
    expect(worker.storage.writes.some((keys) => keys.includes('run:1'))).toBe(true);
    runs.wake();
    await settle();
    expect(worker.awake).toEqual([true]);
  });

  it('forgets a finished run whose tab went to another page while the worker was stopped', async () => {
    const first = await workerWithRun(3);
    first.worker.jobs[0]?.answerAll();
    await settle();
    const second = fakeRunPlatform({ area: first.worker.storage });
    second.openPage(1, links(5, 'https://a.test/next/'), 'https://a.test/next');
    const runs = new RunLifecycle(second.platform);
    // The navigation itself wakes the worker, before it has loaded the runs it kept.
    await runs.navigated(1, 'https://a.test/next');
    const popup = fakeClient();
    await runs.connect(popup.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    expect(runs.get(1)?.meta.total).toBe(5);
    expect(popup.received.at(-1)).toMatchObject({ type: 'snapshot', meta: { total: 5 } });
  });
});

describe('tabs', () => {
  it('cancels the run of a tab that closes: its checks aborted, its storage and badge freed', async () => {
    const { worker, runs, page } = await workerWithRun(12);
    worker.jobs[0]?.answer('https://a.test/0', 'broken');
    expect(worker.badges.get(1)).toBe(1);
    await worker.time.advance(150);
    expect(await worker.storage.keys()).toContain('run:1');
    await runs.forget(1);
    expect(worker.jobs[0]?.signal.aborted).toBe(true);
    expect(runs.get(1)).toBeUndefined();
    expect((await worker.storage.keys()).filter((k) => k.startsWith('run:1'))).toEqual([]);
    expect(worker.badges.get(1)).toBe(0);
    expect(page.last()).toMatchObject({ type: 'unavailable', tabId: 1 });
    // An answer that was on its way is not the run's any more.
    worker.jobs[0]?.answer('https://a.test/1');
    await worker.time.advance(150);
    expect(await worker.storage.keys()).toEqual([]);
  });

  it('keeps two tabs checked at once apart: their own runs, counts and badges', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, links(3, 'https://one.test/'), 'https://one.test/');
    worker.openPage(2, links(5, 'https://two.test/'), 'https://two.test/');
    const runs = new RunLifecycle(worker.platform);
    const [one, two] = [fakeClient(), fakeClient()];
    await runs.connect(one.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    await runs.connect(two.client).receive({ type: 'watch', tabId: 2, startIfNone: true });
    worker.jobs[0]?.answerAll('broken');
    worker.jobs[1]?.answer('https://two.test/0', 'broken');
    worker.jobs[1]?.answerAll('ok');
    await worker.time.advance(150);
    expect(worker.badges).toEqual(
      new Map([
        [1, 3],
        [2, 1],
      ]),
    );
    expect(runs.get(1)?.entries.map((e) => e.url)).toEqual(links(3, 'https://one.test/').map((l) => l.url));
    expect(two.received.every((m) => m.type !== 'snapshot' || m.meta.tabId === 2)).toBe(true);
    expect(one.received.every((m) => m.type === 'unavailable' || m.type === 'rows' || m.meta.tabId === 1)).toBe(true);
  });

  it('cancels the run of a tab that navigates away and clears its badge; a new fragment keeps it', async () => {
    const { worker, runs } = await workerWithRun(3);
    worker.jobs[0]?.answer('https://a.test/0', 'broken');
    await runs.navigated(1, 'https://a.test/#section');
    expect(runs.get(1)?.meta.state).toBe('running');
    await runs.navigated(1, 'https://a.test/other');
    expect(runs.get(1)).toBeUndefined();
    expect(worker.jobs[0]?.signal.aborted).toBe(true);
    expect(worker.badges.get(1)).toBe(0);
  });

  it('cancels the run of a tab that went to a page whose address it may not read, and touches no other tab', async () => {
    const { worker, runs } = await workerWithRun(3);
    worker.jobs[0]?.answer('https://a.test/0', 'broken');
    await runs.leftForHiddenPage(2);
    expect(runs.get(1)?.meta.state).toBe('running');
    await runs.leftForHiddenPage(1);
    expect(runs.get(1)).toBeUndefined();
    expect(worker.jobs[0]?.signal.aborted).toBe(true);
    expect(worker.badges.get(1)).toBe(0);
    expect(await loadRuns(worker.storage.area)).toEqual([]);
  });

  it('leaves one run after a double click on Re-check, and Cancel stops it', async () => {
    const { worker, runs, page } = await workerWithRun(12);
    const connection = runs.connect(page.client);
    await connection.receive({ type: 'cancel', tabId: 1 });
    expect(worker.jobs[0]?.signal.aborted).toBe(true);
    // Two Re-check messages before the first has collected the page.
    await Promise.all([
      connection.receive({ type: 'recheck', tabId: 1, onlyFailed: false }),
      connection.receive({ type: 'recheck', tabId: 1, onlyFailed: false }),
    ]);
    const going = worker.jobs.filter((job) => !job.signal.aborted);
    expect(going).toHaveLength(1);
    await connection.receive({ type: 'cancel', tabId: 1 });
    expect(worker.jobs.every((job) => job.signal.aborted)).toBe(true);
    expect(runs.get(1)?.meta.state).toBe('cancelled');
  });

  it('lets the latest start win when the pages answer out of order, and a forgotten tab gets no run', async () => {
    const worker = fakeRunPlatform();
    const answers: ((links: unknown) => void)[] = [];
    const page = (found: ReturnType<typeof links>) => ({ page: { url: 'https://a.test/', title: '' }, links: found });
    worker.openPage(1, () => new Promise((resolve) => answers.push(resolve)));
    const runs = new RunLifecycle(worker.platform);
    const popup = runs.connect(fakeClient().client);
    const first = popup.receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    const second = popup.receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    await settle();
    answers[1]?.(page(links(2, 'https://new.test/')));
    await second;
    answers[0]?.(page(links(2, 'https://old.test/')));
    await first;
    expect(runs.get(1)?.entries.map((e) => e.url)).toEqual(links(2, 'https://new.test/').map((l) => l.url));
    expect(worker.jobs.filter((job) => !job.signal.aborted)).toHaveLength(1);

    const third = popup.receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    await settle();
    await runs.forget(1);
    answers[2]?.(page(links(2, 'https://gone.test/')));
    await third;
    expect(runs.get(1)).toBeUndefined();
    expect(worker.jobs.filter((job) => !job.signal.aborted)).toHaveLength(0);
  });

  it('cancels a run: its checks aborted, the pages told, and late answers left out', async () => {
    const { worker, runs, page } = await workerWithRun(12);
    worker.jobs[0]?.answer('https://a.test/0');
    await runs.connect(page.client).receive({ type: 'cancel', tabId: 1 });
    expect(worker.jobs[0]?.signal.aborted).toBe(true);
    expect(page.last()).toMatchObject({ type: 'update', meta: { state: 'cancelled' } });
    worker.jobs[0]?.answer('https://a.test/1');
    expect(runs.get(1)?.entries[1]?.phase).toBe('queued');
    await worker.time.advance(150);
    expect(worker.awake.at(-1)).toBe(false);
    expect((await loadRuns(worker.storage.area))[0]?.meta.state).toBe('cancelled');
  });

  it('leaves no rows of the old run in storage when a re-check finds fewer links', async () => {
    const { worker, runs, page } = await workerWithRun(1000);
    expect(await worker.storage.keys()).toHaveLength(11);
    worker.openPage(1, links(5));
    await runs.connect(page.client).receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    expect((await worker.storage.keys()).sort()).toEqual(['run:1', 'run:1:0']);
  });

  it('re-checks only the failed links when asked, keeping the others', async () => {
    const { worker, runs, page } = await workerWithRun(3);
    worker.jobs[0]?.answer('https://a.test/0', 'broken');
    worker.jobs[0]?.answerAll('ok');
    await settle();
    await runs.connect(page.client).receive({ type: 'recheck', tabId: 1, onlyFailed: true });
    expect(worker.jobs[1]?.links.map((l) => l.url)).toEqual(['https://a.test/0']);
    expect(worker.jobs[1]?.useCache).toBe(false);
    expect(runs.get(1)?.entries[1]?.result?.verdict).toBe('ok');
  });
});

describe('re-checking the failed links', () => {
  it('checks a link un-ignored since the last run, and leaves one still ignored without a request', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, links(3));
    // The site's ignore list as the background's prepareRun reads it at each start.
    const ignored = new Set(['https://a.test/0', 'https://a.test/1']);
    worker.platform.prepareRun = async ({ entries }) => ({
      entries: applyIgnores(
        entries,
        new Map([...ignored].map((url) => [url, { site: 'a.test', url, note: '', at: 0 }])),
        0,
      ),
    });
    const runs = new RunLifecycle(worker.platform);
    const page = fakeClient();
    await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    worker.jobs[0]?.answerAll('broken');
    await settle();
    ignored.delete('https://a.test/0');
    await runs.connect(page.client).receive({ type: 'recheck', tabId: 1, onlyFailed: true });
    expect(worker.jobs[1]?.links.map((l) => l.url)).toEqual(['https://a.test/0', 'https://a.test/2']);
    expect(runs.get(1)?.entries[0]?.result).toBeUndefined();
    expect(runs.get(1)?.entries[1]?.result).toMatchObject({ verdict: 'skipped', reason: 'ignored' });
  });

  it('keeps what the page said of a failed link: the frames it was found in, its fragment into the page', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, [
      { url: 'https://a.test/0', occurrences: 1, texts: ['x'], frames: ['https://a.test/frame'] },
      { url: 'https://a.test/#gone', occurrences: 1, texts: ['y'], samePageFragment: 'missing' },
    ]);
    const runs = new RunLifecycle(worker.platform);
    const page = fakeClient();
    await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    worker.jobs[0]?.answerAll('broken');
    await settle();
    await runs.connect(page.client).receive({ type: 'recheck', tabId: 1, onlyFailed: true });
    expect(runs.get(1)?.entries[0]).toMatchObject({ phase: 'queued', frames: ['https://a.test/frame'] });
    // Judged on the page's DOM as in the first run, not by a request for the page.
    expect(worker.jobs[1]?.links[1]).toMatchObject({ samePageFragment: 'missing' });
  });
});
