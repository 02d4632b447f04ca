import { describe, expect, it } from 'vitest';
import { askPage, type PageChannel } from '../../../utils/highlight/ask-page';

const COUNT = { type: 'page-count-marks' } as const;

function channel(replies: unknown[], injectable = true) {
  const calls: string[] = [];
  const ch: PageChannel = {
    async send() {
      calls.push('send');
      const reply = replies.shift();
      if (reply instanceof Error) throw reply;
      return reply;
    },
    async inject() {
      calls.push('inject');
      if (!injectable) throw new Error('Cannot access a chrome:// URL');
    },
  };
  return { ch, calls };
}

describe('asking the highlight script in a tab', () => {
  it('takes the count the script answers, without injecting it again', async () => {
    const { ch, calls } = channel([4]);
    expect(await askPage(ch, 1, COUNT, true)).toBe(4);
    expect(calls).toEqual(['send']);
  });

  it('puts the script in the page when none answers, then asks again', async () => {
    const { ch, calls } = channel([new Error('Receiving end does not exist'), 2]);
    expect(await askPage(ch, 1, COUNT, true)).toBe(2);
    expect(calls).toEqual(['send', 'inject', 'send']);
  });

  it('does not inject when not asked to, and takes nothing but a count from the page', async () => {
    const none = channel([undefined]);
    expect(await askPage(none.ch, 1, COUNT, false)).toBeNull();
    expect(none.calls).toEqual(['send']);
    for (const reply of ['https://a.test/', -1, 1.5, { count: 3 }]) {
      expect(await askPage(channel([reply]).ch, 1, COUNT, true)).toBeNull();
    }
  });

  it('answers null where no script may run', async () => {
    const { ch, calls } = channel([undefined], false);
    expect(await askPage(ch, 1, COUNT, true)).toBeNull();
    expect(calls).toEqual(['send', 'inject']);
  });
});
