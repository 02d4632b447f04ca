// @vitest-environment happy-dom
// The same components in a German browser: German words, German numbers, and the data-* contract untouched.
import { render } from 'preact';
import { describe, expect, it, vi } from 'vitest';
import type { RunCounts } from '../../../utils/types';
import { speak } from '../../support/browser-i18n';
import { componentRoot } from '../../support/component-root';

const COUNTS: RunCounts = {
  state: 'done',
  total: 1234,
  checked: 1234,
  ok: 1200,
  redirected: 0,
  broken: 30,
  blocked: 4,
  error: 0,
  skipped: 0,
  newProblems: 2,
};

const root = componentRoot();

async function summaryIn(lang: string, uiLanguage: string): Promise<HTMLElement> {
  speak(lang, uiLanguage);
  vi.resetModules();
  const { RunSummary } = await import('../../../components/RunSummary');
  render(<RunSummary summary={COUNTS} selected={new Set()} onToggle={() => {}} compared />, root());
  return root().querySelector('[data-testid="run-summary"]') as HTMLElement;
}

describe('the run summary in the user’s language', () => {
  it('speaks German with German numbers, its data-* as in English', async () => {
    const summary = await summaryIn('de', 'de-DE');
    const broken = summary.querySelector('[data-testid="chip-broken"]') as HTMLElement;
    expect(broken.textContent).toContain('Defekt');
    expect(broken.title).toBe('Nur defekte Links zeigen');
    expect(summary.querySelector('[data-testid="chip-ok"]')?.textContent).toContain('1.200');
    expect(summary.querySelector('[data-testid="chip-new-problems"]')?.textContent).toContain('Neue Probleme');
    expect(summary.getAttribute('aria-label')).toBe('Zusammenfassung');
    expect({ total: summary.dataset.total, ok: summary.dataset.ok, state: summary.dataset.state }).toEqual({
      total: '1234',
      ok: '1200',
      state: 'done',
    });
  });

  it('speaks English in an English browser', async () => {
    const summary = await summaryIn('en', 'en-US');
    const broken = summary.querySelector('[data-testid="chip-broken"]') as HTMLElement;
    expect(broken.textContent).toContain('Broken');
    expect(broken.title).toBe('Show only broken links');
    expect(summary.querySelector('[data-testid="chip-ok"]')?.textContent).toContain('1,200');
  });
});
