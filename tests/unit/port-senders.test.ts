import { describe, expect, it } from 'vitest';
import { portPeer } from '../../utils/port-senders';

const self = { id: 'linkpulse-id', origin: 'chrome-extension://linkpulse-id/' };
const popup = { id: self.id, url: 'chrome-extension://linkpulse-id/popup.html' };
const reportTab = { id: self.id, url: 'chrome-extension://linkpulse-id/report.html?tab=4', frameId: 0, tab: { id: 9 } };
const answerWindow = {
  id: self.id,
  url: 'chrome-extension://linkpulse-id/answer.html?id=abc',
  frameId: 0,
  tab: { id: 12 },
};
const liveScript = { id: self.id, url: 'https://example.com/page', frameId: 0, tab: { id: 4 } };

describe('who may open a port to the background', () => {
  it('accepts each port name from the one sender that opens it', () => {
    expect(portPeer('linkpulse-run', popup, self)).toEqual({ kind: 'run' });
    expect(portPeer('linkpulse-run', reportTab, self)).toEqual({ kind: 'run' });
    expect(portPeer('linkpulse-crawl', popup, self)).toEqual({ kind: 'crawl' });
    expect(portPeer('linkpulse-live', liveScript, self)).toEqual({ kind: 'live', tabId: 4 });
    expect(portPeer('linkpulse-answer', answerWindow, self)).toEqual({ kind: 'answer' });
  });

  it.each([
    ['another extension', 'linkpulse-run', { ...popup, id: 'other-extension' }],
    ['no sender at all', 'linkpulse-run', undefined],
    ['our script in a web page asking for runs', 'linkpulse-run', liveScript],
    ['our script in a web page asking for site checks', 'linkpulse-crawl', liveScript],
    ['our script in a web page asking for an answer', 'linkpulse-answer', liveScript],
    ['our script in a subframe', 'linkpulse-live', { ...liveScript, frameId: 3 }],
    ['our script with no tab', 'linkpulse-live', { ...liveScript, tab: undefined }],
    ['a page of ours naming the live port', 'linkpulse-live', reportTab],
    ['a page of ours naming an unknown port', 'linkpulse-debug', popup],
    [
      'a web page whose address starts like ours',
      'linkpulse-run',
      { id: self.id, url: 'https://linkpulse-id/popup.html' },
    ],
  ])('refuses %s', (_what, name, sender) => {
    expect(portPeer(name, sender, self)).toEqual({ kind: 'refused' });
  });
});
