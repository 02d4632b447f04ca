// The privacy text shipped inside the extension is PRIVACY.md itself (PRIVACY.<lang>.md in another language), so the
// page and the repository never disagree. Markdown reads well as plain text: it is shown as text, never parsed into HTML.
import { markPageLanguage, t } from '@/components/l10n';
import german from '../../PRIVACY.de.md?raw';
import english from '../../PRIVACY.md?raw';
import '@/components/theme.css';
import './style.css';

/** By the language of the page's messages: a language without its own privacy text reads the English one. */
const TEXTS: Record<string, string> = { en: english, de: german };

markPageLanguage();
document.title = t('privacy.title');
(document.getElementById('app') as HTMLElement).textContent = TEXTS[t('meta.lang')] ?? english;
