import { describe, expect, it } from 'vitest';
import { RunLifecycle } from '../../../utils/run/lifecycle';
import { iconPaths, iconState } from '../../../utils/toolbar-icon';
import { settle } from '../../support/fake-clock';
import { fakeClient, fakeRunPlatform, links } from '../../support/fake-run-platform';

async function workerWithRun(n: number) {
  const worker = fakeRunPlatform();
  worker.openPage(1, links(n));
  const runs = new RunLifecycle(worker.platform);
  await runs.connect(fakeClient().client).receive({ type: 'watch', tabId: 1, startIfNone: true });
  return { worker, runs };
}

describe('the toolbar icon of a tab', () => {
  it('is marked while its run checks, and plain again when the run found no problem', async () => {
    const { worker } = await workerWithRun(3);
    expect(worker.icons.get(1)).toEqual(['running']);
    worker.jobs[0]?.answerAll('ok');
    await settle();
    await worker.time.advance(150);
    expect(worker.icons.get(1)).toEqual(['running', 'idle']);
  });

  it('shows problems as soon as one is found, and keeps showing them when the run ends', async () => {
    const { worker } = await workerWithRun(3);
    worker.jobs[0]?.answer('https://a.test/0', 'blocked');
    await worker.time.advance(150);
    expect(worker.icons.get(1)).toEqual(['running', 'problems']);
    // A blocked link is a problem for the icon, but the badge counts broken links only.
    expect(worker.badges.get(1)).toBe(0);
    worker.jobs[0]?.answerAll('ok');
    await settle();
    await worker.time.advance(150);
    expect(worker.icons.get(1)).toEqual(['running', 'problems']);
  });

  it('is plain again when the tab leaves the page', async () => {
    const { worker, runs } = await workerWithRun(2);
    worker.jobs[0]?.answer('https://a.test/0', 'broken');
    await worker.time.advance(150);
    await runs.forget(1);
    expect(worker.icons.get(1)?.at(-1)).toBe('idle');
  });
});

describe('which icon', () => {
  it.each([
    [null, 'idle'],
    [{ running: true, problems: 0 }, 'running'],
    [{ running: true, problems: 2 }, 'problems'],
    [{ running: false, problems: 0 }, 'idle'],
    [{ running: false, problems: 1 }, 'problems'],
  ] as const)('%o → %s', (run, state) => {
    expect(iconState(run)).toBe(state);
  });

  it('points idle at the manifest icons and the others at their own renderings', () => {
    expect(iconPaths('idle')).toEqual({ 16: 'icons/16.png', 32: 'icons/32.png' });
    expect(iconPaths('problems')).toEqual({ 16: 'icons/problems-16.png', 32: 'icons/problems-32.png' });
  });
});
