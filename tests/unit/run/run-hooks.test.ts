// What features plug into: links added to a run, a finished link changed later, per-run state, and run events.
import { describe, expect, it } from 'vitest';
import { type RunEvent, RunLifecycle } from '../../../utils/run/lifecycle';
import { FLUSH_MS } from '../../../utils/run/run-writer';
import { loadRuns } from '../../../utils/run/stored-run';
import { settle } from '../../support/fake-clock';
import { fakeClient, fakeRunPlatform, links, resultOf } from '../../support/fake-run-platform';

async function watchedRun(n: number) {
  const worker = fakeRunPlatform();
  worker.openPage(1, links(n));
  const runs = new RunLifecycle(worker.platform);
  const events: string[] = [];
  runs.subscribe((event: RunEvent) => events.push(`${event.type}:${event.tabId}`));
  const page = fakeClient();
  await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
  return { worker, runs, page, events };
}

describe('features plugged into runs', () => {
  it('adds links to a going run: new rows and total, checked in the same run, done once all are judged', async () => {
    const { worker, runs, page } = await watchedRun(2);
    const more = [...links(3), ...links(1, 'https://b.test/')];
    expect(runs.addLinks(1, more)).toBe(2);
    expect(worker.jobs[1]?.links.map((l) => l.url)).toEqual(['https://a.test/2', 'https://b.test/0']);
    worker.jobs[0]?.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('running');
    worker.jobs[1]?.answerAll();
    await settle();
    expect(runs.get(1)?.meta).toMatchObject({ state: 'done', total: 4 });
    const rows = page.received.flatMap((m) => (m.type === 'update' ? m.changes.map(([i, e]) => [i, e.url]) : []));
    expect(rows).toContainEqual([3, 'https://b.test/0']);
    expect((await loadRuns(worker.storage.area))[0]?.entries).toHaveLength(4);
  });

  it('gives the jobs of one run one scope (what the guard by address and soft-404 probes learned), a new run a new one', async () => {
    const { worker, runs, page } = await watchedRun(1);
    runs.addLinks(1, links(1, 'https://b.test/'));
    const [first, later] = worker.jobs;
    expect(first?.scope).toBeDefined();
    expect(later?.scope).toBe(first?.scope);
    first?.answerAll();
    later?.answerAll();
    await settle();
    await runs.connect(page.client).receive({ type: 'recheck', tabId: 1, onlyFailed: false });
    expect(worker.jobs).toHaveLength(3);
    expect(worker.jobs[2]?.scope).toBeDefined();
    expect(worker.jobs[2]?.scope).not.toBe(first?.scope);
  });

  it('takes a finished run back to running for links that joined later', async () => {
    const { worker, runs, events } = await watchedRun(1);
    worker.jobs[0]?.answerAll();
    await settle();
    runs.addLinks(1, links(1, 'https://c.test/'));
    expect(runs.get(1)?.meta).toMatchObject({ state: 'running', finishedAt: null, total: 2 });
    worker.jobs[1]?.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    expect(events).toEqual(['started:1', 'finished:1', 'finished:1']);
  });

  it('prepares links that join later as a new run’s: one judged at once is never requested, each keeps its mark', async () => {
    const { worker, runs, page } = await watchedRun(1);
    worker.platform.prepareJoined = async ({ entries }) =>
      entries.map((entry) =>
        entry.url.endsWith('/ignored')
          ? { ...entry, phase: 'done', result: { ...resultOf(entry.url, 'skipped'), reason: 'ignored' } }
          : { ...entry, before: 'absent' },
      );
    worker.jobs[0]?.answerAll();
    await settle();
    const joining = [...links(1, 'https://b.test/'), { url: 'https://b.test/ignored', occurrences: 1, texts: [] }];
    // A link the run has already is left out before it is prepared.
    expect(await runs.joinLinks(1, [...links(1), ...joining])).toBe(2);
    expect(worker.jobs[1]?.links.map((l) => l.url)).toEqual(['https://b.test/0']);
    worker.jobs[1]?.answerAll('broken');
    await settle();
    const run = runs.get(1);
    expect(run?.meta).toMatchObject({ state: 'done', total: 3 });
    expect(run?.entries.map((e) => [e.url, e.before, e.result?.verdict, e.result?.reason])).toEqual([
      ['https://a.test/0', undefined, 'ok', ''],
      ['https://b.test/0', 'absent', 'broken', expect.any(String)],
      ['https://b.test/ignored', undefined, 'skipped', 'ignored'],
    ]);
    expect(page.received.some((m) => m.type === 'update')).toBe(true);
  });

  it('joins nothing to a run cancelled while its links were being prepared', async () => {
    const { worker, runs, page } = await watchedRun(1);
    let release: () => void = () => {};
    worker.platform.prepareJoined = ({ entries }) =>
      new Promise((resolve) => {
        release = () => resolve(entries);
      });
    const joined = runs.joinLinks(1, links(1, 'https://b.test/'));
    await runs.connect(page.client).receive({ type: 'cancel', tabId: 1 });
    release();
    expect(await joined).toBe(0);
    expect(runs.get(1)?.meta.total).toBe(1);
  });

  it('adds nothing to a cancelled run or a tab without one', async () => {
    const { runs, page } = await watchedRun(1);
    await runs.connect(page.client).receive({ type: 'cancel', tabId: 1 });
    expect(runs.addLinks(1, links(3, 'https://d.test/'))).toBe(0);
    expect(runs.addLinks(9, links(3))).toBe(0);
  });

  it('changes a finished link later: the pages, the badge and storage follow', async () => {
    const { worker, runs, page } = await watchedRun(2);
    worker.jobs[0]?.answer('https://a.test/0', 'broken');
    worker.jobs[0]?.answerAll();
    await settle();
    expect(worker.badges.get(1)).toBe(1);
    expect(runs.amend(1, 'https://a.test/0', { result: resultOf('https://a.test/0', 'ok') })).toBe(true);
    await worker.time.advance(FLUSH_MS);
    expect(worker.badges.get(1)).toBe(0);
    expect(page.last()).toMatchObject({ type: 'update', changes: [[0, { result: { verdict: 'ok' } }]] });
    expect((await loadRuns(worker.storage.area))[0]?.entries[0]?.result?.verdict).toBe('ok');
    expect(runs.amend(1, 'https://elsewhere.test/', { phase: 'done' })).toBe(false);
  });

  it('keeps per-run state in the run metadata, saved and sent to the pages', async () => {
    const { worker, runs, page } = await watchedRun(1);
    expect(runs.updateMeta(1, { title: 'x' } as never)).toBe(true);
    await worker.time.advance(FLUSH_MS);
    expect(page.last()).toMatchObject({ type: 'update', meta: { title: 'x' } });
    expect((await loadRuns(worker.storage.area))[0]?.meta).toMatchObject({ title: 'x' });
    expect(runs.updateMeta(9, {})).toBe(false);
  });

  it('tells listeners when runs start, resume, finish, are cancelled and forgotten', async () => {
    const { worker, runs, page, events } = await watchedRun(1);
    await runs.connect(page.client).receive({ type: 'cancel', tabId: 1 });
    await worker.time.advance(FLUSH_MS);
    await runs.forget(1);
    expect(events).toEqual(['started:1', 'cancelled:1', 'forgotten:1']);
    const again = fakeRunPlatform();
    again.openPage(2, links(2));
    const first = new RunLifecycle(again.platform);
    await first.connect(fakeClient().client).receive({ type: 'watch', tabId: 2, startIfNone: true });
    const restarted = fakeRunPlatform({ area: again.storage });
    const second = new RunLifecycle(restarted.platform);
    const seen: RunEvent[] = [];
    second.subscribe((event) => seen.push(event));
    await second.restored;
    expect(seen).toEqual([expect.objectContaining({ type: 'resumed', tabId: 2 })]);
  });

  it('keeps going when a listener throws, and says so', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, links(1));
    const runs = new RunLifecycle(worker.platform);
    runs.subscribe(() => {
      throw new Error('boom');
    });
    await runs.connect(fakeClient().client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    worker.jobs[0]?.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    expect(worker.said[0]).toMatch(/listener failed/);
  });
});
