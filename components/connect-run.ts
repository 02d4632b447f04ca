import type { ClientMessage, ServerMessage } from '@/utils/protocol';

/** The slice of a runtime port the pages use; the entrypoints hand one in, components never open it themselves. */
export interface PortLike {
  postMessage(message: ClientMessage): void;
  onMessage: { addListener(listener: (message: ServerMessage) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/**
 * Keeps a page connected to its tab's run. When the service worker stops (Chrome stops idle workers) the port
 * closes: reconnect and ask for the same run again, which the restarted worker restores from session storage.
 */
export function connectRun(
  open: () => PortLike,
  tabId: number,
  startIfNone: boolean,
  onMessage: (message: ServerMessage) => void,
): (message: ClientMessage) => void {
  let port: PortLike;
  let first = true;
  function connect() {
    port = open();
    port.onMessage.addListener(onMessage);
    port.onDisconnect.addListener(() => setTimeout(connect, 100));
    port.postMessage({ type: 'watch', tabId, startIfNone: first && startIfNone });
    first = false;
  }
  connect();
  return (message) => port.postMessage(message);
}
