// Injected into the checked tab's top frame by the background when a run starts (an unlisted script: no page runs it
// unasked). It collects the page, then follows it while the background asks, reporting links that join it over a
// port; the port's end (the background stopped, or said stop) ends the following, so no observer outlives it. Not a
// WXT content script: WXT's content-script context announces each start on the page's window and document, which told
// a page when a check began and let it stop the script.
import { browser } from 'wxt/browser';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createPageWatcher, type PageWatcher } from '@/utils/collect/watch-page';
import { replacePageScript } from '@/utils/page-script';
import { isLiveCommand, LIVE_PORT, type LiveCommand, type LiveReport, type LiveWhere } from '@/utils/protocol';

type Port = ReturnType<typeof browser.runtime.connect>;

export default defineUnlistedScript(() => {
  // Injected again for each run: the older copy lets go first (replacePageScript below).
  let watcher: PageWatcher | null = null;
  let port: Port | null = null;
  let token = '';

  function stop(): void {
    watcher?.stop();
    port?.disconnect();
    port = null;
  }

  function connect(): Port {
    const opened = browser.runtime.connect({ name: LIVE_PORT });
    // The background went away (Chrome stops idle workers) or let go: stop following until it asks again.
    opened.onDisconnect.addListener(() => {
      if (port === opened) {
        port = null;
        watcher?.stop();
      }
    });
    return opened;
  }

  function watcherFor(command: Extract<LiveCommand, { token: string }>): PageWatcher {
    token = command.token;
    port ??= connect();
    watcher ??= createPageWatcher({
      kinds: command.kinds,
      maxLinks: command.maxLinks,
      report(find) {
        const report: LiveReport = { type: 'live-found', token, ...find };
        try {
          port?.postMessage(report);
        } catch {
          stop();
        }
      },
    });
    return watcher;
  }

  function answer(command: LiveCommand): unknown {
    switch (command.type) {
      case 'live-collect':
        stop();
        // A new run may have other settings: a new watcher, with no links known but those collected now.
        watcher = null;
        return watcherFor(command).collect();
      case 'live-follow':
        watcherFor(command).follow();
        return true;
      case 'live-stop':
        stop();
        return true;
      case 'live-where':
        return { href: location.href, token } satisfies LiveWhere;
    }
  }

  const listener = (message: unknown, sender: { id?: string }) => {
    // Only the extension itself gives commands, and only in the shapes of the protocol.
    if (sender.id !== browser.runtime.id || !isLiveCommand(message)) return undefined;
    return Promise.resolve(answer(message));
  };
  browser.runtime.onMessage.addListener(listener);
  replacePageScript('live', () => {
    browser.runtime.onMessage.removeListener(listener);
    stop();
  });
});
