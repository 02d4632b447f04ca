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
});
