import { render } from 'preact';
import { markPageLanguage } from '@/components/l10n';
import { settingsItem } from '@/utils/settings-store';
import '@/components/theme.css';
import { App } from './App';
import './style.css';

async function main() {
  markPageLanguage();
  const stored = await settingsItem.getValue();
  render(
    <App stored={stored} save={(settings) => settingsItem.setValue(settings)} />,
    document.getElementById('app') as HTMLElement,
  );
}

void main();
