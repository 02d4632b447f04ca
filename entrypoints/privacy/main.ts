// The privacy text shipped inside the extension is PRIVACY.md itself, so the page and the repository never disagree.
// Markdown reads well as plain text: it is shown as text, never parsed into HTML.
import text from '../../PRIVACY.md?raw';
import '@/components/theme.css';
import './style.css';

(document.getElementById('app') as HTMLElement).textContent = text;
