import type { Settings } from '@/utils/settings';
import { describeSettings } from '@/utils/settings-form';
import './RunSettings.css';
import { t } from './l10n';
import { settingLineLabel, settingValueText } from './settings-words';

/** The settings a run used, folded away: later changes on the options page apply only to the next run. */
export function RunSettings({ settings }: { settings: Settings }) {
  return (
    <details class="run-settings" data-testid="run-settings">
      <summary>{t('settings.usedByCheck')}</summary>
      <dl>
        {describeSettings(settings).map(({ key, value }) => (
          <div key={key} data-key={key}>
            <dt>{settingLineLabel(key)}</dt>
            <dd>{settingValueText(value)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
