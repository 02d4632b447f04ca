/**
 * Word that the kept history changed, from whoever wrote it (the worker keeping a finished check, the options page
 * clearing) to every open page that lists it. A BroadcastChannel reaches every context of the extension's origin — the
 * worker and its pages alike — without a port, so a page hears of a check kept after its port closed or reopened.
 */
const CHANNEL = 'linkpulse-history';
const MESSAGE = 'history-changed';
const openChannel = (name: string) => new BroadcastChannel(name);

/** Says the history changed; call it once the write has committed, so that a page reading on the word finds it. */
export function historyAnnouncer(open: (name: string) => Pick<BroadcastChannel, 'postMessage'> = openChannel) {
  let channel: Pick<BroadcastChannel, 'postMessage'> | null = null;
  return (): void => {
    try {
      channel ??= open(CHANNEL);
      channel.postMessage(MESSAGE);
    } catch {
      // A page that misses the word reads the history the next time it is opened: nothing is lost.
    }
  };
}

/** Calls `onChange` whenever the history is said to have changed; returns the function that stops listening. */
export function watchHistory(onChange: () => void, open: (name: string) => BroadcastChannel = openChannel): () => void {
  const channel = open(CHANNEL);
  channel.onmessage = (event) => {
    if (event.data === MESSAGE) onChange();
  };
  return () => channel.close();
}
