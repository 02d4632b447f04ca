// Every unit test runs with the English messages, as the browser of an English-speaking user has them.
import { speak } from './browser-i18n';

speak('en', 'en-US');
