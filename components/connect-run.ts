import type { ClientMessage, ServerMessage } from '@/utils/protocol';

/** The slice of a runtime port the pages use; the entrypoints hand one in, components never open it themselves. */
export interface PortLike<Out = ClientMessage, In = ServerMessage> {
  postMessage(message: Out): void;
  onMessage: { addListener(listener: (message: In) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** Messages a page keeps while it reconnects: a person's clicks, never a stream. */
export const MAX_WAITING_MESSAGES = 20;
/** How long a page waits before it opens a new port (which wakes the worker again). */
export const RECONNECT_MS = 100;

/**
 * Keeps a page connected to the background. When the service worker stops (Chrome stops idle workers) the port closes:
 * connect again after RECONNECT_MS and say `hello` again (the restarted worker restores the run from storage). What the
 * page sends meanwhile — a click on Check again, Stop — waits and goes out right after the new hello, instead of
 * failing on a closed port and being lost.
 */
export function keepConnected<Out, In>(
  open: () => PortLike<Out, In>,
  hello: (first: boolean) => Out,
  onMessage: (message: In) => void,
  wait: (then: () => void, ms: number) => void = (then, ms) => setTimeout(then, ms),
): (message: Out) => void {
  let port: PortLike<Out, In> | null = null;
  let first = true;
  const waiting: Out[] = [];
  function connect() {
    const opened = open();
    port = opened;
    opened.onMessage.addListener(onMessage);
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = null;
      wait(connect, RECONNECT_MS);
    });
    opened.postMessage(hello(first));
    first = false;
    for (const message of waiting.splice(0)) opened.postMessage(message);
  }
  connect();
  return (message) => {
    if (port) {
      try {
        port.postMessage(message);
        return;
      } catch {
        // Closed before its disconnect event reached the page: kept for the next port.
        port = null;
      }
    }
    if (waiting.length < MAX_WAITING_MESSAGES) waiting.push(message);
  };
}

/** A popup or report page watching its tab's run (starting one if none, for the popup's first hello). */
export function connectRun(
  open: () => PortLike,
  tabId: number,
  startIfNone: boolean,
  onMessage: (message: ServerMessage) => void,
): (message: ClientMessage) => void {
  return keepConnected(open, (first) => ({ type: 'watch', tabId, startIfNone: first && startIfNone }), onMessage);
}
