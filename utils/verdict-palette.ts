import type { Verdict } from './types';

/**
 * The verdict colours, light and dark. `components/theme.css` declares the same values as custom properties for the
 * extension's pages (a stylesheet cannot import this module); tests/unit/verdict-palette.test.ts keeps the two equal.
 * The badge, the marks on the checked page and the HTML export take them from here.
 */
export const VERDICT_PALETTE: Record<'light' | 'dark', Record<Verdict, string>> = {
  light: {
    ok: '#1e7d3a',
    redirected: '#2a62c4',
    broken: '#c62828',
    blocked: '#9a5b00',
    error: '#8e24aa',
    skipped: '#6b7280',
  },
  dark: {
    ok: '#5cc07a',
    redirected: '#7aa7ff',
    broken: '#ff6b6b',
    blocked: '#f0b252',
    error: '#d58cf0',
    skipped: '#9aa3af',
  },
};

/** `--ok: …; --redirected: …;` for one scheme: the custom properties a stylesheet of ours uses. */
export function paletteProperties(scheme: 'light' | 'dark'): string {
  return Object.entries(VERDICT_PALETTE[scheme])
    .map(([verdict, color]) => `--${verdict}: ${color};`)
    .join(' ');
}
