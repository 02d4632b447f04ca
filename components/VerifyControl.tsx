import { useMemo } from 'preact/hooks';
import type { RunMeta } from '@/utils/run/stored-run';
import type { LinkEntry } from '@/utils/types';
import { linksToVerify } from '@/utils/verify/eligible';

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
  const links = count === 1 ? 'link' : 'links';
  return (
    <div class="verify" data-testid="verify">
      <button
        type="button"
        data-testid="verify-in-browser"
        disabled={count === 0 || meta.state === 'running' || waiting > 0}
        onClick={onVerify}
        title="Blocked links and missing anchors, loaded in background tabs"
      >
        {waiting > 0 ? `Verifying ${waiting} in the browser…` : `Verify ${count} ${links} in the browser`}
      </button>
      {waiting > 0 ? (
        <button type="button" data-testid="verify-stop" onClick={onStop}>
          Stop
        </button>
      ) : null}
      {count > 0 || waiting > 0 ? (
        <small class="verify-notice" data-testid="verify-notice">
          Each opens in a background tab: a real visit with your cookies that runs the site’s scripts.
        </small>
      ) : null}
    </div>
  );
}
