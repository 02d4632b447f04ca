import type { Likeness, Note } from '../../notes/note';
import { isSignInPage } from '../sign-in';
import { compareTexts, type PageFingerprint } from './page';

/** What a host answered for a path that cannot exist on it (the probe). */
export type HostProfile =
  /** No usable answer (failure, too many redirects): nothing is learned, nothing is judged by it. */
  | { kind: 'unknown'; why: string }
  /** A 4xx/5xx: the host says "not found" honestly, so its 2xx answers are real pages. */
  | { kind: 'honest'; status: number }
  /** A 2xx: the host dresses "not found" as a page, possibly after redirects. */
  | {
      kind: 'soft';
      probeUrl: string;
      finalUrl: string;
      status: number;
      redirected: boolean;
      /** The fragment a redirect named (without `#`), when one did. */
      redirectFragment?: string;
      /** The not-found page itself, when it was HTML and read. */
      page: PageFingerprint | null;
    };

/** What one link answered (its final 2xx response), and its page when that was read. */
export interface LinkAnswer {
  url: string;
  finalUrl: string;
  status: number;
  redirected: boolean;
  /** The fragment a redirect named (without `#`), when one did: the section of the final page it was sent to. */
  redirectFragment?: string;
  page?: PageFingerprint | null;
}

export type Soft404Judgement =
  /** The link answered with the host's not-found page: broken. */
  | { kind: 'soft-404'; why: Note }
  /** Some likeness, not enough to call a page broken (false positives are worse than misses): a note only. */
  | { kind: 'suspect'; why: Note }
  | { kind: 'none' };

/** Names that stand for a site's front page: a link to one of them that lands on `/` is not a dead page. */
const HOME_ALIASES = /^(index|default|home|start|welcome|main|portal)(\.[a-z0-9]+)?$/i;
/** ISO 639-1 language codes: `/en/` is a front page, and `/` → `/en/` is a language redirect. */
const LANGUAGES = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en ' +
    'eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ' +
    'ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ' +
    'ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st ' +
    'su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
  ).split(' '),
);
/** A language, optionally with a region or script (`de-at`, `pt_br`, `zh-hans`). */
const isLocale = (segment: string) => {
  const match = /^([a-z]{2})([-_][a-z]{2,4})?$/i.exec(segment);
  return match !== null && LANGUAGES.has((match[1] ?? '').toLowerCase());
};

function segments(url: URL): string[] {
  return url.pathname.split('/').filter((s) => s !== '');
}

/** A front page: the root, an index file or home alias, or a locale's root. */
export function isFrontPath(url: URL): boolean {
  const parts = segments(url);
  if (parts.length === 0) return true;
  if (parts.length === 1) return HOME_ALIASES.test(parts[0] ?? '') || isLocale(parts[0] ?? '');
  return parts.length === 2 && isLocale(parts[0] ?? '') && HOME_ALIASES.test(parts[1] ?? '');
}

/** A link below the front page: the only kind whose redirect to the front page can mean "gone". */
export function isDeepLink(url: string): boolean {
  const parsed = URL.parse(url);
  return parsed !== null && !isFrontPath(parsed);
}

const siteOf = (url: URL) => url.hostname.replace(/^www\./i, '');

/** The language a path starts with (`/de/…` → `de`, `/pt_BR/` → `pt-br`), '' for none: a front page's language. */
function languageOf(url: URL): string {
  const first = segments(url)[0] ?? '';
  return isLocale(first) ? first.toLowerCase().replace('_', '-') : '';
}

/**
 * The final URL as the "same place": without the fragment, and without query values that only carry the requested
 * address (`/404?from=/old-page`), which differ for every dead link.
 */
function placeOf(finalUrl: string, requestedUrl: string): string | null {
  const url = URL.parse(finalUrl);
  const requested = URL.parse(requestedUrl);
  if (!url || !requested) return null;
  url.hash = '';
  for (const [key, value] of [...url.searchParams]) {
    if (value.includes(requested.pathname) || value.includes(requested.href)) url.searchParams.delete(key, value);
  }
  return url.href;
}

/** Three-word shingles a page may have that the not-found page lacks: one word of its own (a day's name, a greeting). */
const OWN_TEXT_SHINGLES = 3;

