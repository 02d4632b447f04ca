/** Extra element kinds a person may opt into; anchors and areas are always collected. */
export interface CollectKinds {
  images: boolean;
  scripts: boolean;
  stylesheets: boolean;
  media: boolean;
  iframes: boolean;
}

export interface Settings {
  /**
   * Requests in flight at once, all hosts together: a number the person sets (a throttle), or `auto` — the per-host
   * limit alone decides, up to AUTO_GLOBAL_CONCURRENCY.
   */
  globalConcurrency: number | 'auto';
  /** Requests in flight at once to one host. */
  perHostConcurrency: number;
  /**
   * Requests in flight at once to a host that has answered over HTTP/2 or HTTP/3 (one connection carries them all), or
   * `same`: the per-host limit, as for every other host.
   */
  perHostConcurrencyH2: number | 'same';
  /** One request's timeout, seconds. */
  requestTimeoutSec: number;
  /** Extra attempts after a transient failure (timeout, reset, 5xx, 429). */
  retries: number;
  /** Longest `Retry-After` wait honoured, seconds. */
  retryAfterCapSec: number;
  collect: CollectKinds;
  /** One pattern per entry: a glob (`*` wildcard) or a `/regex/flags`. */
  excludePatterns: string[];
  sameHostOnly: boolean;
  /** Skip loopback/private targets when the page itself is public. */
  privateNetworkGuard: boolean;
  sendCookies: boolean;
  /** Reuse a result checked within this many minutes (0 turns the cache off). */
  cacheMinutes: number;
  /** Count `redirected` links among the problems (exports, badge). */
  redirectsAreProblems: boolean;
  /** Learn each host's "not found" page and call a link that answers with it `broken` / `soft-404`. */
  detectSoft404: boolean;
  /** Site check: pages this many clicks from the start page are still fetched (their links checked, not followed). */
  crawlMaxDepth: number;
  /** Site check: at most this many pages are fetched. */
  crawlMaxPages: number;
  /** Site check: also start from the pages /sitemap.xml lists. */
  crawlUseSitemap: boolean;
  /** Site check: never request what robots.txt disallows for every crawler. */
  crawlRespectRobots: boolean;
  /** After each check, open the links a tab can settle (blocked, missing fragments) in background tabs. */
  autoVerify: boolean;
  /** Background tabs open at once for the second opinion. */
  verifyTabs: number;
  /** Longest a background tab may take to settle a link, seconds. */
  verifyTimeoutSec: number;
}

/** The limits of each numeric field: the options page and validation both read them. */
export const LIMITS = {
  // Chromium opens at most 6 HTTP/1.1 connections per host; a higher per-host limit only queues inside the browser.
  // Firefox's limit is the same 6 (network.http.max-persistent-connections-per-server); its e2e test checks it.
  globalConcurrency: { min: 1, max: 64 },
  perHostConcurrency: { min: 1, max: 6 },
  // HTTP/2 and 3 carry many requests on one connection, so the browser's 6 no longer caps them. Servers commonly allow
  // 100 or more streams per connection (nginx 128); 32 stays well inside that and leaves room in the automatic 128.
  perHostConcurrencyH2: { min: 1, max: 32 },
  // A link's whole budget is LINK_DEADLINE_MS (25 s), all its requests together: a longer timeout would never be reached.
  requestTimeoutSec: { min: 1, max: 25 },
  retries: { min: 0, max: 5 },
  retryAfterCapSec: { min: 0, max: 120 },
  cacheMinutes: { min: 0, max: 1440 },
  crawlMaxDepth: { min: 0, max: 10 },
  crawlMaxPages: { min: 1, max: 5000 },
  // At most 2 tabs at once (shared/CONTRACT.md): each runs a whole site's scripts in the person's browser.
  verifyTabs: { min: 1, max: 2 },
  verifyTimeoutSec: { min: 5, max: 20 },
} as const satisfies Partial<Record<keyof Settings, { min: number; max: number }>>;

/**
 * What `auto` allows at most. A page's links spread over many hosts, and the per-host limit is what keeps each server
 * safe: 20 hosts × 6 needs 120 in flight to run at the speed of the browser. Chromium keeps 256 sockets per profile
 * (Firefox 900); half of them leaves the other half to the person's own browsing. lychee's default is also 128.
 */
