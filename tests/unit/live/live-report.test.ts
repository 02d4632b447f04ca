import { describe, expect, it } from 'vitest';
import { isLiveCommand, LIVE_REPORT_LIMITS, liveWhereOf, readLiveReport } from '../../../utils/protocol';
import { DEFAULT_SETTINGS } from '../../../utils/settings';
import { AT_LIMIT_HREF, nameOf, OVER_LONG_HREF } from '../../support/over-long-href';

const report = (links: unknown[], extra: Record<string, unknown> = {}) => ({
  type: 'live-found',
  token: 't',
  truncated: false,
  crossOriginFrames: 0,
  links,
  ...extra,
});
const link = (extra: Record<string, unknown> = {}) => ({
  url: 'https://a.test/',
  occurrences: 1,
  texts: ['a'],
  ...extra,
});

describe('readLiveReport', () => {
  it('rebuilds a report from the fields a collector gives, and drops any other', () => {
    const read = readLiveReport(
      report([link({ frames: ['https://site.test/f'], samePageFragment: 'found', result: { verdict: 'ok' } })], {
        settings: { perHostConcurrency: 100 },
      }),
    );
    expect(read).toEqual({
      type: 'live-found',
      token: 't',
      truncated: false,
      crossOriginFrames: 0,
      links: [
        {
          url: 'https://a.test/',
          occurrences: 1,
          texts: ['a'],
          frames: ['https://site.test/f'],
          samePageFragment: 'found',
        },
      ],
    });
  });

  it('refuses what a collector never sends: too many links, too long, wrong types', () => {
    const many = Array.from({ length: LIVE_REPORT_LIMITS.links + 1 }, (_, i) => link({ url: `https://a.test/${i}` }));
    expect(readLiveReport(report(many))).toBeNull();
    expect(readLiveReport(report([link({ texts: ['a', 'b', 'c', 'd'] })]))).toBeNull();
    expect(readLiveReport(report([link({ texts: ['x'.repeat(121)] })]))).toBeNull();
    expect(readLiveReport(report([link({ occurrences: 0 })]))).toBeNull();
    expect(readLiveReport(report([link({ url: '' })]))).toBeNull();
    expect(readLiveReport(report([link({ samePageFragment: 'maybe' })]))).toBeNull();
    expect(readLiveReport(report([link({ frames: 'https://site.test/f' })]))).toBeNull();
    expect(readLiveReport(report([link()], { crossOriginFrames: -1 }))).toBeNull();
    expect(readLiveReport(report([link()], { type: 'snapshot' }))).toBeNull();
    expect(readLiveReport(null)).toBeNull();
  });

  it('takes a long address whole (addresses are never cut), within the browser limit and the total of a report', () => {
    const long = `https://a.test/${'x'.repeat(100_000)}`;
    expect(readLiveReport(report([link({ url: long })]))?.links[0]?.url).toBe(long);
    // The same limit as the collection's (tests/unit/collect/): kept at it, left out past it.
    const read = readLiveReport(report([link({ url: OVER_LONG_HREF }), link({ url: AT_LIMIT_HREF })]));
    expect(read?.links.map((l) => nameOf(l.url))).toEqual(['at-limit']);
    const big = (i: number) => link({ url: `https://a.test/${i}/${'x'.repeat(2_000_000)}` });
    expect(readLiveReport(report([big(1), big(2), big(3), big(4)]))).not.toBeNull();
    expect(readLiveReport(report([big(1), big(2), big(3), big(4), big(5)]))).toBeNull();
  });

  it("leaves out only a link whose address is over the browser's limit, keeping the report's other links", () => {
    const normal = Array.from({ length: 5 }, (_, i) => link({ url: `https://a.test/${i}` }));
    const huge = link({ url: `https://a.test/${'x'.repeat(3_000_000)}` });
    const read = readLiveReport(
      report([normal[0], huge, ...normal.slice(1)], { truncated: true, crossOriginFrames: 2 }),
    );
    expect(read?.links).toEqual(normal);
    expect(read).toMatchObject({ truncated: true, crossOriginFrames: 2 });
    // Left out, it does not count towards the report's total either.
    const big = (i: number) => link({ url: `https://a.test/${i}/${'x'.repeat(2_000_000)}` });
    expect(readLiveReport(report([big(1), big(2), big(3), big(4), huge]))?.links).toHaveLength(4);
  });

  it('still refuses a report whose over-long link is malformed in any other way', () => {
    const url = `https://a.test/${'x'.repeat(3_000_000)}`;
    expect(readLiveReport(report([link(), link({ url, occurrences: 0 })]))).toBeNull();
    expect(readLiveReport(report([link(), link({ url, texts: ['x'.repeat(121)] })]))).toBeNull();
    expect(readLiveReport(report([link(), link({ url, samePageFragment: 'maybe' })]))).toBeNull();
    expect(readLiveReport(report([link(), link({ url, frames: ['x'.repeat(2001)] })]))).toBeNull();
    expect(readLiveReport(report([link(), link({ url: [url] })]))).toBeNull();
  });
});

describe('isLiveCommand', () => {
  it('accepts the four commands and nothing else', () => {
    const kinds = DEFAULT_SETTINGS.collect;
    expect(isLiveCommand({ type: 'live-collect', token: 't', kinds, maxLinks: 10 })).toBe(true);
    expect(isLiveCommand({ type: 'live-follow', token: 't', kinds, maxLinks: 10 })).toBe(true);
    expect(isLiveCommand({ type: 'live-stop' })).toBe(true);
    expect(isLiveCommand({ type: 'live-where' })).toBe(true);
    expect(isLiveCommand({ type: 'live-follow', token: 't', kinds: { images: 'yes' }, maxLinks: 10 })).toBe(false);
    expect(isLiveCommand({ type: 'live-collect', token: 't', kinds, maxLinks: -1 })).toBe(false);
    expect(isLiveCommand({ type: 'page-flash', url: 'x' })).toBe(false);
  });
});

describe('the answer to "where are you?"', () => {
  it('is the address and the token, or nothing', () => {
    expect(liveWhereOf({ href: 'https://a.test/x', token: 't-1' })).toEqual({ href: 'https://a.test/x', token: 't-1' });
    // An older script's bare address, a missing token, anything else: not an answer to go by.
    for (const junk of ['https://a.test/x', { href: 'https://a.test/x' }, { href: 1, token: 't' }, null, undefined]) {
      expect(liveWhereOf(junk)).toBeNull();
    }
  });
});
