import { entryChange } from '@/utils/history/diff';
import type { LinkEntry } from '@/utils/types';

/** A row's data-* (the report's outside contract, read by end-to-end checks); undefined leaves one out. */
export function rowData(entry: LinkEntry): Record<string, string | undefined> {
  const r = entry.result;
  return {
    'data-testid': 'link-row',
    'data-url': entry.url,
    'data-verdict': r?.verdict ?? '',
    'data-status': r?.status == null ? '' : String(r.status),
    'data-final-url': r?.finalUrl ?? '',
    'data-ms': r ? String(r.ms) : '',
    'data-occurrences': String(entry.occurrences),
    'data-reason': r?.reason ?? '',
    'data-redirects': String(r?.redirects.length ?? 0),
    'data-cached': r?.cached ? 'true' : undefined,
    'data-verified': r?.verified ?? '',
    'data-verifying': entry.verifying ? 'true' : undefined,
    'data-change': entryChange(entry),
    // Live pages: the same-origin frame the link was found in (the first, when in several).
    'data-frame': entry.frames?.[0],
  };
}
