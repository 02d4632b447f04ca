// Why a page has nothing to show, in the user's words: the background says why as a value (utils/run/collection.ts,
// utils/crawl/protocol.ts), the page words it.
import type { Unavailable } from '@/utils/run/collection';
import { t } from './l10n';

export function unavailableText(problem: Unavailable): string {
  switch (problem.kind) {
    case 'no-run':
      return t('unavailable.noRun');
    case 'restricted':
      return t('unavailable.restricted');
    case 'no-answer':
      return t('unavailable.noAnswer');
    case 'tab-gone':
      return t('unavailable.tabGone');
    case 'unreadable':
      return t('unavailable.unreadable', { detail: problem.detail });
    case 'busy':
      return t('unavailable.busy', { seconds: problem.seconds });
    case 'page-changed':
      return t('unavailable.pageChanged');
  }
}

export function crawlUnavailableText(problem: 'no-crawl' | 'not-web-page'): string {
  return problem === 'no-crawl' ? t('unavailable.noCrawl') : t('unavailable.notWebPage');
}
