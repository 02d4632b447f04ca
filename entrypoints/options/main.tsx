import { signal } from '@preact/signals';
import { render } from 'preact';
import { ignoreProblemText } from '@/components/ignore-words';
import { markPageLanguage } from '@/components/l10n';
import { historyAnnouncer, watchHistory } from '@/utils/history/history-changes';
import { createHistory } from '@/utils/history/history-store';
import { type IgnoredLink, type IgnoreProblem, mergeIgnored, parseIgnoredLinks } from '@/utils/history/ignore';
import { ignoredLinksItem, readIgnored, saveIgnored, unignoreLink } from '@/utils/history/ignore-store';
import { PRUNE_LIMITS } from '@/utils/history/prune';
import { saveSettings, settingsItem } from '@/utils/settings-store';
import { openLinkpulseDb } from '@/utils/storage/database';
import '@/components/theme.css';
import { App } from './App';
import { HistorySettings } from './HistorySettings';
import './style.css';

const ignoredList = signal<IgnoredLink[]>([]);
void readIgnored().then((list) => {
  ignoredList.value = list;
});
ignoredLinksItem.watch((value) => {
  const parsed = parseIgnoredLinks(value);
  ignoredList.value = parsed.ok ? parsed.value : [];
});
// Pages listing the history read it again when it is cleared here.
const history = createHistory(openLinkpulseDb(), PRUNE_LIMITS, historyAnnouncer());

const ignored = {
  current: readIgnored,
  merge: async (links: IgnoredLink[]): Promise<IgnoreProblem | null> => {
    const merged = mergeIgnored(await readIgnored(), links);
    return Array.isArray(merged) ? saveIgnored(merged) : merged;
  },
  replace: saveIgnored,
};

function Lists() {
  return (
    <HistorySettings
      ignored={ignoredList.value}
      unignore={(site, url) => {
        void unignoreLink(site, url).then((problem) => {
          if (problem) alert(ignoreProblemText(problem));
        });
      }}
      history={history}
      watch={watchHistory}
    />
  );
}

async function main() {
  markPageLanguage();
  const stored = await settingsItem.getValue();
  render(
    <App stored={stored} save={saveSettings} ignored={ignored}>
      <Lists />
    </App>,
    document.getElementById('app') as HTMLElement,
  );
}

void main();
