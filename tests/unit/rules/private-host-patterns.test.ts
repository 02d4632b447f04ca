import { describe, expect, it } from 'vitest';
import { decimalRange, privateHostConditions } from '../../../utils/rules/private-host-patterns';
import { PRIVATE_NAME_SUFFIXES } from '../../../utils/rules/private-names';
import { isPrivateHost } from '../../../utils/rules/private-network';

/**
 * Whether a browser holding these conditions would match the URL, read the way declarativeNetRequest documents them:
 * `regexFilter` against the whole URL, `requestDomains` against the host and its parent domains.
 */
const matchers = privateHostConditions().map((condition) => {
  if ('regexFilter' in condition) {
    const re = new RegExp(condition.regexFilter);
    return (href: string, _host: string) => re.test(href);
  }
  return (_href: string, host: string) => condition.requestDomains.some((d) => host === d || host.endsWith(`.${d}`));
});
function matches(url: string): boolean {
  const { href, hostname } = new URL(url);
  return matchers.some((match) => match(href, hostname));
}

describe('decimalRange', () => {
  it('matches exactly the numbers of its range, as a URL writes them', () => {
    const ranges = [
      [0, 255],
      [64, 127],
      [16, 31],
      [18, 19],
      [224, 239],
      [240, 255],
      [7, 7],
      [0, 9],
      [9, 10],
    ] as const;
    for (const [lo, hi] of ranges) {
      const re = new RegExp(`^${decimalRange(lo, hi)}$`);
      for (let n = 0; n <= 255; n++) expect(re.test(String(n)), `${n} in ${lo}..${hi}`).toBe(n >= lo && n <= hi);
      expect(re.test('007'), 'leading zeros').toBe(false);
    }
  });
});

describe('privateHostConditions: the guard by name, as the browser matches requests', () => {
  it('matches an IPv4 host exactly when the guard calls it private, across the whole address space', () => {
    // Written as the browser writes them (canonical already), so parsed once by neither side.
    const wrong: string[] = [];
    const judge = (host: string) => {
      const href = `http://${host}:8080/x`;
      if (matchers.some((match) => match(href, host)) !== isPrivateHost(host)) wrong.push(host);
    };
    for (let a = 0; a <= 255; a++) {
      for (let b = 0; b <= 255; b++) for (const tail of ['0.0', '255.254']) judge(`${a}.${b}.${tail}`);
    }
    // The /24 ranges (192.0.0, 192.0.2, 192.88.99, 198.51.100, 203.0.113) and their neighbours, third octet by octet.
    for (const ab of ['192.0', '192.88', '198.51', '203.0']) for (let c = 0; c <= 255; c++) judge(`${ab}.${c}.7`);
    expect(wrong).toEqual([]);
  });

  it('matches private names, single labels and every listed suffix, and leaves public names alone', () => {
    const privateUrls = [
      'http://localhost/',
      'http://localhost:3000/admin',
      'http://app.localhost/',
      'http://localhost.localdomain/',
      'http://ip6-localhost/',
      'http://router/',
      'http://LOCALHOST./',
      'http://printer.local../',
      'https://user:pw@nas.home.arpa/',
      'ws://printer.local/socket',
      ...PRIVATE_NAME_SUFFIXES.flatMap(([suffix]) => [`http://${suffix}/`, `https://x.y.${suffix}:81/?q`]),
    ];
    for (const url of privateUrls) {
      expect(isPrivateHost(new URL(url).hostname), url).toBe(true);
      expect(matches(url), url).toBe(true);
    }
    const publicUrls = [
      'https://example.com/',
      'http://a.test:4000/redirect-to?url=http%3A%2F%2F127.0.0.1%2F',
      'http://a.test/?to=http://localhost/',
      'http://localhost.example.com/',
      'http://local.example.com/',
      'http://my.box/',
      'http://127.0.0.1.nip.io/',
      'http://10.0.0.1.example/',
      'http://127.0.0.1@a.test/',
      'http://user:x@a.test:81/',
      'http://xn--bcher-kva.example/#localhost',
    ];
    for (const url of publicUrls) {
      expect(isPrivateHost(new URL(url).hostname), url).toBe(false);
      expect(matches(url), url).toBe(false);
    }
  });

  it('matches private addresses however a link wrote them, and behind credentials', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0/',
      'http://a.test@127.0.0.1:9/',
      'https://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fe80::1]:8080/',
      'http://[fd12:3456::1]/',
    ]) {
      expect(isPrivateHost(new URL(url).hostname), url).toBe(true);
      expect(matches(url), url).toBe(true);
    }
  });

  it('refuses every IPv6 literal and every trailing-dot name, wider than the guard where text cannot follow it', () => {
    for (const url of ['http://[2606:4700::1111]/', 'http://example.com./']) {
      expect(isPrivateHost(new URL(url).hostname), url).toBe(false);
      expect(matches(url), url).toBe(true);
    }
  });
});
