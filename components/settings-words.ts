/**
 * The settings in the user's words: labels, help, values and problems, for the options page and the report's
 * "Settings used by this check". utils/ gives the values and the problems as data; this is where they become text.
 */
import type { CollectKinds, Settings, SettingsErrors, SettingsProblem } from '@/utils/settings';
import type { FieldUnit, NumericField, SettingValue, SwitchField } from '@/utils/settings-form';

import { t } from './l10n';

export const settingLabel = (key: NumericField | SwitchField): string => t(`settings.${key}.label`);
export const settingHelp = (key: NumericField | SwitchField): string => t(`settings.${key}.help`);
export const collectLabel = (key: keyof CollectKinds): string => t(`settings.collect.${key}`);

/** The unit written after a field's label, `(s)`; empty for plain counts. */
export function unitText(unit: FieldUnit): string {
  return unit === '' ? '' : t(`settings.unit.${unit}`);
}

/** A line of "Settings used by this check": what the report shows beside the setting's label. */
export function settingLineLabel(key: keyof Settings): string {
  if (key === 'collect') return t('settings.alsoChecked');
  if (key === 'excludePatterns') return t('settings.excluded');
  return settingLabel(key);
}

export function settingValueText(value: SettingValue): string {
  switch (value.kind) {
    case 'number':
      return value.unit === '' ? String(value.n) : t('settings.withUnit', { n: value.n, unit: unitText(value.unit) });
    case 'auto':
      return t('settings.autoValue', { max: value.max });
    case 'same':
      return t('settings.sameValue', { n: value.n });
    case 'switch':
      return value.on ? t('settings.on') : t('settings.off');
    case 'not-recorded':
      return t('settings.notRecorded');
    case 'collect':
      return value.extras.length > 0 ? value.extras.map(collectLabel).join(', ') : t('settings.linksOnly');
    case 'patterns':
      // One per line, as typed: a pattern may hold any character, so no separator would be safe.
      return value.patterns.length > 0 ? value.patterns.join('\n') : t('settings.none');
  }
}

export function problemText(problem: SettingsProblem): string {
  switch (problem.kind) {
    case 'not-whole': {
      const range = { min: problem.min, max: problem.max };
      if (problem.auto === 'value') return t('settings.problem.notWholeOrAutoValue', range);
      if (problem.auto === 'switch') return t('settings.problem.notWholeOrAutoSwitch', range);
      return t('settings.problem.notWhole', range);
    }
    case 'not-whole-or-same': {
      const range = { min: problem.min, max: problem.max };
      return problem.via === 'value'
        ? t('settings.problem.notWholeOrSameValue', range)
        : t('settings.problem.notWholeOrSameSwitch', range);
    }
    case 'out-of-range':
      return t('settings.problem.outOfRange', { min: problem.min, max: problem.max, got: problem.got });
    case 'not-boolean':
      return t('settings.problem.notBoolean');
    case 'not-object':
      return t('settings.problem.notObject');
    case 'collect-not-object':
      return t('settings.problem.collectNotObject');
    case 'collect-not-boolean':
      return t('settings.problem.collectNotBoolean', { name: problem.name });
    case 'patterns-not-list':
      return t('settings.problem.patternsNotList');
    case 'patterns-too-long':
      return t('settings.problem.patternsTooLong', { max: problem.max });
    case 'pattern': {
      const inner = problem.problem;
      const why =
        inner.kind === 'too-long'
          ? t('settings.problem.patternTooLong', { max: inner.max })
          : t('settings.problem.badRegex', { detail: inner.detail });
      return t('settings.problem.pattern', { line: problem.line, pattern: problem.pattern, problem: why });
    }
  }
}

/** Every problem of a validation, each with its field's key (as in the file a person imports). */
export function problemsText(errors: SettingsErrors): string {
  return Object.entries(errors)
    .map(([field, problem]) => `${field}: ${problemText(problem as SettingsProblem)}`)
    .join('; ');
}

/** The one line a person reads when an import fails. */
export function importFailureText(failure: { notJson: string } | { errors: SettingsErrors }): string {
  if ('notJson' in failure) return t('options.import.notJson', { detail: failure.notJson });
  return t('options.import.invalid', { problems: problemsText(failure.errors) });
}
