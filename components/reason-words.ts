// A result's machine-readable reason (the data-reason of a row, the export's `reason`) as a short phrase in the
// user's language. The Record makes a new Reason without its words a type error.
import type { Reason } from '@/utils/types';
import { t } from './l10n';

const REASON_TEXT: Record<Reason, () => string> = {
  redirect: () => t('reason.redirect'),
  status: () => t('reason.status'),
  'fragment-missing': () => t('reason.fragmentMissing'),
  'soft-404': () => t('reason.soft404'),
  auth: () => t('reason.auth'),
  'bot-challenge': () => t('reason.botChallenge'),
  'rate-limited': () => t('reason.rateLimited'),
  timeout: () => t('reason.timeout'),
  dns: () => t('reason.dns'),
  connection: () => t('reason.connection'),
  tls: () => t('reason.tls'),
  'too-many-redirects': () => t('reason.tooManyRedirects'),
  network: () => t('reason.network'),
  'invalid-url': () => t('reason.invalidUrl'),
  scheme: () => t('reason.scheme'),
  excluded: () => t('reason.excluded'),
  external: () => t('reason.external'),
  'private-network': () => t('reason.privateNetwork'),
  'state-changing': () => t('reason.stateChanging'),
  nofollow: () => t('reason.nofollow'),
  robots: () => t('reason.robots'),
  challenge: () => t('reason.challenge'),
  ignored: () => t('reason.ignored'),
};

const said = new Map<Reason, string>();

/** The reason in words ('' for none); looked up once each, as the report page shows thousands. */
export function reasonText(reason: Reason | ''): string {
  if (reason === '') return '';
  let text = said.get(reason);
  if (text === undefined) {
    // A reason from a newer stored run than this code knows is shown as it is rather than lost.
    text = Object.hasOwn(REASON_TEXT, reason) ? REASON_TEXT[reason]() : reason;
    said.set(reason, text);
  }
  return text;
}