/** Compares two pages: `strong` only when the text, the title and the size all agree. */
function comparePages(
  page: PageFingerprint,
  notFound: PageFingerprint,
): { strength: 'strong' | 'weak' | 'none'; likeness: Likeness } {
  const unlike = { notFoundTitle: notFound.title, pageTitle: page.title, percent: 0 };
  // One shell for every path: the HTML of any address is the same, whether the page exists or not.
  if (page.shell || notFound.shell) return { strength: 'none', likeness: unlike };
  // A sign-in form shown in place: the wall looks the same at every address, whether a page is behind it or not.
  if (page.signIn || notFound.signIn) return { strength: 'none', likeness: unlike };
  // Without words (a photo, a heading and a form) there is nothing to compare: two such pages are not alike for it.
  if (page.words.length === 0 || notFound.words.length === 0) return { strength: 'none', likeness: unlike };
  const { similarity, novel } = compareTexts(page, notFound);
  const sameTitle = page.title !== '' && page.title.toLowerCase() === notFound.title.toLowerCase();
  const sizeRatio = Math.min(page.bytes, notFound.bytes) / Math.max(page.bytes, notFound.bytes, 1);
  const likeness: Likeness = {
    notFoundTitle: notFound.title,
    pageTitle: sameTitle ? null : page.title,
    percent: Math.floor(similarity * 100),
  };
  // Strong: alike in text, size and title, and nothing of its own beyond a word (numbers are alike already) — counted,
  // not weighed against the template the two share: a short page in a large template is a page of its own.
  const ownText = novel > OWN_TEXT_SHINGLES;
  if (similarity >= 0.9 && sizeRatio >= 0.75 && (sameTitle || similarity >= 0.97) && !ownText) {
    return { strength: 'strong', likeness };
  }
  if (similarity >= 0.7) return { strength: 'weak', likeness };
  return { strength: 'none', likeness };
}

/**
 * Whether a link's 2xx answer is the host's "not found" page. Strong evidence only: the same place a path that does
 * not exist ends at, a deep link sent to the front page, or the same page as the not-found one (title, text, size).
 * Sign-in pages, language redirects, app shells and pages that merely share a template never qualify.
 */
export function judgeSoft404(
  link: LinkAnswer,
  profile: HostProfile | null,
  /** `link.url` parsed, when the caller has it (nothing here changes it). */
  requested = URL.parse(link.url),
): Soft404Judgement {
  const final = link.finalUrl === link.url ? requested : URL.parse(link.finalUrl);
  if (!requested || !final || link.status < 200 || link.status > 299) return { kind: 'none' };
  if (isFrontPath(requested)) return { kind: 'none' };
  if (link.redirected && isSignInPage(final)) return { kind: 'none' };
  const soft = profile?.kind === 'soft' ? profile : null;
  // Sent to a section of a page (`/team/` → `/#team`) where a made-up path is not: merged there on purpose, not gone.
  if (link.redirected && link.redirectFragment && link.redirectFragment !== soft?.redirectFragment) {
    return { kind: 'none' };
  }
  if (link.redirected && soft?.redirected) {
    const place = placeOf(link.finalUrl, link.url);
    if (place !== null && place === placeOf(soft.finalUrl, soft.probeUrl) && !isSignInPage(final)) {
      return { kind: 'soft-404', why: { code: 'soft404-same-place', finalUrl: link.finalUrl } };
    }
  }
  if (link.redirected && isFrontPath(final)) {
    const probeFinal = soft?.redirected ? URL.parse(soft.finalUrl) : null;
    // Only a host that sends dead paths to its front page says so of this one: elsewhere a redirect to the front page
    // may as well mean "sign in first" (sites send logged-out visitors home) or a page retired on purpose.
    // The front page of the made-up path's language, or of the link's own (`/de/old/` → `/de/`): another language's is
    // where a language switch (`/lang/de` → `/de/`) sends a visitor.
    const language = languageOf(final);
    const sameFront =
      probeFinal !== null &&
      (language === languageOf(probeFinal) || (language !== '' && language === languageOf(requested)));
    const hostDoesIt = sameFront && isFrontPath(probeFinal) && siteOf(probeFinal) === siteOf(final);
    if (hostDoesIt && siteOf(final) === siteOf(requested) && final.search === '') {
      return { kind: 'soft-404', why: { code: 'soft404-front-page', finalUrl: link.finalUrl } };
    }
    return { kind: 'suspect', why: { code: 'suspect-front-page', finalUrl: link.finalUrl } };
  }
  if (!soft?.page || !link.page) return { kind: 'none' };
  const { strength, likeness } = comparePages(link.page, soft.page);
  if (strength === 'strong') return { kind: 'soft-404', why: { code: 'soft404-same-page', ...likeness } };
  if (strength === 'weak') return { kind: 'suspect', why: { code: 'suspect-like-page', ...likeness } };
  return { kind: 'none' };
}
