// How an extension page talks to the highlight script (entrypoints/highlight.ts) in a tab: the popup
// for the checked tab, the site check's page for a source page it opened. The browser calls are passed in.
import { isPageReply, type PageMessage } from '../protocol';

/** The built file of entrypoints/highlight.ts. */
export const HIGHLIGHT_SCRIPT = '/highlight.js';

export interface PageChannel {
  /** Sends to the script in the tab's page; rejects (or answers nothing) when no script of ours listens there. */
  send(tabId: number, message: PageMessage): Promise<unknown>;
  /** Puts the script into the tab's page; rejects where no script may run (the browser's own pages, a PDF viewer). */
  inject(tabId: number): Promise<unknown>;
}

/**
 * Asks the script in the tab; with `inject`, first puts it there when it is not (an unmarking or a count never needs
 * it). Only a count comes back, checked: nothing the page says is acted on. Null when no script could answer.
 */
export async function askPage(
  channel: PageChannel,
  tabId: number,
  message: PageMessage,
  inject: boolean,
): Promise<number | null> {
  const ask = () => channel.send(tabId, message).catch(() => undefined);
  let reply: unknown = await ask();
  if (reply === undefined && inject) {
    const injected = await channel.inject(tabId).then(
      () => true,
      () => false,
    );
    if (injected) reply = await ask();
  }
  return isPageReply(reply) ? reply : null;
}
