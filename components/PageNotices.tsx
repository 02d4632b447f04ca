import type { RunMeta } from '@/utils/run/stored-run';
import { fmt, t } from './l10n';

/**
 * What a person should know about what the run covers: links left out at the cap, frames the browser keeps from
 * extensions, a run too big for the browser's session storage, and the later addresses of a single-page app. Shared by
 * the popup and the report page.
 */
export function PageNotices({ meta }: { meta: RunMeta }) {
  const frames = meta.crossOriginFrames ?? 0;
  const addresses = meta.addresses ?? [];
  return (
    <>
      {meta.truncated ? (
        <p class="notice" role="status" data-testid="truncated">
          {t('notices.truncated', meta.total, [fmt.count(meta.total)])}
        </p>
      ) : null}
      {frames > 0 ? (
        <p class="notice" data-testid="cross-origin-frames" data-count={frames}>
          {t('notices.crossOriginFrames', frames, [fmt.count(frames)])}
        </p>
      ) : null}
      {meta.unsaved ? (
        <p class="notice" role="status" data-testid="unsaved">
          {t('notices.unsaved')}
        </p>
      ) : null}
      {meta.kept === false ? (
        <p class="notice" role="status" data-testid="not-kept">
          {t('notices.notKept')}
        </p>
      ) : null}
      {addresses.length > 0 ? (
        <p class="notice" data-testid="covered-addresses" data-count={addresses.length}>
          {t('notices.coveredAddresses', { addresses: addresses.join(', ') })}
        </p>
      ) : null}
    </>
  );
}
