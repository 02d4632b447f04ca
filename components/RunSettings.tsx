import type { Settings } from '@/utils/settings';
import { describeSettings } from '@/utils/settings-form';
import './RunSettings.css';

/** The settings a run used, folded away: later changes on the options page apply only to the next run. */
export function RunSettings({ settings }: { settings: Settings }) {
  return (
    <details class="run-settings" data-testid="run-settings">
      <summary>Settings used by this check</summary>
      <dl>
        {describeSettings(settings).map(({ key, label, value }) => (
          <div key={key} data-key={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
