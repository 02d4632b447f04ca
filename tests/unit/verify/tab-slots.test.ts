// The tabs at once shared by every verification: turns in order, and a stopped one gives up its place.
import { describe, expect, it } from 'vitest';
import { createTabSlots } from '../../../utils/verify/tab-slots';

const never = new AbortController().signal;

describe('tab slots', () => {
  it('holds a run to its limit counting the tabs of the others, and hands a freed slot to the first waiting', async () => {
    const slots = createTabSlots();
    expect(await slots.take(2, never)).toBe(true);
    expect(await slots.take(2, never)).toBe(true);
    const order: string[] = [];
    const first = slots.take(2, never).then((ok) => order.push(`first ${ok}`));
    const second = slots.take(2, never).then((ok) => order.push(`second ${ok}`));
    slots.give();
    await first;
    expect(order).toEqual(['first true']);
    slots.give();
    await second;
    expect(order).toEqual(['first true', 'second true']);
  });

  it('lets a run that allows one tab wait while another has one open', async () => {
    const slots = createTabSlots();
    expect(await slots.take(2, never)).toBe(true);
    let granted = false;
    const one = slots.take(1, never).then((ok) => {
      granted = ok;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    slots.give();
    await one;
    expect(granted).toBe(true);
  });

  it('answers false to a waiting run that is stopped, which then holds no slot', async () => {
    const slots = createTabSlots();
    await slots.take(1, never);
    const stop = new AbortController();
    const waiting = slots.take(1, stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
    slots.give();
    expect(await slots.take(1, never)).toBe(true);
  });
});
