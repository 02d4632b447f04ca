// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { countMarks, markLinks, PAGE_COLORS, showLink } from '../../../utils/highlight/page-marks';

function setPage(html: string, url = 'https://site.test/dir/page.html') {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  document.documentElement.innerHTML = html;
}

afterEach(() => markLinks(null, PAGE_COLORS));

describe('finding a link on the page by its URL, as collection resolves it', () => {
  // <base> handling is the browser's own (`a.href`, which happy-dom does not resolve against it); e2e covers it.
  it('finds every occurrence: relative, in an SVG, in an open shadow root; fragments count', () => {
    setPage(
      `<body>
      <a id="first" href="gone">one</a>
      <a href="https://site.test/docs/gone#part">same page, another fragment</a>
      <svg><a xlink:href="/docs/gone"><text>svg</text></a></svg>
      <div id="host"></div></body>`,
      'https://site.test/docs/page.html',
    );
    const host = document.querySelector('#host') as HTMLElement;
    host.attachShadow({ mode: 'open' }).innerHTML = '<a href="https://site.test/docs/gone">in a shadow root</a>';
    let scrolled: Element | null = null;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled ??= this;
    };
    expect(showLink('https://site.test/docs/gone', 'broken')).toBe(3);
    expect(scrolled).toBe(document.querySelector('#first'));
    expect(countMarks()).toBe(3);
    expect(showLink('https://site.test/docs/gone#part', 'broken')).toBe(1);
    expect(countMarks()).toBe(1);
  });

  it('answers 0 and draws nothing when the page lacks the link', () => {
    setPage('<body><a href="/elsewhere">x</a></body>');
    expect(showLink('https://site.test/gone', 'broken')).toBe(0);
    expect(countMarks()).toBe(0);
    expect(document.documentElement.lastElementChild?.tagName).toBe('BODY');
  });
});
