import { describe, expect, it } from 'vitest';
import { createUrlRules } from '../../../utils/rules/url-rules';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';

const rulesFor = (page: string, settings: Partial<Settings> = {}) =>
  createUrlRules(page, { ...DEFAULT_SETTINGS, ...settings });

describe('createUrlRules', () => {
  it('skips non-HTTP schemes without a request', () => {
    const rules = rulesFor('https://example.com/');
    for (const url of ['mailto:a@b.c', 'tel:+1', 'javascript:void(0)', 'data:text/plain,hi', 'ftp://x.org/']) {
      expect(rules(url), url).toEqual({ action: 'skip', reason: 'scheme' });
    }
  });
  it('reports a URL the browser could not resolve as invalid', () => {
    expect(rulesFor('https://example.com/')('http://exa mple.com/')).toEqual({ action: 'invalid' });
  });
  it('guards the private network from public pages, URL parser tricks included', () => {
    const rules = rulesFor('https://example.com/');
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://localhost/',
      'http://192.168.0.1/admin',
      'http://2130706433/',
      'http://0x7f.1/',
    ]) {
      expect(rules(url), url).toEqual({ action: 'skip', reason: 'private-network' });
    }
    expect(rules('https://example.org/').action).toBe('check');
  });
  it('guards IPv6 forms that embed a private IPv4 address, site-local IPv6 and localhost with trailing dots', () => {
    const rules = rulesFor('https://example.com/');
    for (const url of [
      'http://[::127.0.0.1]/',
      'http://[::ffff:0:127.0.0.1]/',
      'http://[64:ff9b::192.168.1.1]/',
      'http://[fec0::1]/',
      'http://localhost../',
    ]) {
      expect(rules(url), url).toEqual({ action: 'skip', reason: 'private-network' });
    }
    expect(rules('http://[64:ff9b::8.8.8.8]/').action).toBe('check');
  });
  it('checks private targets when the page itself is local, or when the guard is off', () => {
    expect(rulesFor('http://localhost:3000/')('http://127.0.0.1/').action).toBe('check');
    expect(rulesFor('https://example.com/', { privateNetworkGuard: false })('http://10.0.0.1/').action).toBe('check');
  });
  it('counts a local file, and a blob made by a local page or file, as a local page', () => {
    for (const page of [
      'file:///home/me/site/index.html',
      'http://192.168.1.10/intranet',
      'blob:http://localhost:3000/0b4f7a52-3a6e-4b8e-9d0e-3f1c2b7a9e11',
      'blob:file:///0b4f7a52-3a6e-4b8e-9d0e-3f1c2b7a9e11',
    ]) {
      expect(rulesFor(page)('http://192.168.1.1/').action, page).toBe('check');
    }
  });
  it('guards the private network from any page not known to be local: about:, data:, foreign blobs, unknown', () => {
    for (const page of [
      'about:blank',
      'about:srcdoc',
      'data:text/html,<a href="http://192.168.1.1/">router</a>',
      'blob:https://evil.com/0b4f7a52-3a6e-4b8e-9d0e-3f1c2b7a9e11',
      'blob:null/0b4f7a52-3a6e-4b8e-9d0e-3f1c2b7a9e11',
      'chrome://newtab/',
      'view-source:http://localhost:3000/',
      'not a url',
    ]) {
      const rules = rulesFor(page);
      for (const url of ['http://192.168.1.1/', 'http://127.0.0.1:8080/']) {
        expect(rules(url), `${url} from ${page}`).toEqual({ action: 'skip', reason: 'private-network' });
      }
    }
  });
  it('applies glob and regex exclusions to the whole URL', () => {
    const rules = rulesFor('https://example.com/', {
      excludePatterns: ['https://example.com/private/*', '/\\.pdf$/i'],
    });
    expect(rules('https://example.com/private/x')).toEqual({ action: 'skip', reason: 'excluded' });
    expect(rules('https://other.org/report.PDF')).toEqual({ action: 'skip', reason: 'excluded' });
    expect(rules('https://example.com/public').action).toBe('check');
  });
  it('judges every link on its own under a regex with the stateful g or y flag (dropped; y matches as if absent)', () => {
    const pdfs = ['https://a.org/1.pdf', 'https://a.org/2.pdf', 'https://a.org/3.pdf', 'https://a.org/4.pdf'];
    for (const pattern of ['/\\.pdf$/gi', '/\\.pdf$/y', '/\\.PDF$/giy']) {
      const rules = rulesFor('https://example.com/', { excludePatterns: [pattern] });
      for (const url of pdfs) {
        expect(rules(url), `${url} under ${pattern}`).toEqual({ action: 'skip', reason: 'excluded' });
      }
      expect(rules('https://a.org/5.html').action, pattern).toBe('check');
    }
  });
  it('skips other hosts in same-host mode', () => {
    const rules = rulesFor('https://example.com/', { sameHostOnly: true });
    expect(rules('https://other.org/')).toEqual({ action: 'skip', reason: 'external' });
    expect(rules('https://example.com/a').action).toBe('check');
  });
  it('calls a host that no DNS name can match invalid', () => {
    const rules = rulesFor('https://example.com/');
    expect(rules('http://exa%20mple.com/')).toEqual({ action: 'invalid' });
    expect(rules('http://[::1')).toEqual({ action: 'invalid' });
    expect(rules('https://bücher.example/').action).toBe('check');
  });
});

describe('links that change state', () => {
  it('are never requested by a page check either: skipped, with why', () => {
    const rules = createUrlRules('https://site.example/', DEFAULT_SETTINGS);
    expect(rules('https://site.example/account/logout')).toMatchObject({ action: 'skip', reason: 'state-changing' });
    expect(rules('https://site.example/list?unsubscribe=1')).toMatchObject({
      action: 'skip',
      reason: 'state-changing',
    });
    expect(rules('https://site.example/blog/logging-outdoors')).toMatchObject({ action: 'check' });
  });
});
