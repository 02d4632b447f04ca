import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  addIgnored,
  applyIgnores,
  IGNORE_LIMITS,
  type IgnoredLink,
  ignoredOn,
  mergeIgnored,
  parseIgnoredLinks,
} from '../../../utils/history/ignore';
import { ignoreLink, readIgnored, unignoreLink } from '../../../utils/history/ignore-store';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { exportSettings, importIgnoredLinks, importSettings } from '../../../utils/settings-form';
import type { LinkEntry } from '../../../utils/types';

const link = (site: string, url: string, note = ''): IgnoredLink => ({ site, url, note, at: 1 });
const queued = (url: string): LinkEntry => ({ url, occurrences: 1, texts: [], phase: 'queued' });

describe('ignored links', () => {
  it('are skipped with reason ignored on their own site only, with the note as the reason text', () => {
    const list = [link('a.test', 'https://x.test/known-blocked', 'login wall'), link('b.test', 'https://x.test/other')];
    const entries = applyIgnores(
      [queued('https://x.test/known-blocked'), queued('https://x.test/other')],
      ignoredOn(list, 'a.test'),
      7,
    );
    expect(entries[0]).toMatchObject({
      phase: 'done',
      result: { verdict: 'skipped', reason: 'ignored', detail: { code: 'ignored', note: 'login wall' }, checkedAt: 7 },
    });
    expect(entries[1]).toEqual(queued('https://x.test/other'));
  });

  it('hold one entry per site and URL; ignoring again updates the note', () => {
    const once = addIgnored([], link('a.test', 'https://x.test/', 'first')) as IgnoredLink[];
    const twice = addIgnored(once, link('a.test', 'https://x.test/', '  second  ')) as IgnoredLink[];
    expect(twice).toEqual([link('a.test', 'https://x.test/', 'second')]);
  });

  it('read from a file name exactly what is wrong, and merge over the current list', () => {
    expect(parseIgnoredLinks({})).toEqual({ ok: false, problem: { kind: 'not-list' } });
    expect(parseIgnoredLinks([{ site: 'a.test' }])).toEqual({
      ok: false,
      problem: { kind: 'entry', index: 0, field: 'url' },
    });
    const parsed = parseIgnoredLinks([{ site: 'a.test', url: 'https://x.test/', note: 'n' }]);
    expect(parsed).toEqual({ ok: true, value: [{ site: 'a.test', url: 'https://x.test/', note: 'n', at: 0 }] });
    const merged = mergeIgnored(
      [link('a.test', 'https://x.test/', 'old'), link('b.test', 'https://y.test/')],
      [link('a.test', 'https://x.test/', 'new')],
    );
    expect(Array.isArray(merged) ? merged.map((l) => l.note) : merged).toEqual(['new', '']);
  });

  it('refuse a merge beyond the limit rather than drop links', () => {
    const many = (site: string, n: number) => Array.from({ length: n }, (_, i) => link(site, `https://x.test/${i}`));
    const current = many('a.test', IGNORE_LIMITS.entries - 1);
    expect(mergeIgnored(current, [link('b.test', 'https://x.test/0')])).toHaveLength(IGNORE_LIMITS.entries);
    // The same site and URL again counts once.
    expect(mergeIgnored(current, many('a.test', 3))).toHaveLength(IGNORE_LIMITS.entries - 1);
    expect(mergeIgnored(current, many('b.test', 2))).toEqual({
      kind: 'merge-too-many',
      current: IGNORE_LIMITS.entries - 1,
      total: IGNORE_LIMITS.entries + 1,
      max: IGNORE_LIMITS.entries,
    });
  });

  describe('in storage', () => {
    beforeEach(() => fakeBrowser.reset());
    it('are kept in storage.local until un-ignored', async () => {
      expect(await ignoreLink(link('a.test', 'https://x.test/', 'n'))).toBeNull();
      expect((await fakeBrowser.storage.local.get('ignoredLinks')).ignoredLinks).toEqual([
        link('a.test', 'https://x.test/', 'n'),
      ]);
      await unignoreLink('a.test', 'https://x.test/');
      expect(await readIgnored()).toEqual([]);
    });

    it('refuse a link whose address is longer than a list may hold, and keep the others working', async () => {
      expect(await ignoreLink(link('a.test', 'https://x.test/', 'n'))).toBeNull();
      // A broken link with a long query string: rows hold URLs up to Chromium's 2 MiB.
      const long = `https://y.test/?q=${'a'.repeat(IGNORE_LIMITS.url)}`;
      expect(await ignoreLink(link('a.test', long, ''))).toEqual({ kind: 'url-too-long', max: IGNORE_LIMITS.url });
      expect(await readIgnored()).toEqual([link('a.test', 'https://x.test/', 'n')]);
      // And the next link ignored joins the list rather than replace it.
      expect(await ignoreLink(link('a.test', 'https://z.test/', ''))).toBeNull();
      expect((await readIgnored()).map((l) => l.url)).toEqual(['https://x.test/', 'https://z.test/']);
    });

    it('say so when the browser refuses to write them, and keep the list as it was', async () => {
      expect(await ignoreLink(link('a.test', 'https://x.test/', 'n'))).toBeNull();
      const refuse = vi
        .spyOn(fakeBrowser.storage.local, 'set')
        .mockRejectedValue(new Error('QUOTA_BYTES quota exceeded'));
      try {
        expect(await ignoreLink(link('a.test', 'https://y.test/', ''))).toEqual({
          kind: 'not-saved',
          problem: 'QUOTA_BYTES quota exceeded',
        });
        expect(await unignoreLink('a.test', 'https://x.test/')).toEqual({
          kind: 'not-saved',
          problem: 'QUOTA_BYTES quota exceeded',
        });
      } finally {
        refuse.mockRestore();
      }
      expect(await readIgnored()).toEqual([link('a.test', 'https://x.test/', 'n')]);
    });
  });
});

describe('ignored links in the settings file', () => {
  it('travel with the settings and come back as they were', () => {
    const links = [link('a.test', 'https://x.test/', 'login wall')];
    const file = exportSettings(DEFAULT_SETTINGS, links);
    expect(importSettings(file)).toEqual({ ok: true, value: DEFAULT_SETTINGS });
    expect(importIgnoredLinks(file)).toEqual({ ok: true, value: links });
  });

  it('are absent from an older file, and a bad list is named', () => {
    expect(importIgnoredLinks(exportSettings(DEFAULT_SETTINGS))).toBeNull();
    expect(importIgnoredLinks('{"retries": 1}')).toBeNull();
    const bad = JSON.stringify({
      format: 'linkpulse-settings',
      version: 1,
      settings: {},
      ignoredLinks: [{ url: 'x' }],
    });
    expect(importIgnoredLinks(bad)).toEqual({ ok: false, problem: { kind: 'entry', index: 0, field: 'site' } });
  });
});
