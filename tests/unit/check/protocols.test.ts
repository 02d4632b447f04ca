import { describe, expect, it } from 'vitest';
import {
  canMultiplex,
  classifyProtocol,
  createProtocolBook,
  protocolOfStatusLine,
  sharesConnection,
} from '../../../utils/check/protocols';

describe('classifyProtocol', () => {
  it('calls HTTP/2, HTTP/3 (drafts too) and SPDY multiplexed, HTTP/1.x one request per connection', () => {
    for (const id of ['h2', 'h3', 'h3-29', 'H2', 'spdy/3.1']) expect(classifyProtocol(id)).toBe('multiplexed');
    for (const id of ['http/1.1', 'http/1.0', 'http/0.9', 'HTTP/1.1']) expect(classifyProtocol(id)).toBe('http1');
  });

  it('learns nothing from an empty or unknown id (a browser that does not say)', () => {
    for (const id of ['', ' ', 'h2c-ish', 'http/2', 'quic', 'unknown']) expect(classifyProtocol(id)).toBeNull();
  });
});

describe('which requests share a connection', () => {
  it('only https can: browsers speak HTTP/2 and 3 over TLS only', () => {
    expect(canMultiplex('https://a.test/x')).toBe(true);
    for (const url of ['http://a.test/x', 'ftp://a.test/', 'httpsx://a.test/']) expect(canMultiplex(url)).toBe(false);
  });

  it('shares one when it can and its host answered over HTTP/2 or 3; else HTTP/1.1, one request per connection', () => {
    expect(sharesConnection(true, 'multiplexed')).toBe(true);
    expect(sharesConnection(false, 'multiplexed')).toBe(false);
    expect(sharesConnection(true, 'http1')).toBe(false);
    expect(sharesConnection(true, undefined)).toBe(false);
  });
});

describe('protocolOfStatusLine (Firefox)', () => {
  it('reads the version of the status lines Firefox reports', () => {
    // As Firefox ESR 153 reported them for a Node http2 server and a Node https server.
    expect(protocolOfStatusLine('HTTP/2.0 200 ')).toBe('h2');
    expect(protocolOfStatusLine('HTTP/1.1 200 OK')).toBe('http/1.1');
    expect(protocolOfStatusLine('HTTP/3.0 404 ')).toBe('h3');
    expect(protocolOfStatusLine('HTTP/1.0 301 Moved')).toBe('http/1.0');
    expect(protocolOfStatusLine('HTTP/2 200')).toBe('h2');
  });

  it('says nothing for a missing or odd line', () => {
    for (const line of [undefined, '', '200 OK', 'HTTP/9.0 200 ', 'ICY 200 OK']) {
      expect(protocolOfStatusLine(line)).toBeNull();
    }
  });
});

/** A wait that ends only when the test says so. */
function manualWait() {
  const pending: (() => void)[] = [];
  return {
    wait: () => new Promise<void>((resolve) => pending.push(resolve)),
    elapse: () => {
      for (const resolve of pending.splice(0)) resolve();
    },
  };
}

describe('the protocol book', () => {
  it('answers at once for a URL already reported', async () => {
    const { wait } = manualWait();
    const book = createProtocolBook({ maxEntries: 10, wait });
    book.record('https://a.test/x', 'h2');
    await expect(book.lookup('https://a.test/x', 1000)).resolves.toBe('h2');
  });

  it('answers as soon as a report that trails the response comes in', async () => {
    const { wait } = manualWait();
    const book = createProtocolBook({ maxEntries: 10, wait });
    const first = book.lookup('https://a.test/x', 1000);
    const second = book.lookup('https://a.test/x', 1000);
    book.record('https://a.test/other', 'http/1.1');
    book.record('https://a.test/x', 'h3');
    await expect(first).resolves.toBe('h3');
    await expect(second).resolves.toBe('h3');
  });

  it('gives up with null once the wait is over', async () => {
    const clock = manualWait();
    const book = createProtocolBook({ maxEntries: 10, wait: clock.wait });
    const lookup = book.lookup('https://a.test/never', 1000);
    clock.elapse();
    await expect(lookup).resolves.toBeNull();
    // A report after that is kept for the next lookup.
    book.record('https://a.test/never', 'h2');
    await expect(book.lookup('https://a.test/never', 1000)).resolves.toBe('h2');
  });

  it('forgets the oldest URLs beyond its bound', async () => {
    const clock = manualWait();
    const book = createProtocolBook({ maxEntries: 2, wait: clock.wait });
    book.record('https://a.test/1', 'h2');
    book.record('https://a.test/2', 'h2');
    book.record('https://a.test/3', 'h2');
    const forgotten = book.lookup('https://a.test/1', 1000);
    clock.elapse();
    await expect(forgotten).resolves.toBeNull();
    await expect(book.lookup('https://a.test/2', 1000)).resolves.toBe('h2');
    await expect(book.lookup('https://a.test/3', 1000)).resolves.toBe('h2');
  });
});
