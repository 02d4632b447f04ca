// A document's bytes read as a browser reads them: the fragment check finds an id in the page's own encoding.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBodyDecoder } from '../../../utils/check/body-decoder';
import { checkLinks, realTimeDeps } from '../../../utils/check/check-links';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/settings';
import type { LinkResult } from '../../../utils/types';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const html = (type: string, ...body: Buffer[]) => ({ type, body: Buffer.concat(body) });

/** Each route a page with an `id="café"`, in the encoding its name says, declared where its name says. */
const PAGES: Record<string, { type: string; body: Buffer }> = {
  '/windows-1252-by-header': html('text/html; charset=windows-1252', latin1('<h2 id="café">x</h2>')),
  '/windows-1252-by-meta': html('text/html', latin1('<meta charset="windows-1252"><h2 id="café">x</h2>')),
  '/latin1-by-http-equiv': html(
    'text/html',
    latin1('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><h2 id="café">x</h2>'),
  ),
  '/utf8-bom-over-header': html('text/html; charset=windows-1252', BOM, utf8('<h2 id="café">x</h2>')),
  '/utf16le-bom': html('text/html', Buffer.from([0xff, 0xfe]), Buffer.from('<h2 id="café">x</h2>', 'utf16le')),
  '/unknown-charset-is-utf8': html('text/html; charset=x-no-such-charset', utf8('<h2 id="café">x</h2>')),
  '/meta-in-comment-not-read': html('text/html', utf8('<!-- <meta charset="windows-1252"> --><h2 id="café">x</h2>')),
};

const server = createServer((req, res: ServerResponse) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const page = PAGES[path];
  if (page) {
    res.writeHead(200, { 'content-type': page.type });
    return void res.end(page.body);
  }
  if (path === '/utf8-split-across-chunks') {
    // The é's two bytes come in two pieces: the decoder must hold the first until the second comes.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const bytes = utf8('<h2 id="café">x</h2>');
    const split = bytes.indexOf(0xc3) + 1;
    res.write(bytes.subarray(0, split));
    setTimeout(() => res.end(bytes.subarray(split)), 50);
    return;
  }
  if (path === '/undeclared-anchor-then-hang') {
    // No charset anywhere and less than the 1024 bytes a <meta> is looked for in, then nothing more, ever: the
    // anchor is found at once all the same.
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<!doctype html><h2 id="early">Early</h2>');
    return;
  }
  res.writeHead(404);
  res.end();
});
let origin = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function check(urls: string[], settings: Partial<Settings> = {}): Promise<Map<string, LinkResult>> {
  const results = new Map<string, LinkResult>();
  await checkLinks({
    pageUrl: 'http://127.0.0.1/page.html',
    links: urls.map((url) => ({ url, occurrences: 1, texts: [] })),
    settings: { ...DEFAULT_SETTINGS, detectSoft404: false, ...settings },
    deps: realTimeDeps(fetch),
    signal: new AbortController().signal,
    onResult: (r) => results.set(r.url, r),
  });
  return results;
}

describe('the fragment check reads a document in its own encoding', () => {
  it.each([...Object.keys(PAGES), '/utf8-split-across-chunks'])('finds #café in %s', async (path) => {
    // As a browser writes the link: the fragment percent-encoded as UTF-8.
    const found = `${origin}${path}#caf%C3%A9`;
    const missing = `${origin}${path}#gone`;
    const results = await check([found, missing]);
    expect(results.get(found)).toMatchObject({ verdict: 'ok', status: 200 });
    expect(results.get(missing)).toMatchObject({ verdict: 'broken', reason: 'fragment-missing' });
  });

  it('finds an anchor at once in a page that declares no encoding and stops short of 1024 bytes', {
    timeout: 10_000,
  }, async () => {
    // The request may take 30 s: only a reader that waited for more bytes would make the test run out of time.
    const url = `${origin}/undeclared-anchor-then-hang#early`;
    const results = await check([url], { requestTimeoutSec: 30, retries: 0 });
    expect(results.get(url)).toMatchObject({ verdict: 'ok', status: 200 });
  });
});

describe('createBodyDecoder', () => {
  /** The whole text, the body handed over in pieces of `size` bytes. */
  function decodeInPieces(type: string | null, body: Buffer, size: number): string {
    const decoder = createBodyDecoder(type);
    let text = '';
    for (let at = 0; at < body.length; at += size) text += decoder.decode(body.subarray(at, at + size));
    return text + decoder.decode(null);
  }
  const cafe = (markup: string) => latin1(`${markup}<h2 id="café">x</h2>`);

  it('reads the same text whatever the pieces the body comes in', () => {
    const body = Buffer.concat([cafe('<meta charset="windows-1252">'), latin1(' '.repeat(2000)), latin1('é')]);
    const whole = decodeInPieces('text/html', body, body.length);
    expect(whole).toContain('id="café"');
    for (const size of [1, 2, 3, 7, 1023, 1024, 1025]) expect(decodeInPieces('text/html', body, size)).toBe(whole);
  });

  it('gives ASCII out at once while the encoding is still being told, and holds what is not', () => {
    const decoder = createBodyDecoder('text/html');
    expect(decoder.decode(utf8('<!doctype html><h2 id="ok">'))).toBe('<!doctype html><h2 id="ok">');
    expect(decoder.decode(latin1('<p id="é">'))).toBe('<p id="');
    // The body ended without naming an encoding: UTF-8, in which a lone 0xE9 is no character.
    expect(decoder.decode(null)).toBe('\uFFFD">');
  });

  it('reads <meta> as the HTML standard does', () => {
    const encodingOf = (markup: string) => decodeInPieces('text/html', cafe(markup), 64).includes('id="café"');
    expect(encodingOf(`<meta content='text/html; charset=windows-1252' http-equiv=Content-Type>`)).toBe(true);
    expect(encodingOf('<META CHARSET=latin1>')).toBe(true);
    // A content without http-equiv names nothing; a charset attribute needs none.
    expect(encodingOf('<meta content="text/html; charset=windows-1252">')).toBe(false);
    // A label no decoder knows is passed over for the next <meta>.
    expect(encodingOf('<meta charset="x-nonsense"><meta charset="windows-1252">')).toBe(true);
    // UTF-16 named in the bytes themselves is read as UTF-8, as browsers do.
    expect(decodeInPieces('text/html', utf8('<meta charset="utf-16"><p id="é">'), 5)).toContain('id="é"');
    // Past the first 1024 bytes, a <meta> is not looked for.
    expect(encodingOf(`${' '.repeat(1024)}<meta charset="windows-1252">`)).toBe(false);
  });

  it('takes the Content-Type’s charset over a <meta>, and a byte-order mark over both', () => {
    const body = cafe('<meta charset="utf-8">');
    expect(decodeInPieces('text/html; charset="Windows-1252"', body, 10)).toContain('id="café"');
    const marked = Buffer.concat([BOM, utf8('<p id="é">')]);
    expect(decodeInPieces('text/html; charset=windows-1252', marked, 1)).toBe('<p id="é">');
  });
});
