// What is wrong with an ignore list or a change to it (utils/history/ignore.ts), in the user's words.
import type { IgnoreProblem } from '@/utils/history/ignore';
import { fmt, t } from './l10n';

export function ignoreProblemText(problem: IgnoreProblem): string {
  switch (problem.kind) {
    case 'full':
      return t('ignore.problem.full', { max: fmt.count(problem.max) });
    case 'url-too-long':
      return t('ignore.problem.urlTooLong', { max: fmt.count(problem.max) });
    case 'merge-too-many':
      return t('ignore.problem.mergeTooMany', {
        current: fmt.count(problem.current),
        total: fmt.count(problem.total),
        max: fmt.count(problem.max),
      });
    case 'not-list':
      return t('ignore.problem.notList');
    case 'not-saved':
      return t('ignore.problem.notSaved', { problem: problem.problem });
    case 'too-many':
      return t('ignore.problem.tooMany', { count: fmt.count(problem.count), max: fmt.count(problem.max) });
    case 'entry': {
      const at = { index: problem.index };
      if (problem.field === 'object') return t('ignore.problem.notObject', at);
      if (problem.field === 'site') return t('ignore.problem.site', at);
      if (problem.field === 'url') return t('ignore.problem.url', at);
      return t('ignore.problem.note', at);
    }
  }
}
