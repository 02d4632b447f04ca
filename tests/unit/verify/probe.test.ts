// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { CHALLENGE_SELECTORS } from '../../../utils/verify/challenge-markers';
import { probeDocument, readProbe } from '../../../utils/verify/probe';

describe('probeDocument: reading the settled document in the tab', () => {
  beforeEach(() => {
    document.title = 'Docs';
    document.body.innerHTML = '<h2 id="built">Built</h2><a name="legacy">old</a><p name="para">not an anchor</p>';
  });

  it('finds an id or an anchor name, as the browser scrolls to them', () => {
    expect(probeDocument(['built'], [...CHALLENGE_SELECTORS]).fragment).toBe('found');
    expect(probeDocument(['legacy'], [...CHALLENGE_SELECTORS]).fragment).toBe('found');
    expect(probeDocument(['para'], [...CHALLENGE_SELECTORS]).fragment).toBe('missing');
    expect(probeDocument(['nowhere', 'built'], [...CHALLENGE_SELECTORS]).fragment).toBe('found');
    expect(probeDocument(null, [...CHALLENGE_SELECTORS]).fragment).toBeNull();
  });

  it('names the challenge element it finds', () => {
    document.body.innerHTML += '<form id="challenge-form"></form>';
    expect(probeDocument(null, [...CHALLENGE_SELECTORS]).marker).toBe('#challenge-form');
  });
});

describe('readProbe: the tab’s answer is checked, never trusted', () => {
  const good = { readyState: 'complete', title: '  A\n title ', marker: null, fragment: 'found' };

  it('accepts a well-formed answer and tidies the title', () => {
    expect(readProbe(good, CHALLENGE_SELECTORS)).toEqual({ ...good, title: 'A title' });
  });

  it('refuses anything else', () => {
    expect(readProbe(null, CHALLENGE_SELECTORS)).toBeNull();
    expect(readProbe({ ...good, readyState: 'done' }, CHALLENGE_SELECTORS)).toBeNull();
    expect(readProbe({ ...good, marker: '#made-up' }, CHALLENGE_SELECTORS)).toBeNull();
    expect(readProbe({ ...good, title: 3 }, CHALLENGE_SELECTORS)).toBeNull();
  });

  it('caps a huge title', () => {
    expect(readProbe({ ...good, title: 'x'.repeat(10_000) }, CHALLENGE_SELECTORS)?.title.length).toBe(300);
  });
});