export const AUTO_GLOBAL_CONCURRENCY = 128;

export const DEFAULT_SETTINGS: Settings = {
  globalConcurrency: 'auto',
  perHostConcurrency: 6,
  // Polite by default: a server does the same work for a request whatever carries it, and the per-host limit is the
  // person's word on how hard to press one server. A higher limit for HTTP/2 hosts is theirs to choose.
  perHostConcurrencyH2: 'same',
  requestTimeoutSec: 10,
  retries: 2,
  retryAfterCapSec: 30,
  collect: { images: false, scripts: false, stylesheets: false, media: false, iframes: false },
  excludePatterns: [],
  sameHostOnly: false,
  privateNetworkGuard: true,
  sendCookies: false,
  cacheMinutes: 10,
  redirectsAreProblems: false,
  detectSoft404: true,
  crawlMaxDepth: 3,
  crawlMaxPages: 500,
  crawlUseSitemap: true,
  crawlRespectRobots: true,
  autoVerify: false,
  verifyTabs: 2,
  verifyTimeoutSec: 20,
};

/**
 * A link's whole budget, all attempts included. The contract promises a verdict within 30 s for a server that never
 * answers; Chrome also stops a worker whose single fetch takes longer than 30 s.
 */
export const LINK_DEADLINE_MS = 25_000;

/** What is wrong with one exclude pattern. */
export type PatternProblem = { kind: 'too-long'; max: number } | { kind: 'bad-regex'; detail: string };

/**
 * What is wrong with one setting, as values: the page that shows it puts it into the user's words
 * (components/settings-words.ts), so the same problem reads the same on the form and in an import.
 */
export type SettingsProblem =
  /** `auto`: the field's other choice, named as the source knows it (the value "auto" in a file, a switch on a form). */
  | { kind: 'not-whole'; min: number; max: number; auto?: 'value' | 'switch' }
  /** The same for the HTTP/2 limit's other choice, `same`. */
  | { kind: 'not-whole-or-same'; min: number; max: number; via: 'value' | 'switch' }
  | { kind: 'out-of-range'; min: number; max: number; got: number }
  | { kind: 'not-boolean' }
  | { kind: 'not-object' }
  | { kind: 'collect-not-object' }
  | { kind: 'collect-not-boolean'; name: string }
  | { kind: 'patterns-not-list' }
  /** The patterns together weigh more than settings kept in `storage.sync` can hold (see PATTERNS_MAX_BYTES). */
  | { kind: 'patterns-too-long'; max: number }
  | { kind: 'pattern'; line: number; pattern: string; problem: PatternProblem };

export type SettingsErrors = Partial<Record<keyof Settings, SettingsProblem>>;

export type Validation = { ok: true; value: Settings } | { ok: false; errors: SettingsErrors };

type NumericKey = keyof typeof LIMITS;

/**
 * v1 → v2: the global limit gained `auto`, the new default. In v1, 64 was both the default and the most allowed, so a
 * stored 64 meant "as many as allowed": it becomes `auto`. Any other number was a deliberate throttle and stays.
 * Whatever else is stored passes through untouched (validateSettings judges it when read). Storage (settings-store.ts)
 * and settings files of version 1 (settings-form.ts) both take this step.
 */
export function migrateV1toV2(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored;
  const v1 = stored as Record<string, unknown>;
  return v1.globalConcurrency === 64 ? { ...v1, globalConcurrency: 'auto' } : v1;
}

/**
 * v2 → v3: the timeout per request allowed up to 60 s, though a link's whole budget is 25 s (LINK_DEADLINE_MS), so
 * anything above 25 acted as 25: such a value becomes 25, the most now allowed, rather than failing validation and
 * falling back to the default. Storage (settings-store.ts) and settings files (settings-form.ts) both take this step.
 */
export function migrateV2toV3(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored;
  const v2 = stored as Record<string, unknown>;
  const { max } = LIMITS.requestTimeoutSec;
  const timeout = v2.requestTimeoutSec;
  return typeof timeout === 'number' && Number.isInteger(timeout) && timeout > max
    ? { ...v2, requestTimeoutSec: max }
    : v2;
}

