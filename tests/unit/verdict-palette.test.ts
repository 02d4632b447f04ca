import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toHtml } from '../../utils/report/html';
import { buildReport } from '../../utils/report/report';
import { VERDICTS } from '../../utils/types';
import { VERDICT_PALETTE } from '../../utils/verdict-palette';
import { hostileInput } from './report/hostile-run';

/** The verdict custom properties a block of CSS declares, e.g. `{ ok: '#1e7d3a', … }`. */
function declared(css: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const verdict of VERDICTS) {
    const match = new RegExp(`--${verdict}:\\s*(#[0-9a-fA-F]{3,8})`).exec(css);
    if (match?.[1]) found[verdict] = match[1].toLowerCase();
  }
  return found;
}

describe('one palette for the verdict colours', () => {
  const theme = readFileSync(new URL('../../components/theme.css', import.meta.url), 'utf8');
  const [light = '', dark = ''] = theme.split('@media (prefers-color-scheme: dark)');

  it("is the extension pages' theme, light and dark", () => {
    expect(declared(light)).toEqual(VERDICT_PALETTE.light);
    expect(declared(dark)).toEqual(VERDICT_PALETTE.dark);
  });

  it('colours the HTML export alike', () => {
    const style = toHtml(buildReport(hostileInput())).split('</style>')[0] ?? '';
    const [exportLight = '', exportDark = ''] = style.split('@media (prefers-color-scheme: dark)');
    expect(declared(exportLight)).toEqual(VERDICT_PALETTE.light);
    expect(declared(exportDark)).toEqual(VERDICT_PALETTE.dark);
  });
});
