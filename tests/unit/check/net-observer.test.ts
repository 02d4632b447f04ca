import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNetObserver, type NetEvent, type NetEvents } from '../../../utils/check/net-observer';

const ORIGIN = 'chrome-extension://abcdefghijklmnop';
const URL_A = 'https://a.test/page';

type Name = keyof NetEvents;

/** The browser's webRequest events by hand: which listeners were added, and a way to fire each. */
function eventHub(names: Name[] = ['onBeforeRedirect', 'onResponseStarted', 'onErrorOccurred']) {
  const listeners = new Map<Name, (details: never) => void>();
  const events = Object.fromEntries(
    names.map((name) => [name, (listener: (details: never) => void) => listeners.set(name, listener)]),
  ) as unknown as NetEvents;
  return {
    events,
    fire(name: Name, details: Partial<NetEvent> & Record<string, unknown>) {
      const listener = listeners.get(name);
      if (!listener) throw new Error(`nobody listens to ${name}`);
      listener({ tabId: -1, initiator: ORIGIN, url: URL_A, requestId: '1', ...details } as never);
    },
  };
}

/** Whether a promise has settled by now (after the microtasks already queued). */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return settled;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the network observer', () => {
  it('pairs a request with its watch at the first event it hears of it, and keeps what later events say', async () => {
    const hub = eventHub();
    const observer = createNetObserver(hub.events, ORIGIN);
    const watch = observer.watch(URL_A);
    expect(watch.seen()).toBe(false);
    hub.fire('onResponseStarted', { requestId: '7', ip: '93.184.216.34' });
    expect(watch.seen()).toBe(true);
    expect(await watch.address?.(500)).toBe('93.184.216.34');
    hub.fire('onErrorOccurred', { requestId: '7', error: 'net::ERR_CONNECTION_RESET' });
    expect(watch.netError()).toBe('net::ERR_CONNECTION_RESET');
  });

  it('hears nothing of requests that are not the extension’s own: a tab’s, or another extension’s', async () => {
    const hub = eventHub();
    const observer = createNetObserver(hub.events, ORIGIN);
    const watch = observer.watch(URL_A);
    hub.fire('onErrorOccurred', { requestId: '1', tabId: 3, error: 'net::ERR_FAILED' });
    hub.fire('onErrorOccurred', { requestId: '2', initiator: 'chrome-extension://other', error: 'net::ERR_FAILED' });
    expect(watch.seen()).toBe(false);
    expect(watch.netError()).toBeNull();
    // Firefox names the extension in originUrl.
    hub.fire('onErrorOccurred', {
      requestId: '3',
      initiator: undefined,
      originUrl: `${ORIGIN}/background.js`,
      error: 'NS_ERROR_UNKNOWN_HOST',
    });
    expect(watch.netError()).toBe('NS_ERROR_UNKNOWN_HOST');
  });

  it('gives a request the browser never reported as not seen, after waiting at most the time asked', async () => {
    vi.useFakeTimers();
    const observer = createNetObserver(eventHub().events, ORIGIN);
    const watch = observer.watch(URL_A);
    const settled = watch.settled(250);
    vi.advanceTimersByTime(249);
    expect(await isSettled(settled)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await isSettled(settled)).toBe(true);
    expect(watch.seen()).toBe(false);
  });

  it('settles at a redirect or an error, without waiting out the time', async () => {
    vi.useFakeTimers();
    const hub = eventHub();
    const observer = createNetObserver(hub.events, ORIGIN);
    const moved = observer.watch(URL_A);
    const movedSettled = moved.settled(500);
    hub.fire('onBeforeRedirect', {
      requestId: '1',
      statusCode: 301,
      redirectUrl: 'https://b.test/',
      ip: '93.184.216.34',
    });
    expect(await isSettled(movedSettled)).toBe(true);
    expect(moved.redirect()).toEqual({ status: 301, target: 'https://b.test/' });
    expect(await moved.address?.(500)).toBe('93.184.216.34');

    const failed = observer.watch('https://c.test/');
    const failedSettled = failed.settled(250);
    hub.fire('onErrorOccurred', { requestId: '2', url: 'https://c.test/', error: 'net::ERR_NAME_NOT_RESOLVED' });
    expect(await isSettled(failedSettled)).toBe(true);
    expect(failed.netError()).toBe('net::ERR_NAME_NOT_RESOLVED');
  });

  it('does not take a finished request’s late event for a newer request to the same URL', () => {
    const hub = eventHub();
    const observer = createNetObserver(hub.events, ORIGIN);
    const first = observer.watch(URL_A);
    hub.fire('onResponseStarted', { requestId: '1', ip: '93.184.216.34' });
    first.dispose();
    // A retry of the same URL; then the first request's body, cancelled, ends in an error that comes late.
    const retry = observer.watch(URL_A);
    hub.fire('onErrorOccurred', { requestId: '1', error: 'net::ERR_ABORTED' });
    expect(retry.seen()).toBe(false);
    expect(retry.netError()).toBeNull();
    hub.fire('onErrorOccurred', { requestId: '2', error: 'net::ERR_CONNECTION_REFUSED' });
    expect(retry.netError()).toBe('net::ERR_CONNECTION_REFUSED');
  });

  it('pairs two requests to one URL in the order they were sent', () => {
    const hub = eventHub();
    const observer = createNetObserver(hub.events, ORIGIN);
    const one = observer.watch(URL_A);
    const two = observer.watch(URL_A);
    hub.fire('onErrorOccurred', { requestId: '1', error: 'net::ERR_TIMED_OUT' });
    hub.fire('onErrorOccurred', { requestId: '2', error: 'net::ERR_CONNECTION_RESET' });
    expect([one.netError(), two.netError()]).toEqual(['net::ERR_TIMED_OUT', 'net::ERR_CONNECTION_RESET']);
  });

  it('reads a redirect from its headers where the browser reports it no other way (Firefox), and ends at completion', async () => {
    const hub = eventHub([
      'onBeforeRedirect',
      'onResponseStarted',
      'onErrorOccurred',
      'onHeadersReceived',
      'onCompleted',
    ]);
    const observer = createNetObserver(hub.events, ORIGIN);
    const watch = observer.watch(URL_A);
    hub.fire('onHeadersReceived', {
      statusCode: 302,
      initiator: undefined,
      originUrl: `${ORIGIN}/background.js`,
      responseHeaders: [{ name: 'Location', value: '../next?x=1' }],
    });
    expect(watch.redirect()).toEqual({ status: 302, target: 'https://a.test/next?x=1' });
    hub.fire('onCompleted', { initiator: undefined, originUrl: `${ORIGIN}/background.js`, ip: '2001:db8::1' });
    expect(await watch.address?.(500)).toBe('2001:db8::1');
    // A 304 is no redirect, a Location that is no address gives none.
    const other = observer.watch('https://d.test/');
    hub.fire('onHeadersReceived', {
      requestId: '2',
      url: 'https://d.test/',
      statusCode: 304,
      responseHeaders: [{ name: 'location', value: '/x' }],
    });
    expect(other.redirect()).toBeNull();
  });

  it('does not wait for an address a started response did not give: none will come', async () => {
    vi.useFakeTimers();
    const hub = eventHub();
    const observer = createNetObserver(hub.events, ORIGIN);
    const watch = observer.watch(URL_A);
    const address = watch.address?.(500) as Promise<string | null>;
    hub.fire('onResponseStarted', { requestId: '4' });
    expect(await isSettled(address)).toBe(true);
    expect(await address).toBeNull();
  });
});
