import { describe, expect, it, vi } from 'vitest';
import { createAddressGuard } from '../../../utils/rules/address-guard';

describe('the guard by address', () => {
  it('from a page served from a public address, refuses a host that answers from a private one and closes it', async () => {
    const guard = createAddressGuard(async () => '93.184.216.34');
    expect(await guard.accept('rebind.example', '93.184.216.35')).toBe(true);
    expect(guard.mayContact('rebind.example')).toBe(true);
    for (const [host, address] of [
      ['127.0.0.1.nip.io', '127.0.0.1'],
      ['localtest.me', '::1'],
      ['intranet.example.com', '10.20.30.40'],
      ['vpn.example.com', '198.18.0.7'],
      ['mapped.example.com', '::ffff:192.168.0.1'],
    ] as const) {
      expect(await guard.accept(host, address), host).toBe(false);
      expect(guard.mayContact(host), host).toBe(false);
      // Closed for the run: a later public answer (a rebinding name flipping back) does not reopen it.
      expect(await guard.accept(host, '93.184.216.34'), host).toBe(false);
    }
    expect(guard.mayContact('other.example')).toBe(true);
  });

  it('lets a page served from a private address check its own network (the test pages on loopback)', async () => {
    for (const page of ['127.0.0.1', '10.0.0.2', '::1']) {
      const guard = createAddressGuard(async () => page);
      expect(await guard.accept('b.test', '127.0.0.1'), page).toBe(true);
      expect(guard.mayContact('b.test'), page).toBe(true);
    }
  });

  it('counts a page whose address is unknown as public', async () => {
    const unknown = createAddressGuard(async () => null);
    expect(await unknown.accept('a.example', '192.168.1.1')).toBe(false);
    const failing = createAddressGuard(async () => {
      throw new Error('no answer');
    });
    expect(await failing.accept('a.example', '192.168.1.1')).toBe(false);
  });

  it('asks for the page address once, and only when a private address is met', async () => {
    let asked = 0;
    const guard = createAddressGuard(async () => {
      asked += 1;
      return '127.0.0.1';
    });
    await guard.accept('a.example', '8.8.8.8');
    await guard.accept('b.example', null);
    expect(asked).toBe(0);
    await Promise.all([guard.accept('c.example', '10.0.0.1'), guard.accept('d.example', '10.0.0.2')]);
    expect(asked).toBe(1);
  });
});

describe('the guard by address where names resolve before a request (Firefox)', () => {
  it('closes a host whose name resolves to a private address before anything is sent, asking DNS once per name', async () => {
    const asked: string[] = [];
    const guard = createAddressGuard(async () => '93.184.216.34', {
      resolve: async (name) => {
        asked.push(name);
        return name === 'localtest.me' ? ['127.0.0.1'] : ['93.184.216.40'];
      },
    });
    expect(await guard.beforeSend(new URL('http://localtest.me:8080/a'))).toBe(false);
    expect(await guard.beforeSend(new URL('http://localtest.me:8080/b'))).toBe(false);
    expect(guard.mayContact('localtest.me:8080')).toBe(false);
    expect(await guard.beforeSend(new URL('https://example.com/'))).toBe(true);
    // An IP literal is the guard by name's to judge: no DNS question.
    expect(await guard.beforeSend(new URL('http://8.8.8.8/'))).toBe(true);
    expect(asked).toEqual(['localtest.me', 'example.com']);
  });

  it('lets a page on a private network resolve into it, and leaves a name that does not resolve to the request', async () => {
    const local = createAddressGuard(async () => '10.0.0.2', { resolve: async () => ['10.0.0.9'] });
    expect(await local.beforeSend(new URL('http://wiki.example.com/'))).toBe(true);
    const failing = createAddressGuard(async () => '93.184.216.34', {
      resolve: async () => {
        throw new Error('NS_ERROR_UNKNOWN_HOST');
      },
    });
    expect(await failing.beforeSend(new URL('http://nx.example.com/'))).toBe(true);
  });

  it('lets requests go when a lookup does not answer in time, and closes the host once a late answer is private', {
    timeout: 5_000,
  }, async () => {
    let answer: (addresses: string[]) => void = () => {};
    const asked: string[] = [];
    const guard = createAddressGuard(async () => '93.184.216.34', {
      resolve: (name) => {
        asked.push(name);
        return new Promise((resolve) => {
          answer = resolve;
        });
      },
      lookupTimeoutMs: 20,
    });
    // The guard by the answer's address still stands for what is sent meanwhile.
    expect(await guard.beforeSend(new URL('http://late.example/a'))).toBe(true);
    expect(await guard.beforeSend(new URL('http://late.example/b'))).toBe(true);
    expect(asked).toEqual(['late.example']);
    answer(['127.0.0.1']);
    await vi.waitFor(() => expect(guard.mayContact('late.example')).toBe(false));
    expect(await guard.beforeSend(new URL('http://late.example/c'))).toBe(false);
  });
});
