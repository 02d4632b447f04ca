// The README's pictures, made from the built extension the way a person would see it: the fixture's demo pages served
// on loopback, Debian's Chromium, real checks. `npm run screenshots` builds first and writes docs/*.png;
// `-- --only=history,verify` makes some of them. Not part of `npm test`: it takes a minute or two of browser time.
import { resolve } from 'node:path';
import { shootContextMenu } from './screenshots/context-menu.ts';
import { shootHistory } from './screenshots/history.ts';
import { shootPageCheck } from './screenshots/page-check.ts';
import { shootSecondOpinion } from './screenshots/second-opinion.ts';
import { shootSiteCheck } from './screenshots/site-check.ts';
import { shootSiteHistory } from './screenshots/site-history.ts';
import { shootSoft404 } from './screenshots/soft-404.ts';
import { type Stage, startStage } from './screenshots/stage.ts';

const SCENES: Record<string, (stage: Stage, docs: string) => Promise<void>> = {
  'page-check': shootPageCheck,
  verify: shootSecondOpinion,
  'soft-404': shootSoft404,
  'site-check': shootSiteCheck,
  history: shootHistory,
  'site-history': shootSiteHistory,
  'context-menu': shootContextMenu,
};

const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const unknown = only?.filter((name) => !(name in SCENES)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown scene ${unknown.join(', ')}; scenes: ${Object.keys(SCENES).join(', ')}`);
  process.exit(2);
}

const docs = resolve(import.meta.dirname, '../docs');
const stage = await startStage();
try {
  for (const [name, shootScene] of Object.entries(SCENES)) {
    if (only && !only.includes(name)) continue;
    console.log(`${name}:`);
    await shootScene(stage, docs);
  }
} finally {
  await stage.close();
}
