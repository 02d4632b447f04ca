import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { RUN_PORT } from '@/utils/protocol';
import type { KeyValueArea } from '@/utils/run/run-store';
import { createNetObserver } from './net-observer';
import { createResultCache } from './result-cache';
import { RESUME_ALARM, RunManager } from './run-manager';
import { sessionArea } from './session-area';

export default defineBackground({
  type: 'module',
  main() {
    // Every listener is registered synchronously here: one added after an await would miss the event that woke us.
    // Feature-detected: where a browser lacks storage.session, runs live in memory (said in the console).
    const session = sessionArea(browser.storage.session as KeyValueArea | undefined);
    const runs = new RunManager(session, createNetObserver(), createResultCache(session));
    browser.runtime.onConnect.addListener((port) => {
      // Only our own pages talk to the background; content scripts never name URLs to fetch.
      if (port.name !== RUN_PORT || !port.sender?.url?.startsWith(browser.runtime.getURL('/'))) {
        port.disconnect();
        return;
      }
      runs.connect(port);
    });
    browser.tabs.onRemoved.addListener((tabId) => void runs.forget(tabId));
    browser.tabs.onUpdated.addListener((tabId, change) => {
      if (change.url) void runs.onNavigated(tabId, change.url);
    });
    // The alarm exists only while a run is going: waking a stopped worker is enough, the constructor resumes runs.
    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === RESUME_ALARM) runs.flushAll();
    });
  },
});