/** The global limit a run uses. */
export function globalLimit(settings: Pick<Settings, 'globalConcurrency'>): number {
  return settings.globalConcurrency === 'auto' ? AUTO_GLOBAL_CONCURRENCY : settings.globalConcurrency;
}

/** The limit for a host that answered over HTTP/2 or HTTP/3. */
export function perHostLimitH2(settings: Pick<Settings, 'perHostConcurrency' | 'perHostConcurrencyH2'>): number {
  return settings.perHostConcurrencyH2 === 'same' ? settings.perHostConcurrency : settings.perHostConcurrencyH2;
}

/**
 * Checks a whole number against its limits; when it fails, the error is recorded and the returned value unused.
 * `auto` names the field's other choice, as where the value came from knows it.
 */
function checkInteger(key: NumericKey, value: unknown, errors: SettingsErrors, auto?: 'value' | 'switch'): number {
  const { min, max } = LIMITS[key];
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    errors[key] = auto ? { kind: 'not-whole', min, max, auto } : { kind: 'not-whole', min, max };
    return min;
  }
  if (n < min || n > max) {
    errors[key] = { kind: 'out-of-range', min, max, got: n };
    return min;
  }
  return n;
}

const PATTERN_MAX_LENGTH = 2000;
/**
 * The exclude patterns' JSON, in bytes, at most: settings live in `storage.sync`, which refuses an item over 8 192
 * bytes (Chromium and Firefox); the other settings take ~550.
 */
export const PATTERNS_MAX_BYTES = 6000;

/** Checks one exclude pattern; returns the exact problem, or null when it compiles. */
export function checkExcludePattern(pattern: string): PatternProblem | null {
  if (pattern.length > PATTERN_MAX_LENGTH) return { kind: 'too-long', max: PATTERN_MAX_LENGTH };
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!regex) return null;
  try {
    new RegExp(regex[1] ?? '', regex[2]);
    return null;
  } catch (error) {
    return { kind: 'bad-regex', detail: (error as Error).message };
  }
}

function checkBoolean(key: keyof Settings, value: unknown, errors: SettingsErrors): boolean {
  if (typeof value !== 'boolean') {
    errors[key] = { kind: 'not-boolean' };
    return false;
  }
  return value;
}

/**
 * Validates settings from any source (the options form, an imported file, storage written by an older version).
 * Missing fields take their defaults; a present but invalid field is an error, never silently replaced.
 * `autoHint` is how the global limit's other choice is named: the value `"auto"` in a file, a switch on a form (and
 * the HTTP/2 limit's `"same"` likewise).
 */
