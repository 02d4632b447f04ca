import type { ServerMessage } from '../protocol';
import type { LinkEntry } from '../types';

/**
 * Characters of rows per message to a page. Chromium refuses an extension message over 64 MB, and JSON may take up to
 * three bytes per character: 4 M characters stay well below, whatever the page's URLs are made of.
 */
export const MESSAGE_CHARS = 4_000_000;

/** About how many characters a row takes in a message (its URLs and texts; the rest is small and bounded). */
export function entryChars(entry: LinkEntry): number {
  let chars = 200 + entry.url.length;
  for (const text of entry.texts) chars += text.length;
  const result = entry.result;
  if (result) {
    chars += (result.finalUrl?.length ?? 0) + (result.errorText?.length ?? 0);
    for (const hop of result.redirects) chars += hop.url.length + 20;
    // A note's values may name addresses (where a redirect led, the not-found page's title) up to the error text's cap.
    if (result.detail) chars += JSON.stringify(result.detail).length;
    for (const note of result.notes ?? []) chars += JSON.stringify(note).length;
  }
  return chars;
}

/** Cuts a list into runs of at most `max` characters each (a row bigger than that goes alone). */
export function slices<T>(items: T[], size: (item: T) => number, max: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && chars + n > max) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += n;
  }
  if (current.length > 0 || out.length === 0) out.push(current);
  return out;
}

/**
 * One message as the messages a page can receive: a snapshot becomes a snapshot of its first rows and `rows` messages
 * with the rest, in order; an update becomes several updates. Each part but the last is marked `more`, so a page knows
 * rows are still to come however fast it draws those it has. Small messages pass as they are.
 */
export function chunkMessage(message: ServerMessage, max = MESSAGE_CHARS): ServerMessage[] {
  if (message.type === 'snapshot') {
    const [first = [], ...rest] = slices(message.entries, entryChars, max);
    if (rest.length === 0) return [message];
    const last = rest.length - 1;
    return [
      { ...message, entries: first, more: true },
      ...rest.map(
        (entries, i): ServerMessage =>
          i < last
            ? { type: 'rows', runId: message.meta.runId, entries, more: true }
            : { type: 'rows', runId: message.meta.runId, entries },
      ),
    ];
  }
  if (message.type === 'update') {
    const parts = slices(message.changes, ([, entry]) => entryChars(entry), max);
    if (parts.length === 1) return [message];
    const last = parts.length - 1;
    return parts.map(
      (changes, i): ServerMessage => (i < last ? { ...message, changes, more: true } : { ...message, changes }),
    );
  }
  return [message];
}
