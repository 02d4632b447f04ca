import { describe, expect, it } from 'vitest';
import { isClientMessage, isPageMessage, isPageReply } from '../../utils/protocol';

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

describe('messages to and from the highlight content script', () => {
  it('accepts the four page messages and nothing else', () => {
    expect(isPageMessage({ type: 'page-flash', url: 'https://a.test/x' })).toBe(true);
    expect(isPageMessage({ type: 'page-show', url: 'https://a.test/x', verdict: 'broken' })).toBe(true);
    expect(isPageMessage({ type: 'page-mark', marks: [['https://a.test/x', 'broken']] })).toBe(true);
    expect(isPageMessage({ type: 'page-mark', marks: null })).toBe(true);
    expect(isPageMessage({ type: 'page-count-marks' })).toBe(true);
    for (const bad of [
      null,
      'page-flash',
      { type: 'page-flash' },
      { type: 'page-flash', url: 7 },
      { type: 'page-mark' },
      { type: 'page-show', url: 'https://a.test/x' },
      { type: 'page-show', url: 'https://a.test/x', verdict: 3 },
      { type: 'page-show', url: 'x'.repeat(100_001), verdict: 'broken' },
      { type: 'page-mark', marks: [['https://a.test/x']] },
      { type: 'page-mark', marks: [['https://a.test/x', 3]] },
      { type: 'watch', tabId: 3, startIfNone: true },
    ]) {
      expect(isPageMessage(bad)).toBe(false);
    }
  });

  it('takes only a count back from the page', () => {
    expect(isPageReply(0)).toBe(true);
    expect(isPageReply(12)).toBe(true);
    for (const bad of [undefined, null, -1, 1.5, Number.NaN, '3', 'https://a.test/', { url: 'https://a.test/' }]) {
      expect(isPageReply(bad)).toBe(false);
    }
  });
});
