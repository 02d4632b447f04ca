import { describe, expect, it } from 'vitest';
import { connectRun, keepConnected, MAX_WAITING_MESSAGES, type PortLike } from '../../../components/connect-run';
import type { ClientMessage, ServerMessage } from '../../../utils/protocol';

/** A port like the browser's: it throws once closed, and tells the page it closed only when `disconnect` says so. */
function fakePort(sent: string[], name: string) {
  let closed = false;
  let onDisconnect = () => {};
  const port: PortLike<string, string> = {
    postMessage(message) {
      if (closed) throw new Error('Attempting to use a disconnected port object');
      sent.push(`${name}:${message}`);
    },
    onMessage: { addListener() {} },
    onDisconnect: {
      addListener(listener) {
        onDisconnect = listener;
      },
    },
  };
  return { port, close: () => (closed = true), disconnect: () => onDisconnect() };
}

/** Ports opened one after another, and the reconnects waiting to run (time owned by the test). */
function harness() {
  const sent: string[] = [];
  const ports: ReturnType<typeof fakePort>[] = [];
  const timers: (() => void)[] = [];
  const send = keepConnected(
    () => {
      const made = fakePort(sent, `port${ports.length + 1}`);
      ports.push(made);
      return made.port;
    },
    (first) => (first ? 'hello-first' : 'hello-again'),
    () => {},
    (then) => timers.push(then),
  );
  const port = (i: number) => {
    const made = ports[i];
    if (!made) throw new Error(`no port ${i + 1} was opened`);
    return made;
  };
  const runTimers = () => {
    for (const timer of timers.splice(0)) timer();
  };
  return { send, sent, port, runTimers };
}

describe('a page connected to the background', () => {
  it('keeps what it sends while the worker is gone and sends it right after the next hello, in order', () => {
    const h = harness();
    h.send('recheck');
    h.port(0).close();
    h.port(0).disconnect();
    h.send('crawl-again');
    h.send('cancel');
    expect(h.sent).toEqual(['port1:hello-first', 'port1:recheck']);
    h.runTimers();
    expect(h.sent).toEqual([
      'port1:hello-first',
      'port1:recheck',
      'port2:hello-again',
      'port2:crawl-again',
      'port2:cancel',
    ]);
  });

  it('keeps a message sent on a port that closed before its disconnect event came', () => {
    const h = harness();
    h.port(0).close();
    h.send('recheck');
    h.port(0).disconnect();
    h.runTimers();
    expect(h.sent).toEqual(['port1:hello-first', 'port2:hello-again', 'port2:recheck']);
  });

  it(`keeps at most ${MAX_WAITING_MESSAGES} messages while it waits`, () => {
    const h = harness();
    h.port(0).close();
    h.port(0).disconnect();
    for (let i = 0; i < MAX_WAITING_MESSAGES + 5; i++) h.send(`m${i}`);
    h.runTimers();
    expect(h.sent.filter((m) => m.startsWith('port2:m'))).toHaveLength(MAX_WAITING_MESSAGES);
  });

  it("asks to start a run only in the popup's first hello, never after a reconnect", () => {
    const hellos: ClientMessage[] = [];
    let disconnect = () => {};
    const open = (): PortLike => ({
      postMessage: (m) => hellos.push(m),
      onMessage: { addListener: (_: (m: ServerMessage) => void) => {} },
      onDisconnect: { addListener: (l) => (disconnect = l) },
    });
    connectRun(open, 7, true, () => {});
    disconnect();
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(hellos).toEqual([
          { type: 'watch', tabId: 7, startIfNone: true },
          { type: 'watch', tabId: 7, startIfNone: false },
        ]);
        resolve();
      }, 150),
    );
  });
});
