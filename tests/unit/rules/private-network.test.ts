import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../../utils/rules/private-addresses';
import { isPrivateHost } from '../../../utils/rules/private-network';
import { createUrlRules } from '../../../utils/rules/url-rules';
import { DEFAULT_SETTINGS } from '../../../utils/settings';

/** The host as a link's URL gives it to the guard: through the browser's URL parser, as in the extension. */
const hostOf = (url: string) => new URL(url).hostname;

describe('isPrivateHost: names', () => {
  it('calls loopback names and their variants private', () => {
    for (const url of [
      'http://localhost/',
      'http://app.localhost/',
      'http://localhost.localdomain/',
      'http://ip6-localhost/',
      'http://ip6-loopback/',
      'http://LOCALHOST./',
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
  });
  it('calls single-label names private: the local resolver completes them inside the network', () => {
    for (const url of ['http://router/', 'http://wiki/admin', 'http://nas:5000/', 'http://intranet./']) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
  });
  it('calls names under private-use suffixes and router vendor names private', () => {
    for (const url of [
      'http://printer.local/',
      'http://nas.home.arpa/',
      'http://metadata.google.internal/',
      'http://git.corp/',
      'http://portal.intranet/',
      'http://pi.lan/',
      'http://media.home/',
      'http://exchange.mail/',
      'http://db.private/',
      'http://box.priv/',
      'http://fritz.box/',
      'http://speedport.ip/',
      'http://www.routerlogin.net/',
      'http://tplinkwifi.net/',
      'http://router.asus.com/',
      'http://printer.local../',
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
  });
  it('leaves public names alone, the test pages at *.test included', () => {
    for (const url of [
      'https://example.com/',
      'http://a.test/',
      'http://s6.test:8080/',
      'http://localhost.example.com/',
      'http://local.example.com/',
      'http://internal.example.org/',
      'http://my.box/',
      'http://lan.party/',
      'http://xn--bcher-kva.example/',
      'http://asus.com/',
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(false);
    }
  });
});

describe('isPrivateHost: addresses in any notation', () => {
  it('calls loopback, private, link-local, CGNAT and "this network" IPv4 private, however written', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://127.8.9.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://10.1.2.3/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.1/',
      'http://169.254.169.254/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://0/',
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
  });
  it('calls benchmarking 198.18.0.0/15 and other special-use IPv4 ranges private, and not their neighbours', () => {
    for (const url of [
      'http://198.18.0.1/',
      'http://198.19.255.254/',
      'http://192.0.0.8/',
      'http://192.0.2.1/',
      'http://198.51.100.7/',
      'http://203.0.113.9/',
      'http://224.0.0.251/',
      'http://255.255.255.255/',
      'http://240.0.0.1/',
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
    for (const url of [
      'http://198.17.255.255/',
      'http://198.20.0.1/',
      'http://8.8.8.8/',
      'http://172.32.0.1/',
      'http://192.169.0.1/',
      'http://100.128.0.1/',
      'http://223.255.255.255/',
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(false);
    }
  });
  it('calls loopback, unique-local, link-local, site-local and multicast IPv6 private', () => {
    for (const url of [
      'http://[::1]/',
      'http://[::]/',
      'http://[fc00::1]/',
      'http://[fd12:3456::1]/',
      'http://[fe80::1]/',
      'http://[fec0::1]/',
      'http://[feff:ffff::1]/',
      'http://[ff02::1]/',
      'http://[100::1]/',
      'http://[2001:db8::1]/',
      'http://[3fff::1]/',
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
    for (const url of ['http://[2001:4860:4860::8888]/', 'http://[2606:4700::1111]/', 'http://[fbff::1]/']) {
      expect(isPrivateHost(hostOf(url)), url).toBe(false);
    }
  });
  it('sees a private IPv4 address inside mapped, compatible, translated, NAT64 and 6to4 IPv6 addresses', () => {
    for (const url of [
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:c0a8:101]/',
      'http://[::127.0.0.1]/',
      'http://[::ffff:0:10.0.0.1]/',
      'http://[64:ff9b::192.168.1.1]/',
      'http://[64:ff9b::198.18.0.1]/',
      'http://[2002:c0a8:101::1]/', // 6to4 of 192.168.1.1
      'http://[2002:7f00:1::]/', // 6to4 of 127.0.0.1
    ]) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
    for (const url of ['http://[::ffff:8.8.8.8]/', 'http://[64:ff9b::8.8.8.8]/', 'http://[2002:808:808::1]/']) {
      expect(isPrivateHost(hostOf(url)), url).toBe(false);
    }
  });
  it('calls the whole local-use NAT64 prefix 64:ff9b:1::/48 private, whatever it embeds', () => {
    for (const url of ['http://[64:ff9b:1::808:808]/', 'http://[64:ff9b:1:ffff::1]/']) {
      expect(isPrivateHost(hostOf(url)), url).toBe(true);
    }
    expect(isPrivateHost(hostOf('http://[64:ff9b:2::808:808]/'))).toBe(false);
  });
});

describe('isPrivateAddress: addresses as the network reports them', () => {
  it('judges bare IPv4 and IPv6 addresses, dotted tails included', () => {
    for (const ip of ['127.0.0.1', '10.0.0.7', '::1', '::ffff:127.0.0.1', 'fe80::1', '[::1]', '198.18.5.5']) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '[2001:4860:4860::8888]']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
  });
  it('does not call something that is no address public', () => {
    for (const ip of ['', 'example.com', 'not an address', '::g']) expect(isPrivateAddress(ip), ip).toBe(true);
  });
});

describe('the guard by name, applied to a public page', () => {
  const rules = createUrlRules('https://a.test/page', DEFAULT_SETTINGS);
  it('skips every private name without a request, and checks the *.test pages', () => {
    for (const url of [
      'http://router/',
      'http://wiki.corp/',
      'http://nas.home.arpa/',
      'http://localhost.localdomain/',
    ]) {
      expect(rules(url), url).toEqual({ action: 'skip', reason: 'private-network' });
    }
    expect(rules('http://b.test/x').action).toBe('check');
  });
  it('counts a page on a private name as local: an intranet page may check its own network', () => {
    expect(createUrlRules('http://wiki.corp/start', DEFAULT_SETTINGS)('http://router/').action).toBe('check');
    expect(createUrlRules('http://router/', DEFAULT_SETTINGS)('http://192.168.1.1/').action).toBe('check');
  });
});
