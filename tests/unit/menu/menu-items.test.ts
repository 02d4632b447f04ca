import { describe, expect, it } from 'vitest';
import {
  CHECK_LINK_ITEM,
  CHECK_SELECTION_ITEM,
  guardPageOf,
  MENU_ITEMS,
  readMenuClick,
} from '../../../utils/menu/menu-items';

describe('the menu entries', () => {
  it('offer "Check this link" on links and "Check links in selection" on selections', () => {
    expect(MENU_ITEMS.map(({ titleKey, contexts }) => [titleKey, contexts])).toEqual([
      ['menu.checkLink', ['link']],
      ['menu.checkSelection', ['selection']],
    ]);
  });
});

describe('readMenuClick', () => {
  const pageUrl = 'https://news.example/article';

  it('asks for the clicked link, as the browser resolved it, judged from its page', () => {
    expect(readMenuClick({ menuItemId: CHECK_LINK_ITEM, linkUrl: 'https://a.example/x#y', pageUrl }, 3)).toEqual({
      kind: 'link',
      url: 'https://a.example/x#y',
      pageUrl,
    });
  });

  it('asks for the selection of the frame the click was in', () => {
    expect(readMenuClick({ menuItemId: CHECK_SELECTION_ITEM, pageUrl, frameId: 7 }, 3)).toEqual({
      kind: 'selection',
      tabId: 3,
      frameId: 7,
      pageUrl,
    });
    expect(readMenuClick({ menuItemId: CHECK_SELECTION_ITEM, pageUrl }, 3)).toMatchObject({ frameId: 0 });
  });

  it('says why when the click cannot be answered', () => {
    expect(readMenuClick({ menuItemId: CHECK_LINK_ITEM, pageUrl }, 3)).toMatch(/did not say which link/);
    expect(
      readMenuClick({ menuItemId: CHECK_LINK_ITEM, linkUrl: `https://a.example/${'x'.repeat(1_000_001)}` }, 3),
    ).toMatch(/too long/);
    expect(readMenuClick({ menuItemId: CHECK_SELECTION_ITEM, pageUrl }, undefined)).toMatch(/in a tab only/);
    expect(readMenuClick({ menuItemId: CHECK_SELECTION_ITEM, pageUrl }, -1)).toMatch(/in a tab only/);
  });

  it('leaves entries that are not its own alone', () => {
    expect(readMenuClick({ menuItemId: 'another-extension-entry', linkUrl: 'https://a.example/' }, 3)).toBeNull();
  });
});

describe('guardPageOf: the page whose private-network guard applies', () => {
  it('is the page the link is on: a frame when the link is in one', () => {
    expect(guardPageOf('https://news.example/', 'https://widgets.example/frame')).toBe('https://widgets.example/frame');
    expect(guardPageOf('http://intranet.local/', 'http://wiki.corp/frame')).toBe('http://wiki.corp/frame');
    expect(guardPageOf('http://192.168.1.1/')).toBe('http://192.168.1.1/');
  });

  it('keeps a public page guarded even over a local frame it embeds', () => {
    expect(guardPageOf('https://evil.example/', 'http://192.168.1.1/status')).toBe('https://evil.example/');
  });

  it('judges a frame with no address of its own (about:blank, about:srcdoc) from the page that wrote it', () => {
    // An editor's about:blank frame on an intranet wiki holds the wiki's own links: they are local links of a local page.
    expect(guardPageOf('http://wiki.corp/page', 'about:blank')).toBe('http://wiki.corp/page');
    expect(guardPageOf('http://192.168.1.1/', 'about:srcdoc')).toBe('http://192.168.1.1/');
    expect(guardPageOf('https://news.example/', 'about:blank')).toBe('https://news.example/');
    expect(
      readMenuClick(
        {
          menuItemId: CHECK_LINK_ITEM,
          linkUrl: 'http://wiki.corp/other',
          pageUrl: 'http://wiki.corp/page',
          frameUrl: 'about:blank',
        },
        3,
      ),
    ).toEqual({ kind: 'link', url: 'http://wiki.corp/other', pageUrl: 'http://wiki.corp/page' });
  });

  it('counts an unknown page as public', () => {
    expect(guardPageOf(undefined, undefined)).toBe('about:blank');
    expect(guardPageOf('', '')).toBe('about:blank');
  });
});
