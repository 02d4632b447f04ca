import type { Note } from '../notes/note';
import { createAnchorScanner, type FragmentTarget, hasTarget } from './fragments';
import type { BodyEnd, BodyReader } from './request';

/** Fragment checks read at most this much of a document. */
export const FRAGMENT_BODY_CAP = 2 * 1024 * 1024;

/** What reading a target document for its fragments found. */
export type DocumentRead =
  | {
      kind: 'html';
      anchors: ReadonlySet<string>;
      /** How reading ended: `whole` means a target not found is not there; otherwise it may lie beyond what was read. */
      end: BodyEnd;
    }
  /** Not HTML (`text/plain`, a PDF, bytes with no content type that are not markup): fragments are not checked there. */
  | { kind: 'not-html' /** Its media type; '' when the answer gave none. */; type: string };

function htmlType(headers: Headers): 'html' | 'other' | 'unknown' {
  const type = headers.get('content-type')?.trim() ?? '';
  if (type === '') return 'unknown';
  return /^(text\/html|application\/xhtml\+xml)\b/i.test(type) ? 'html' : 'other';
}

/**
 * Reads one answer's body for the fragments its links point to, stopping the moment every one is found: a page that
 * streams slowly or forever, with its anchors early, is judged as soon as they have come. One reader per attempt.
 */
export function createDocumentReader(wanted: readonly FragmentTarget[], hosts: readonly string[]) {
  let read: DocumentRead | null = null;
  const allFound = (anchors: ReadonlySet<string>) => wanted.every((target) => hasTarget(anchors, target, hosts));
  return {
    /** For RequestOptions.streamBody: decides from the headers whether the body is read at all. */
    open(headers: Headers): BodyReader | null {
      const kind = htmlType(headers);
      if (kind === 'other') {
        read = { kind: 'not-html', type: headers.get('content-type')?.split(';')[0]?.trim() ?? '' };
        return null;
      }
      const scanner = createAnchorScanner();
      const html: DocumentRead = { kind: 'html', anchors: scanner.anchors, end: 'whole' };
      let sniffed = kind === 'html';
      read = html;
      return {
        write(text) {
          if (!sniffed && text.trim() !== '') {
            sniffed = true;
            // No content type: as a browser sniffs, markup starts with `<` (after a byte-order mark or spaces).
            if (!/^\uFEFF?\s*</.test(text)) {
              read = { kind: 'not-html', type: '' };
              return true;
            }
          }
          scanner.write(text);
          return allFound(scanner.anchors);
        },
      };
    },
    /** What was found, once the request has ended (`end`: how its body ended). */
    result(end: BodyEnd | null): DocumentRead | null {
      if (read?.kind === 'html' && end !== null) read = { ...read, end };
      return read;
    },
  };
}

/**
 * How a link's fragment fares in what was read, with a note when it could not be judged. `redirectFragment`: a redirect
 * named a fragment of its own, which a browser goes to instead (Fetch): the link's is not where a person lands, and is
 * not judged (calling it missing there would be a false alarm).
 */
export function judgeFragment(
  document: DocumentRead | null,
  target: FragmentTarget | null,
  hosts: readonly string[],
  redirectFragment?: string,
): { state: 'found' | 'missing' | null; note: Note | null } {
  if (target === null || document === null) return { state: null, note: null };
  if (redirectFragment !== undefined) {
    return { state: null, note: { code: 'fragment-from-redirect', fragment: redirectFragment } };
  }
  if (document.kind === 'not-html') return { state: null, note: { code: 'fragment-not-html', type: document.type } };
  if (hasTarget(document.anchors, target, hosts)) return { state: 'found', note: null };
  if (document.end === 'whole') return { state: 'missing', note: null };
  const note: Note =
    document.end === 'capped'
      ? { code: 'fragment-capped', mb: FRAGMENT_BODY_CAP / 1024 / 1024 }
      : { code: 'fragment-cut-short' };
  return { state: null, note };
}
