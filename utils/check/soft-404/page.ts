import { Parser } from 'htmlparser2';

/** What a page looks like to a reader, reduced to what tells a real page from a "not found" page. */
export interface PageFingerprint {
  /** The document's title, whitespace collapsed. */
  title: string;
  /** Bytes of the body read (at most the cap). */
  bytes: number;
  /**
   * The main text as words (lower case), without the words of the requested path, which a not-found page may echo; a
   * word with a digit in it is `#` (see NUMBER).
   */
  words: string[];
  /**
   * An app shell: scripts that render the page, into an element left empty (whatever banner, header or footer the HTML
   * carries around it) or with next to no text at all, so its HTML says nothing about the address.
   */
  shell: boolean;
  /**
   * A sign-in form in the page's own part (not its header or sidebar): a wall in front of the address, shown in place as
   * it is at every address of the site, whether a page exists behind it or not.
   */
  signIn: boolean;
  /** Only the start of the body was read. */
  truncated: boolean;
}

/** Words kept per page: a not-found page is short, and the start of a long page is enough to tell it apart. */
const MAX_WORDS = 2000;

/** Content that is not text a reader sees, and parts every page of a site repeats. */
const HIDDEN = new Set(['head', 'script', 'style', 'noscript', 'template', 'svg', 'iframe', 'select', 'form']);
const CHROME = new Set(['header', 'footer', 'aside']);
const MAIN = new Set(['main', 'article']);
/** Where single-page-app frameworks mount what they render. */
const MOUNT_IDS = /^(root|app|__next|__nuxt|___gatsby|svelte|main-app|application)$/i;

/**
 * Words with a digit: a not-found page may quote a reference, a request id or the time, new with every answer, while a
 * real page is told from it by its words, not its numbers.
 */
const NUMBER = /\p{N}/u;

/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai…): each character counts as a word, or a page's
 * every sentence would be one word, and a page of a few sentences next to no text.
 */
const UNSPACED = '\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}';
const WORD = new RegExp(`[${UNSPACED}]|(?:(?![${UNSPACED}])[\\p{L}\\p{N}])+`, 'gu');
const UNSPACED_CHAR = new RegExp(`^[${UNSPACED}]$`, 'u');
const UNSPACED_RUN = new RegExp(`[${UNSPACED}]{2,}`, 'gu');

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** How much a reader reads: a word of an unspaced script is about two characters (a loading note stays next to nothing). */
function readingLength(text: string): number {
  let length = 0;
  for (const word of wordsOf(text)) length += UNSPACED_CHAR.test(word) ? 0.5 : 1;
  return length;
}

/**
 * What a page may echo of a URL's path (a not-found page often says "Nothing found at /2023/old-post/"): its words, and
 * its runs of unspaced script, taken out of the text as a whole (one of their characters is a word of many others).
 */
export function pathEcho(url: string): { words: string[]; runs: string[] } {
  const parsed = URL.parse(url);
  if (!parsed) return { words: [], runs: [] };
  let path = parsed.pathname + parsed.search;
  try {
    path = decodeURIComponent(path);
  } catch {
    // A path with a bad escape is used as written.
  }
  path = path.toLowerCase();
  return { words: wordsOf(path).filter((word) => !UNSPACED_CHAR.test(word)), runs: path.match(UNSPACED_RUN) ?? [] };
}

/**
 * Reads a page's title and main text: the `main` or `article` element when the page has one, otherwise the body without
 * navigation, header, footer and sidebars (the template that pages of one site share).
 */
