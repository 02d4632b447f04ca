import { useMemo } from 'preact/hooks';
import type { RunMeta } from '@/utils/run/stored-run';
import type { LinkEntry } from '@/utils/types';
import { linksToVerify } from '@/utils/verify/eligible';
import { fmt, t } from './l10n';

interface Props {
  meta: RunMeta;
  entries: LinkEntry[];
  onVerify: () => void;
  onStop: () => void;
}

/**
 * "Verify N links in the browser": the second opinion for blocked links and missing anchors. The line beside it says
 * what a tab's visit means before the person uses it, as part of the control rather than a dialog to dismiss.
 */
export function VerifyControl({ meta, entries, onVerify, onStop }: Props) {
  const waiting = entries.reduce((n, e) => n + (e.verifying ? 1 : 0), 0);
  const { url } = meta.page;
  const { settings } = meta;
  const eligible = useMemo(() => linksToVerify(entries, url, settings).length, [entries, url, settings]);
  const count = waiting > 0 ? 0 : eligible;
  return (
    <div class="verify" data-testid="verify">
      <button
        type="button"
        data-testid="verify-in-browser"
        disabled={count === 0 || meta.state === 'running' || waiting > 0}
        onClick={onVerify}
        title={t('verify.title')}
      >
        {waiting > 0
          ? t('verify.verifying', { count: fmt.count(waiting) })
          : t('verify.button', count, [fmt.count(count)])}
      </button>
      {waiting > 0 ? (
        <button type="button" data-testid="verify-stop" onClick={onStop}>
          {t('common.stop')}
        </button>
      ) : null}
      {count > 0 || waiting > 0 ? (
        <small class="verify-notice" data-testid="verify-notice">
          {t('verify.notice')}
        </small>
      ) : null}
    </div>
  );
}
