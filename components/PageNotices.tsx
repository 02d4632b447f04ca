import type { RunMeta } from '@/utils/run/stored-run';

/** A count of frames in words: "1 frame from another site", "2 frames from other sites". */
export function framesFromOtherSites(count: number): string {
  return count === 1 ? '1 frame from another site was' : `${count} frames from other sites were`;
}

/**
 * What a person should know about what the run covers: links left out at the cap, frames the browser keeps from
 * extensions, and the later addresses of a single-page app. Shared by the popup and the report page.
 */
export function PageNotices({ meta }: { meta: RunMeta }) {
  const frames = meta.crossOriginFrames ?? 0;
  const addresses = meta.addresses ?? [];
  return (
    <>
      {meta.truncated ? (
        <p class="notice" role="status" data-testid="truncated">
          This page has more links than Linkpulse checks at once; only the first {meta.total} are listed.
        </p>
      ) : null}
      {frames > 0 ? (
        <p class="notice" data-testid="cross-origin-frames" data-count={frames}>
          {framesFromOtherSites(frames)} not read: browsers keep other sites’ frames from extensions.
        </p>
      ) : null}
      {addresses.length > 0 ? (
        <p class="notice" data-testid="covered-addresses" data-count={addresses.length}>
          The page changed its address without loading a new one; this check covers those addresses too:{' '}
          {addresses.join(', ')}
        </p>
      ) : null}
    </>
  );
}