export function fingerprintPage(html: string, echoedUrls: string[], truncated = false): PageFingerprint {
  let title = '';
  let inTitle = false;
  let titleDone = false;
  let hidden = 0;
  let chrome = 0;
  let main = 0;
  let scripts = 0;
  let mount = false;
  /** Inside an element single-page apps mount into, and what text the HTML itself puts there. */
  let inMount = 0;
  let mountWords = 0;
  let signIn = false;
  /** What each open element turned on, so its end turns it off again (the parser closes implied ends too). */
  const open: { main: boolean; hidden: boolean; chrome: boolean; mount: boolean }[] = [];
  const mainText: string[] = [];
  const bodyText: string[] = [];
  /** Everything a reader sees, template included: an app shell shows next to nothing before its script runs. */
  const visibleText: string[] = [];
  // Text is joined as it came (the parser may split a word at an entity), with a space at every tag.
  const separate = () => {
    visibleText.push(' ');
    bodyText.push(' ');
    mainText.push(' ');
  };
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const flags = {
          main: MAIN.has(name) || attribs.role === 'main',
          hidden: HIDDEN.has(name),
          // A header or footer inside the main part belongs to the content (a post's own title), not to the template.
          chrome: name === 'nav' || (CHROME.has(name) && main === 0),
          mount: attribs.id !== undefined && MOUNT_IDS.test(attribs.id),
        };
        if (name === 'script' && attribs.type !== 'application/ld+json') scripts += 1;
        if (flags.mount) {
          mount = true;
          inMount += 1;
        }
        if (name === 'input' && attribs.type?.toLowerCase() === 'password' && chrome === 0) signIn = true;
        if (name === 'title' && !titleDone) inTitle = true;
        if (flags.hidden) hidden += 1;
        if (flags.chrome) chrome += 1;
        if (flags.main) main += 1;
        open.push(flags);
        separate();
      },
      ontext(text) {
        // The title lives in the head, which is otherwise hidden.
        if (inTitle) title += text;
        else if (hidden === 0) {
          visibleText.push(text);
          if (inMount > 0) mountWords += wordsOf(text).length;
          if (chrome > 0) return;
          bodyText.push(text);
          if (main > 0) mainText.push(text);
        }
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          titleDone = true;
        }
        separate();
        const flags = open.pop();
        if (!flags) return;
        if (flags.hidden) hidden -= 1;
        if (flags.chrome) chrome -= 1;
        if (flags.main) main -= 1;
        if (flags.mount) inMount -= 1;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  const echoes = echoedUrls.map(pathEcho);
  const echoed = new Set(echoes.flatMap((echo) => echo.words));
  const chosen = wordsOf(mainText.join('')).length > 0 ? mainText : bodyText;
  let text = chosen.join('').toLowerCase();
  for (const run of echoes.flatMap((echo) => echo.runs)) text = text.replaceAll(run, ' ');
  const words = wordsOf(text)
    .filter((word) => !echoed.has(word))
    .slice(0, MAX_WORDS)
    .map((word) => (NUMBER.test(word) ? '#' : word));
  return {
    title: title.replace(/\s+/g, ' ').trim().slice(0, 200),
    bytes: html.length,
    words,
    shell: scripts > 0 && ((mount && mountWords === 0) || readingLength(visibleText.join('')) < (mount ? 30 : 10)),
    signIn,
    truncated,
  };
}

function shingles(words: string[]): Set<string> {
  const size = 3;
  if (words.length < size) return new Set(words.length > 0 ? [words.join(' ')] : []);
  const set = new Set<string>();
  for (let i = 0; i + size <= words.length; i++) set.add(words.slice(i, i + size).join(' '));
  return set;
}

/**
 * How alike two pages' main texts are: `similarity`, 0 to 1, is the Jaccard index of their three-word shingles;
 * `novel` counts the shingles of `a` that `b` lacks (a real page has text of its own, however large the template).
 */
export function compareTexts(a: PageFingerprint, b: PageFingerprint): { similarity: number; novel: number } {
  const sa = shingles(a.words);
  const sb = shingles(b.words);
  let shared = 0;
  for (const s of sa) if (sb.has(s)) shared += 1;
  const union = sa.size + sb.size - shared;
  return { similarity: union === 0 ? 1 : shared / union, novel: sa.size - shared };
}

export function textSimilarity(a: PageFingerprint, b: PageFingerprint): number {
  return compareTexts(a, b).similarity;
}
