import { describe, expect, it } from 'vitest';
import { isClientMessage } from '../../utils/protocol';

describe('messages to the background', () => {
  it('accepts the three client messages and nothing else', () => {
    expect(isClientMessage({ type: 'watch', tabId: 3, startIfNone: true })).toBe(true);
    expect(isClientMessage({ type: 'recheck', tabId: 3, onlyFailed: false })).toBe(true);
    expect(isClientMessage({ type: 'cancel', tabId: 3 })).toBe(true);
    for (const bad of [
      null,
      'watch',
      { type: 'watch', tabId: 3 },
      { type: 'watch', tabId: '3', startIfNone: true },
      { type: 'recheck', tabId: 1.5, onlyFailed: false },
      // No message can name a URL for the background to fetch.
      { type: 'check', tabId: 3, url: 'http://192.168.1.1/' },
      { type: 'fetch', url: 'http://localhost/' },
    ]) {
      expect(isClientMessage(bad)).toBe(false);
    }
  });
});
