import { describe, expect, it } from 'vitest';
import { extractAnchors, fragmentOf, withoutFragment } from '../../../utils/check/fragments';

describe('fragmentOf', () => {
  it('decodes the fragment and ignores those that always exist', () => {
    expect(fragmentOf('https://a.test/doc#caf%C3%A9')).toBe('café');
    expect(fragmentOf('https://a.test/doc#')).toBeNull();
    expect(fragmentOf('https://a.test/doc#top')).toBeNull();
    expect(fragmentOf('https://a.test/doc#:~:text=hello')).toBeNull();
    expect(fragmentOf('https://a.test/doc')).toBeNull();
  });
  it('strips the fragment for the request', () => {
    expect(withoutFragment('https://a.test/doc?q=1#x')).toBe('https://a.test/doc?q=1');
  });
});

describe('extractAnchors', () => {
  it('finds ids and names in any quoting, and decodes entities', () => {
    const anchors = extractAnchors(
      `<h2 id="intro">x</h2><section id='s-2'></section><a name=legacy></a><p ID="Upper"></p><div id="a&amp;b"></div>`,
    );
    expect([...anchors].sort()).toEqual(['Upper', 'a&b', 'intro', 'legacy', 's-2']);
  });
  it('ignores ids mentioned in comments, scripts and other attributes', () => {
    const anchors = extractAnchors(
      `<!-- <p id="commented"> --><script>var s = '<p id="scripted">';</script><div data-id="nope" title='id="fake"'></div>`,
    );
    expect(anchors.size).toBe(0);
  });
  it('finds the id of a script or template element itself, but not ids inside it', () => {
    const anchors = extractAnchors(
      `<template id="icons"><p id="inside"></p></template><script type="text/json" id="data">"<p id='json'>"</script >` +
        `<p title="x id=fake" id="after"></p>`,
    );
    expect([...anchors].sort()).toEqual(['after', 'data', 'icons']);
  });
});

describe('extractAnchors on hostile markup', () => {
  // Quoted values that also read as unquoted ones: a backtracking scanner takes exponential time when `>` never comes.
  const unclosedTag = `<div${' a="b"'.repeat(40)}`;
  // FRAGMENT_BODY_CAP: the most of a body the checker ever reads.
  const twoMegabytes = 2 * 1024 * 1024;

  it('gives up on a tag that never closes instead of backtracking', () => {
    expect([...extractAnchors(`<p id="before"></p>${unclosedTag}`)]).toEqual(['before']);
  });
  it('scans a 2 MB body of unclosed tags', () => {
    const body = `<p id="before"></p>${unclosedTag.repeat(Math.ceil(twoMegabytes / unclosedTag.length))}`;
    expect(body.length).toBeGreaterThan(twoMegabytes);
    expect([...extractAnchors(body)]).toEqual(['before']);
  });
  it('scans a 2 MB body of closed tags with many attributes', () => {
    const count = Math.ceil(twoMegabytes / unclosedTag.length);
    const tags = Array.from({ length: count }, (_, i) => `${unclosedTag} id="n${i}">`);
    const anchors = extractAnchors(tags.join(''));
    expect(anchors.size).toBe(count);
    expect(anchors.has(`n${count - 1}`)).toBe(true);
  });
  it('scans a 2 MB body of tag openings, script openings or comment openings', () => {
    for (const opening of ['<a', '<script', '<!--']) {
      const body = `<p id="before">${opening.repeat(Math.ceil(twoMegabytes / opening.length))}`;
      expect([...extractAnchors(body)]).toEqual(['before']);
    }
  });
});

describe('extractAnchors and character references', () => {
  it('turns out-of-range references into U+FFFD as browsers do, and keeps the ids around them', () => {
    const anchors = extractAnchors(
      `<p id="a&#x110000;"></p><p id="b&#99999999999999999999999999;"></p><p id="c&#0;"></p><p id="d&#xD800;"></p>` +
        `<p id="kept"></p><p id="e&#x1F600;&#233;"></p>`,
    );
    expect([...anchors].sort()).toEqual(['a\uFFFD', 'b\uFFFD', 'c\uFFFD', 'd\uFFFD', 'e😀é', 'kept']);
  });
  it('never throws, whatever the markup', () => {
    const pieces = `<p|<|>|/|!--|-->|=|"|'| |id=|NAME|script|&#x110000;|&#|;|9`.split('|');
    let seed = 1;
    const next = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed;
    };
    for (let run = 0; run < 2_000; run++) {
      const markup = Array.from({ length: 40 }, () => pieces[next() % pieces.length]).join('');
      expect(() => extractAnchors(markup)).not.toThrow();
    }
  });
});
