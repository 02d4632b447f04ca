import { Parser } from 'htmlparser2';

/**
 * What a link's `#fragment` asks of its target document, as the HTML standard reads it: the element whose id (or an
 * `<a name>`) is the fragment as written, or else its percent-decoded form. A text directive (`#:~:text=…`) is never
 * called missing for its text; in `#id:~:text=…` the element part must exist. Null when there is nothing to check
 * (`#`, `#top`, a bare text directive).
 */
export interface FragmentTarget {
  /** The element part as written in the URL (percent-encoded). */
  raw: string;
  /** The same, percent-decoded. */
  decoded: string;
}

export function fragmentTargetOf(url: string): FragmentTarget | null {
  const hash = url.indexOf('#');
  if (hash < 0) return null;
  let raw = url.slice(hash + 1);
  const directive = raw.indexOf(':~:');
  if (directive >= 0) raw = raw.slice(0, directive);
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: browsers then try the fragment as written only.
  }
  if (raw === '' || decoded.toLowerCase() === 'top') return null;
  return { raw, decoded };
}

/** The decoded element part of a URL's fragment, or null when there is nothing to check (see fragmentTargetOf). */
export function fragmentOf(url: string): string | null {
  return fragmentTargetOf(url)?.decoded ?? null;
}

/**
 * Site rules for fragments, one row per site: GitHub renders a document's headings with ids prefixed `user-content-`
 * and its script scrolls `#section` to `id="user-content-section"` (lychee and linkinator match them the same way).
 */
const SITE_ID_PREFIXES: { hosts: readonly string[]; prefix: string }[] = [
  { hosts: ['github.com', 'gist.github.com'], prefix: 'user-content-' },
];

/** The ids (or `a` names) that hold a fragment's target: as written, then decoded, then by the site's rules. */
export function targetNames(target: FragmentTarget, hosts: readonly string[]): string[] {
  const names = target.raw === target.decoded ? [target.raw] : [target.raw, target.decoded];
  for (const rule of SITE_ID_PREFIXES) {
    if (hosts.some((host) => rule.hosts.includes(host))) names.push(...names.map((name) => rule.prefix + name));
  }
  return names;
}

/** Whether a document's anchors hold a fragment's target (targetNames). */
export function hasTarget(anchors: ReadonlySet<string>, target: FragmentTarget, hosts: readonly string[]): boolean {
  return targetNames(target, hosts).some((name) => anchors.has(name));
}

/** The URL a request is sent to: fragments never reach the server. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/** Reads a document as it arrives and collects its fragment targets: every `id`, and `name` on `<a>` only. */
export interface AnchorScanner {
  write(text: string): void;
  /** The document ended (or reading stopped): markup still open is read as far as it goes. */
  end(): void;
  readonly anchors: ReadonlySet<string>;
}

/**
 * A streaming scanner on htmlparser2 (the worker has no DOM), fed chunk by chunk so a check can stop reading the moment
 * its anchors are found. Comments and the text of scripts and styles are not markup; the contents of a `<template>` are
 * not part of the document, so ids there do not count. Linear in the input, whatever the markup.
 */
export function createAnchorScanner(): AnchorScanner {
  const anchors = new Set<string>();
  let templates = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (templates === 0) {
          if (attribs.id) anchors.add(attribs.id);
          // A `<meta name>` or `<input name>` is no target: only an anchor's name is.
          if (name === 'a' && attribs.name) anchors.add(attribs.name);
        }
        if (name === 'template') templates += 1;
      },
      onclosetag(name) {
        if (name === 'template' && templates > 0) templates -= 1;
      },
    },
    { decodeEntities: true },
  );
  return {
    write: (text) => parser.write(text),
    end: () => parser.end(),
    anchors,
  };
}

/** Every fragment target of a whole document (see createAnchorScanner). */
export function extractAnchors(html: string): Set<string> {
  const scanner = createAnchorScanner();
  scanner.write(html);
  scanner.end();
  return scanner.anchors as Set<string>;
}