export function validateSettings(input: unknown, autoHint: 'value' | 'switch' = 'value'): Validation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: { globalConcurrency: { kind: 'not-object' } } };
  }
  const raw = { ...DEFAULT_SETTINGS, ...(input as Partial<Settings>) };
  const errors: SettingsErrors = {};
  // A number, or else the problem names "same" the way the source knows it (as autoHint does for "auto").
  const checkH2 = (value: unknown): number => {
    const n = checkInteger('perHostConcurrencyH2', value, errors);
    const problem = errors.perHostConcurrencyH2;
    if (problem?.kind === 'not-whole')
      errors.perHostConcurrencyH2 = { ...problem, kind: 'not-whole-or-same', via: autoHint };
    return n;
  };
  const value: Settings = {
    globalConcurrency:
      raw.globalConcurrency === 'auto'
        ? 'auto'
        : checkInteger('globalConcurrency', raw.globalConcurrency, errors, autoHint),
    perHostConcurrency: checkInteger('perHostConcurrency', raw.perHostConcurrency, errors),
    perHostConcurrencyH2: raw.perHostConcurrencyH2 === 'same' ? 'same' : checkH2(raw.perHostConcurrencyH2),
    requestTimeoutSec: checkInteger('requestTimeoutSec', raw.requestTimeoutSec, errors),
    retries: checkInteger('retries', raw.retries, errors),
    retryAfterCapSec: checkInteger('retryAfterCapSec', raw.retryAfterCapSec, errors),
    cacheMinutes: checkInteger('cacheMinutes', raw.cacheMinutes, errors),
    crawlMaxDepth: checkInteger('crawlMaxDepth', raw.crawlMaxDepth, errors),
    crawlMaxPages: checkInteger('crawlMaxPages', raw.crawlMaxPages, errors),
    verifyTabs: checkInteger('verifyTabs', raw.verifyTabs, errors),
    verifyTimeoutSec: checkInteger('verifyTimeoutSec', raw.verifyTimeoutSec, errors),
    collect: { ...DEFAULT_SETTINGS.collect },
    excludePatterns: [],
    sameHostOnly: checkBoolean('sameHostOnly', raw.sameHostOnly, errors),
    privateNetworkGuard: checkBoolean('privateNetworkGuard', raw.privateNetworkGuard, errors),
    sendCookies: checkBoolean('sendCookies', raw.sendCookies, errors),
    redirectsAreProblems: checkBoolean('redirectsAreProblems', raw.redirectsAreProblems, errors),
    detectSoft404: checkBoolean('detectSoft404', raw.detectSoft404, errors),
    crawlUseSitemap: checkBoolean('crawlUseSitemap', raw.crawlUseSitemap, errors),
    crawlRespectRobots: checkBoolean('crawlRespectRobots', raw.crawlRespectRobots, errors),
    autoVerify: checkBoolean('autoVerify', raw.autoVerify, errors),
  };
  if (typeof raw.collect !== 'object' || raw.collect === null) {
    errors.collect = { kind: 'collect-not-object' };
  } else {
    for (const kind of Object.keys(DEFAULT_SETTINGS.collect) as (keyof CollectKinds)[]) {
      const flag = (raw.collect as Partial<CollectKinds>)[kind] ?? false;
      if (typeof flag !== 'boolean') errors.collect = { kind: 'collect-not-boolean', name: kind };
      else value.collect[kind] = flag;
    }
  }
  if (!Array.isArray(raw.excludePatterns) || raw.excludePatterns.some((p) => typeof p !== 'string')) {
    errors.excludePatterns = { kind: 'patterns-not-list' };
  } else {
    // Blank entries are dropped, but a problem names the line as the person sees it: blank lines above it count.
    for (const [i, entry] of raw.excludePatterns.entries()) {
      const pattern = entry.trim();
      if (pattern === '') continue;
      const problem = errors.excludePatterns ? null : checkExcludePattern(pattern);
      if (problem) errors.excludePatterns = { kind: 'pattern', line: i + 1, pattern, problem };
      value.excludePatterns.push(pattern);
    }
    const bytes = new TextEncoder().encode(JSON.stringify(value.excludePatterns)).length;
    if (!errors.excludePatterns && bytes > PATTERNS_MAX_BYTES) {
      errors.excludePatterns = { kind: 'patterns-too-long', max: PATTERNS_MAX_BYTES };
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/**
 * Settings to run with from whatever is stored: each valid field as it is, each invalid one (a wider limit a newer
 * version synced, a hand edit) at its default. Only what is not an object at all gives the defaults whole.
 */
export function settingsKeepingValid(input: unknown): Settings {
  const result = validateSettings(input);
  if (result.ok) return result.value;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return DEFAULT_SETTINGS;
  const valid = Object.entries(input).filter(([key]) => !(key in result.errors));
  // Fields are judged one by one, so what is left validates; were a rule ever to join fields, defaults stay safe.
  const kept = validateSettings(Object.fromEntries(valid));
  return kept.ok ? kept.value : DEFAULT_SETTINGS;
}

/**
 * What to store when `settings` are saved over `stored`: the settings, and each stored field this version does not
 * know. A newer version adds fields without a new storage version (validateSettings fills in missing ones), and
 * storage.sync shares them with browsers still on an older version, whose saves would otherwise take them away.
 */
export function withUnknownFields(stored: unknown, settings: Settings): Settings {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return settings;
  const unknown = Object.entries(stored).filter(([key]) => !(key in DEFAULT_SETTINGS));
  return { ...Object.fromEntries(unknown), ...settings };
}
