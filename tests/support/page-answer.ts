import type { PageFetch } from '../../utils/crawl/fetch-page';

/** A crawl's fetch of a page answered 200 with an empty HTML body at `finalUrl`, not redirected; `over` changes any of it. */
export function pageAnswer(
  finalUrl: string,
  over: Partial<Extract<PageFetch, { kind: 'response' }>> = {},
): PageFetch & { kind: 'response' } {
  return {
    kind: 'response',
    status: 200,
    finalUrl,
    redirected: false,
    hops: [],
    contentType: 'text/html',
    body: '',
    bodyComplete: true,
    botChallenge: false,
    ms: 1,
    attempts: 1,
    ...over,
  };
}
