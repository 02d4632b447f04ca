import { describe, expect, it } from 'vitest';
import { type ScanPolicy, scheduleScans } from '../../../utils/collect/scan-schedule';
import { fakeTimers } from '../../support/fake-timers';

const policy: ScanPolicy = { quietMs: 250, maxWaitMs: 1000, minGapMs: 500, costFactor: 20 };

function setup(scanCostMs = 0) {
  const time = fakeTimers();
  const scans: number[] = [];
  const scheduler = scheduleScans(
    () => {
      scans.push(time.now);
      time.work(scanCostMs);
    },
    time.timers,
    policy,
  );
  return { time, scans, scheduler };
}

describe('scheduleScans', () => {
  it('scans once for a burst of changes, after the page has been quiet', () => {
    const { time, scans, scheduler } = setup();
    for (let i = 0; i < 5; i++) {
      scheduler.changed();
      time.advance(100);
    }
    // Last change at 400: quiet until 650.
    time.advance(1000);
    expect(scans).toEqual([650]);
  });

  it('scans a page that never rests at its deadline, then about once a second, never more often than the gap allows', () => {
    const { time, scans, scheduler } = setup();
    for (let t = 0; t < 5000; t++) {
      scheduler.changed();
      time.advance(1);
    }
    expect(scans[0]).toBe(1000);
    const gaps = scans.slice(1).map((at, i) => at - (scans[i] as number));
    expect(gaps.every((gap) => gap >= policy.minGapMs && gap <= policy.maxWaitMs + policy.minGapMs)).toBe(true);
    expect(scans.length).toBeLessThanOrEqual(5);
  });

  it('sets one timer for any number of changes, not one per change', () => {
    const { time, scheduler } = setup();
    for (let i = 0; i < 1000; i++) scheduler.changed();
    expect(time.pending).toBe(1);
  });

  it('rests at least costFactor times as long as the last scan took', () => {
    const { time, scans, scheduler } = setup(100);
    scheduler.changed();
    time.advance(300);
    expect(scans).toEqual([250]);
    // The scan ended at 350: no scan before 350 + 20 × 100.
    scheduler.changed();
    time.advance(1500);
    expect(scans).toHaveLength(1);
    time.advance(1000);
    expect(scans).toEqual([250, 2350]);
  });

  it('does nothing without a change, and nothing after stop', () => {
    const { time, scans, scheduler } = setup();
    time.advance(5000);
    expect(scans).toEqual([]);
    scheduler.changed();
    scheduler.stop();
    scheduler.changed();
    time.advance(5000);
    expect(scans).toEqual([]);
    expect(time.pending).toBe(0);
  });
});
