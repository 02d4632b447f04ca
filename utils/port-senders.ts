import { CRAWL_PORT } from './crawl/protocol';
import { ANSWER_PORT } from './menu/protocol';
import { LIVE_PORT, RUN_PORT } from './protocol';

/** What the browser says of the other end of a port (`runtime.Port.sender`), as far as it decides who may talk. */
export interface PortSender {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number };
}

/** Who a port is, once its name and sender agree; anything else is disconnected unread. */
export type PortPeer =
  /** The live content script of a tab's top frame: it may only report links of that tab's page. */
  | { kind: 'live'; tabId: number }
  /** The popup or the report page. */
  | { kind: 'run' }
  /** The crawl page or the popup, for site checks. */
  | { kind: 'crawl' }
  /** The answer window of a context-menu check. */
  | { kind: 'answer' }
  | { kind: 'refused' };

/**
 * Decides who opened a port. The browser fills `sender`, so a page cannot forge it; what it can do is run our own live
 * script's code path in another frame, or (were a page of ours compromised) name another port: each name is accepted
 * only from the one kind of sender that opens it.
 *
 * @param self the extension's id and the origin of its pages (`runtime.getURL('/')`)
 */
export function portPeer(name: string, sender: PortSender | undefined, self: { id: string; origin: string }): PortPeer {
  if (!sender || sender.id !== self.id) return { kind: 'refused' };
  const ours = typeof sender.url === 'string' && sender.url.startsWith(self.origin);
  if (name === LIVE_PORT) {
    const tabId = sender.tab?.id;
    // Our script in a web page's top frame: not a page of ours, not a subframe, in a real tab.
    if (!ours && sender.frameId === 0 && typeof tabId === 'number' && tabId >= 0) return { kind: 'live', tabId };
    return { kind: 'refused' };
  }
  if (!ours) return { kind: 'refused' };
  if (name === RUN_PORT) return { kind: 'run' };
  if (name === CRAWL_PORT) return { kind: 'crawl' };
  if (name === ANSWER_PORT) return { kind: 'answer' };
  return { kind: 'refused' };
}
