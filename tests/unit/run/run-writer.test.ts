// How a run's progress reaches the pages and storage: in batches, with a heartbeat, and backing off a full area.
import { describe, expect, it } from 'vitest';
import { RunLifecycle } from '../../../utils/run/lifecycle';
import { FLUSH_MS, HEARTBEAT_MS, SAVE_RETRY_MAX_MS } from '../../../utils/run/run-writer';
import { loadRuns } from '../../../utils/run/stored-run';
import { settle } from '../../support/fake-clock';
import { fakeClient, fakeRunPlatform, links } from '../../support/fake-run-platform';

async function watchedRun(n: number) {
  const worker = fakeRunPlatform();
  worker.openPage(1, links(n));
  const runs = new RunLifecycle(worker.platform);
  const page = fakeClient();
  await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
  const job = worker.jobs[0];
  if (!job) throw new Error('the run did not start');
  return { worker, runs, page, job };
}

const updates = (page: ReturnType<typeof fakeClient>) => page.received.filter((m) => m.type === 'update');

describe('the run writer', () => {
  it('sends the first verdict at once and the following ones together with the next batch', async () => {
    const { worker, page, job } = await watchedRun(10);
    job.answer('https://a.test/0');
    expect(updates(page)).toHaveLength(1);
    for (let i = 1; i < 8; i++) job.answer(`https://a.test/${i}`);
    expect(updates(page)).toHaveLength(1);
    await worker.time.advance(FLUSH_MS);
    const sent = updates(page);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.type === 'update' && sent[1].changes.map(([i]) => i)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('writes a batch of results to storage in one write per batch, not one per link', async () => {
    const { worker, job } = await watchedRun(10);
    worker.storage.writes.length = 0;
    for (let i = 0; i < 10; i++) job.send(`https://a.test/${i}`);
    for (let i = 0; i < 9; i++) job.answer(`https://a.test/${i}`);
    await worker.time.advance(FLUSH_MS);
    expect(worker.storage.writes).toHaveLength(1);
    const [stored] = await loadRuns(worker.storage.area);
    expect(stored?.entries.filter((e) => e.phase === 'done')).toHaveLength(9);
  });

  it('sends nothing and writes nothing when nothing changed, but for the heartbeat while a run goes on', async () => {
    const { worker, page } = await watchedRun(2);
    await worker.time.advance(FLUSH_MS);
    const [messages, writes] = [page.received.length, worker.storage.writes.length];
    await worker.time.advance(HEARTBEAT_MS - 2 * FLUSH_MS);
    expect([page.received.length, worker.storage.writes.length]).toEqual([messages, writes]);
    await worker.time.advance(3 * FLUSH_MS);
    expect(worker.storage.writes.slice(writes)).toEqual([['run:1']]);
  });

  it('stops its timer once no run is going and its last write is done', async () => {
    const { worker, job } = await watchedRun(2);
    expect(worker.time.timers).toBe(1);
    job.answerAll();
    await settle();
    await worker.time.advance(FLUSH_MS);
    expect(worker.time.timers).toBe(0);
  });

  it('keeps a run going when storage is full, says so once (console and pages), retries with the heartbeat and saves once there is room', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, links(600));
    worker.storage.setFull(true);
    const runs = new RunLifecycle(worker.platform);
    const page = fakeClient();
    await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    const job = worker.jobs[0];
    job?.answer('https://a.test/550');
    const unsaved = () => updates(page).map((m) => m.type === 'update' && m.meta.unsaved === true);
    const tried = worker.storage.writes.length;
    await worker.time.advance(HEARTBEAT_MS - FLUSH_MS);
    // Between heartbeats the batches go on without a write attempt.
    expect(worker.storage.writes.length).toBe(tried);
    expect(worker.said).toEqual([expect.stringMatching(/does not fit in session storage/)]);
    // The run's pages are told, not only the console.
    expect(unsaved().at(-1)).toBe(true);
    worker.storage.setFull(false);
    await worker.time.advance(2 * FLUSH_MS);
    job?.answer('https://a.test/551');
    await worker.time.advance(FLUSH_MS);
    expect(unsaved().at(-1)).toBe(false);
    expect(worker.storage.writes.length).toBeGreaterThan(tried);
    const [stored] = await loadRuns(worker.storage.area);
    expect(stored?.entries).toHaveLength(600);
    expect(stored?.entries[550]?.result?.verdict).toBe('ok');
    job?.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    expect(worker.said).toHaveLength(1);
  });

  it('tries a run that does not fit in storage again less and less often, up to once a minute, and saves it once there is room', async () => {
    const { worker, job } = await watchedRun(600);
    worker.storage.setFull(true);
    job.answer('https://a.test/1');
    // When each write was tried (the first batch after it is due, so up to FLUSH_MS late).
    const tries: number[] = [];
    let seen = worker.storage.writes.length;
    for (let t = 0; t < 200_000; t += FLUSH_MS) {
      await worker.time.advance(FLUSH_MS);
      if (worker.storage.writes.length > seen) tries.push(worker.time.clock.now());
      seen = worker.storage.writes.length;
    }
    const gaps = tries.slice(1).map((at, i) => Math.floor((at - (tries[i] as number)) / 1000));
    // 5 s after the first failure, then twice as long after each, never more than a minute.
    expect(gaps).toEqual([5, 10, 20, 40, 60, 60]);
    expect(SAVE_RETRY_MAX_MS).toBe(60_000);
    worker.storage.setFull(false);
    await worker.time.advance(SAVE_RETRY_MAX_MS + FLUSH_MS);
    const [stored] = await loadRuns(worker.storage.area);
    expect(stored?.entries[1]?.result?.verdict).toBe('ok');
  });

  it('saves a run that ended while storage was full once there is room, and then stops its timer', async () => {
    const worker = fakeRunPlatform();
    worker.openPage(1, links(3));
    worker.storage.setFull(true);
    const runs = new RunLifecycle(worker.platform);
    const page = fakeClient();
    await runs.connect(page.client).receive({ type: 'watch', tabId: 1, startIfNone: true });
    worker.jobs[0]?.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    await worker.time.advance(HEARTBEAT_MS);
    expect(await loadRuns(worker.storage.area)).toEqual([]);
    // The ticks go on for the save; the resume alarm was released once, not on every tick.
    expect(worker.awake.filter((on) => !on)).toHaveLength(1);
    worker.storage.setFull(false);
    await worker.time.advance(HEARTBEAT_MS + 2 * FLUSH_MS);
    const [stored] = await loadRuns(worker.storage.area);
    expect(stored?.meta.state).toBe('done');
    expect(stored?.meta.unsaved).toBe(false);
    expect(stored?.entries.map((e) => e.result?.verdict)).toEqual(['ok', 'ok', 'ok']);
    const last = updates(page).at(-1);
    expect(last?.type === 'update' && last.meta.unsaved).toBe(false);
    expect(worker.time.timers).toBe(0);
  });

  it('saves a run whose end storage refused to write, on its own timer, once there is room', async () => {
    const { worker, runs, job } = await watchedRun(3);
    await worker.time.advance(FLUSH_MS);
    // Storage fills up just as the run ends: the write of its end is the first to fail.
    worker.storage.setFull(true);
    job.answerAll();
    await settle();
    expect(runs.get(1)?.meta.state).toBe('done');
    const tried = worker.storage.writes.length;
    await worker.time.advance(HEARTBEAT_MS + FLUSH_MS);
    // Tried again after the heartbeat, and refused again.
    expect(worker.storage.writes.length).toBe(tried + 1);
    const [before] = await loadRuns(worker.storage.area);
    expect(before?.meta.state).toBe('running');
    worker.storage.setFull(false);
    await worker.time.advance(SAVE_RETRY_MAX_MS);
    const [stored] = await loadRuns(worker.storage.area);
    expect(stored?.meta.state).toBe('done');
    expect(stored?.meta.unsaved).toBe(false);
    expect(stored?.entries.map((e) => e.phase)).toEqual(['done', 'done', 'done']);
    expect(worker.time.timers).toBe(0);
  });
});
