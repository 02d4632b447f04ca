import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLinks, realTimeDeps } from '../../../utils/check/check-links';
import { englishNotes } from '../../../utils/notes/english';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { LinkResult } from '../../../utils/types';
import { type FixtureServer, startFixtureServer } from '../../fixtures/server';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => server.resetStats());

// github.com and docs.example reach the local server, as a resolver would send them there.
const localFetch: typeof fetch = (input, init) =>
  fetch(String(input).replace(/\/\/(github\.com|docs\.example):/, '//127.0.0.1:'), init);

/** Checks links with the real checker and Node's real fetch, from a local page (redirects followed by fetch). */
async function check(urls: string[], settings: Partial<Settings> = {}): Promise<Map<string, LinkResult>> {
  const results = new Map<string, LinkResult>();
  await checkLinks({
    pageUrl: 'http://127.0.0.1/page.html',
    links: urls.map((url) => ({ url, occurrences: 1, texts: [] })),
    settings: { ...DEFAULT_SETTINGS, ...settings },
    deps: realTimeDeps(localFetch),
    signal: new AbortController().signal,
    onResult: (r) => results.set(r.url, r),
  });
  return results;
}

async function one(url: string, settings: Partial<Settings> = {}): Promise<LinkResult | undefined> {
  return (await check([url], settings)).get(url);
}

describe('fragments, read as the document arrives', () => {
  it('stops reading a page that streams forever once its anchor has come', async () => {
    // The request timeout is the whole test's bound: a reader that waited for the end would time out and say error.
    const result = await one(server.url('/html-anchor-early-then-endless#early'), { requestTimeoutSec: 5, retries: 0 });
    expect(result).toMatchObject({ verdict: 'ok', status: 200 });
    expect(result?.notes).toBeUndefined();
  });

  it('keeps the anchor it saw when the body then fails: a reset, a Content-Length that lies', async () => {
    expect(await one(server.url('/html-anchor-then-reset#before-reset'))).toMatchObject({ verdict: 'ok', status: 200 });
    expect(await one(server.url('/html-shorter-than-content-length#promised'))).toMatchObject({ verdict: 'ok' });
  });

  it('does not call an anchor missing when the body failed before it, and says why', async () => {
    const result = await one(server.url('/html-anchor-then-reset#later'), { retries: 0 });
    expect(result).toMatchObject({ verdict: 'ok', status: 200 });
    expect(englishNotes(result ?? {})).toMatch(/not found in what was read.*failed or timed out part-way/);
  });

  it('stops reading an endless page without the anchor at the time limit, judging nothing it did not see', async () => {
    const result = await one(server.url('/html-anchor-early-then-endless#never'), { requestTimeoutSec: 1, retries: 0 });
    expect(result).toMatchObject({ verdict: 'ok', status: 200 });
    expect(englishNotes(result ?? {})).toMatch(/not found in what was read/);
  });
});

describe('fragments after a redirect', () => {
  const redirectTo = (location: string, fragment: string) =>
    server.url(`/redirect-to?url=${encodeURIComponent(location)}#${fragment}`);

  it('does not judge the link’s fragment when a redirect names its own: a browser lands at that one', async () => {
    const link = redirectTo('/doc-with-ids#intro', 'gone');
    const result = await one(link);
    expect(result).toMatchObject({ verdict: 'redirected', status: 200, finalUrl: server.url('/doc-with-ids') });
    expect(englishNotes(result ?? {})).toContain('a redirect names its own (#intro)');
  });

  it('keeps the redirect’s fragment through later hops that name none (Fetch)', async () => {
    const link = redirectTo(`/redirect-to?url=${encodeURIComponent('/doc-with-ids')}#intro`, 'gone');
    expect(await one(link)).toMatchObject({ verdict: 'redirected', status: 200 });
  });

  it('judges the link’s fragment when no redirect names one', async () => {
    expect(await one(redirectTo('/doc-with-ids', 'gone'))).toMatchObject({
      verdict: 'broken',
      reason: 'fragment-missing',
    });
    expect(await one(redirectTo('/doc-with-ids', 'intro'))).toMatchObject({ verdict: 'redirected' });
  });
});

describe('fragments, matched as browsers match them', () => {
  it('tries the fragment as written, then decoded; ids and <a name> only', async () => {
    const at = (fragment: string) => server.url(`/doc-browser-targets#${fragment}`);
    const results = await check([at('a%3Ab'), at('caf%C3%A9'), at('anchor-name'), at('meta-only'), at('input-only')]);
    expect(results.get(at('a%3Ab'))).toMatchObject({ verdict: 'ok' });
    expect(results.get(at('caf%C3%A9'))).toMatchObject({ verdict: 'ok' });
    expect(results.get(at('anchor-name'))).toMatchObject({ verdict: 'ok' });
    expect(results.get(at('meta-only'))).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    expect(results.get(at('input-only'))).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
    // One read of the document for all of them.
    expect(server.requestsTo('/doc-browser-targets')).toHaveLength(1);
  });

  it('never calls a text directive missing for its text, but checks its element part', async () => {
    const at = (fragment: string) => server.url(`/doc-browser-targets#${fragment}`);
    const results = await check([at(':~:text=no%20such%20words'), at('anchor-name:~:text=x'), at('gone:~:text=x')]);
    expect(results.get(at(':~:text=no%20such%20words'))).toMatchObject({ verdict: 'ok' });
    expect(results.get(at('anchor-name:~:text=x'))).toMatchObject({ verdict: 'ok' });
    expect(results.get(at('gone:~:text=x'))).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
  });

  it('matches GitHub’s user-content- ids on GitHub only', async () => {
    const github = server.url('/doc-browser-targets#install', 'github.com');
    const elsewhere = server.url('/doc-browser-targets#install', 'docs.example');
    const results = await check([github, elsewhere]);
    expect(results.get(github)).toMatchObject({ verdict: 'ok' });
    expect(results.get(elsewhere)).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
  });

  it('does not check fragments in documents that are not HTML, and says so', async () => {
    const pdf = await one(server.url('/pdf-document#page=2'));
    expect(pdf).toMatchObject({ verdict: 'ok', status: 200 });
    expect(englishNotes(pdf ?? {})).toMatch(/not checked: the target is not an HTML document \(application\/pdf\)/);
    const plain = await one(server.url('/not-html-with-id#present'));
    expect(englishNotes(plain ?? {})).toMatch(/not an HTML document \(text\/plain\)/);
    const untyped = await one(server.url('/no-content-type#present'));
    expect(untyped).toMatchObject({ verdict: 'ok' });
    expect(englishNotes(untyped ?? {})).toMatch(/not an HTML document \(no content type\)/);
  });
});
