import {
  AUTO_GLOBAL_CONCURRENCY,
  type CollectKinds,
  DEFAULT_SETTINGS,
  LIMITS,
  type Settings,
  type Validation,
  validateSettings,
} from './settings';

export type NumericField = keyof typeof LIMITS;
export type SwitchField =
  | 'sameHostOnly'
  | 'privateNetworkGuard'
  | 'sendCookies'
  | 'redirectsAreProblems'
  | 'detectSoft404'
  | 'crawlUseSitemap'
  | 'crawlRespectRobots'
  | 'autoVerify';

/** The options form as typed: numbers stay text until validated, so a half-typed value is never lost. */
export interface SettingsForm {
  numbers: Record<NumericField, string>;
  switches: Record<SwitchField, boolean>;
  /** The global limit left to Linkpulse (`auto`); the number field then keeps what it held, unused. */
  autoGlobal: boolean;
  collect: CollectKinds;
  /** One pattern per line. */
  excludePatterns: string;
}

export const NUMERIC_FIELDS: { key: NumericField; label: string; unit: string; help: string }[] = [
  {
    key: 'globalConcurrency',
    label: 'Requests at once, all hosts',
    unit: '',
    help: 'A throttle: how many links are checked at the same time, whatever their hosts.',
  },
  {
    key: 'perHostConcurrency',
    label: 'Requests at once, per host',
    unit: '',
    help: 'Browsers open at most 6 connections to one host; lower it for fragile servers.',
  },
  {
    key: 'requestTimeoutSec',
    label: 'Timeout per request',
    unit: 's',
    help: 'A request with no answer by then fails.',
  },
  { key: 'retries', label: 'Retries', unit: '', help: 'Extra attempts after a timeout, reset, 5xx or 429.' },
  {
    key: 'retryAfterCapSec',
    label: 'Longest Retry-After wait',
    unit: 's',
    help: 'A server asking to wait longer than this is not waited for.',
  },
  {
    key: 'cacheMinutes',
    label: 'Reuse results for',
    unit: 'min',
    help: 'A link checked this recently is not requested again (0 turns it off). Re-check always asks afresh.',
  },
  {
    key: 'crawlMaxDepth',
    label: 'Site check: depth',
    unit: 'clicks',
    help: 'Pages this many clicks from the start page are fetched; links found on them are checked, not followed.',
  },
  { key: 'crawlMaxPages', label: 'Site check: pages', unit: '', help: 'At most this many pages are fetched.' },
  {
    key: 'verifyTabs',
    label: 'Background tabs at once',
    unit: '',
    help: 'How many links are loaded in background tabs at the same time when verifying in the browser.',
  },
  {
    key: 'verifyTimeoutSec',
    label: 'Time per background tab',
    unit: 's',
    help: 'A tab that has not settled by then is closed; the link keeps its verdict.',
  },
];

export const SWITCH_FIELDS: { key: SwitchField; label: string; help: string }[] = [
  { key: 'sameHostOnly', label: 'Only links to the page’s own host', help: 'Links to other hosts are skipped.' },
  {
    key: 'privateNetworkGuard',
    label: 'Private-network guard',
    help: 'From a public page, never request localhost, private or link-local addresses.',
  },
  {
    key: 'sendCookies',
    label: 'Send my cookies',
    help: 'Lets links behind your logins be checked; off by default so checks are anonymous.',
  },
  {
    key: 'redirectsAreProblems',
    label: 'Treat redirects as problems',
    help: 'Count redirected links with the broken ones.',
  },
  {
    key: 'detectSoft404',
    label: 'Find soft 404s',
    help: 'Learn how each host answers a page that does not exist, and call links that get that answer broken.',
  },
  {
    key: 'crawlUseSitemap',
    label: 'Site check: use the sitemap',
    help: 'Also start from the pages /sitemap.xml lists.',
  },
  {
    key: 'crawlRespectRobots',
    label: 'Site check: honour robots.txt',
    help: 'Paths robots.txt disallows for every crawler are never requested (skipped rows).',
  },
  {
    key: 'autoVerify',
    label: 'Verify blocked links in the browser automatically after each check',
    help: 'Opens blocked links and missing anchors in background tabs: a real visit, with your cookies and the site’s scripts.',
  },
];

/** The switch beside the global limit. */
export const AUTO_GLOBAL_LABEL = `Automatic: the per-host limit decides, at most ${AUTO_GLOBAL_CONCURRENCY} at once`;

export const COLLECT_FIELDS: { key: keyof CollectKinds; label: string }[] = [
  { key: 'images', label: 'Images (img, picture source)' },
  { key: 'scripts', label: 'Scripts' },
  { key: 'stylesheets', label: 'Stylesheets' },
  { key: 'media', label: 'Audio and video' },
  { key: 'iframes', label: 'Frames (iframe)' },
];

export function toForm(settings: Settings): SettingsForm {
  const numbers = {} as Record<NumericField, string>;
  for (const { key } of NUMERIC_FIELDS) numbers[key] = String(settings[key]);
  const autoGlobal = settings.globalConcurrency === 'auto';
  // Turning `auto` off starts from the most a fixed limit allows.
  if (autoGlobal) numbers.globalConcurrency = String(LIMITS.globalConcurrency.max);
  const switches = {} as Record<SwitchField, boolean>;
  for (const { key } of SWITCH_FIELDS) switches[key] = settings[key];
  return {
    numbers,
    switches,
    autoGlobal,
    collect: { ...settings.collect },
    excludePatterns: settings.excludePatterns.join('\n'),
  };
}

/**
 * The form for whatever storage holds (an older version, a hand-edited or synced value): each field as far as it
 * reads, the default where it does not. A list stored as anything but a list never throws: a string is shown as it
 * is, one pattern per line, anything else as the default, and validateSettings names the problem.
 */
export function formFromStored(stored: unknown): SettingsForm {
  const raw =
    typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const form = toForm(DEFAULT_SETTINGS);
  for (const { key } of NUMERIC_FIELDS) {
    const value = raw[key];
    if (typeof value === 'number' || (typeof value === 'string' && value !== 'auto')) form.numbers[key] = String(value);
  }
  if (raw.globalConcurrency !== undefined) form.autoGlobal = raw.globalConcurrency === 'auto';
  for (const { key } of SWITCH_FIELDS) if (typeof raw[key] === 'boolean') form.switches[key] = raw[key];
  const collect =
    typeof raw.collect === 'object' && raw.collect !== null ? (raw.collect as Record<string, unknown>) : {};
  for (const { key } of COLLECT_FIELDS) if (typeof collect[key] === 'boolean') form.collect[key] = collect[key];
  const patterns = raw.excludePatterns;
  if (Array.isArray(patterns)) form.excludePatterns = patterns.map(String).join('\n');
  else if (typeof patterns === 'string') form.excludePatterns = patterns;
  return form;
}

/** Validates the form as a whole; the errors are keyed by Settings field, as the form shows them. */
export function fromForm(form: SettingsForm): Validation {
  return validateSettings(
    {
      ...form.numbers,
      globalConcurrency: form.autoGlobal ? 'auto' : form.numbers.globalConcurrency,
      ...form.switches,
      collect: form.collect,
      excludePatterns: form.excludePatterns.split('\n'),
    },
    ', or switch on "Automatic"',
  );
}

const EXPORT_FORMAT = 'linkpulse-settings';

/** The settings as a file a person can keep and import elsewhere. */
export function exportSettings(settings: Settings): string {
  return `${JSON.stringify({ format: EXPORT_FORMAT, version: 1, settings }, null, 2)}\n`;
}

/** Reads an exported settings file (or a bare settings object); every problem is named, nothing is guessed. */
export function importSettings(text: string): Validation | { ok: false; message: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `This file is not JSON: ${(error as Error).message}` };
  }
  const wrapped = parsed as { format?: unknown; settings?: unknown } | null;
  const settings =
    wrapped && typeof wrapped === 'object' && wrapped.format === EXPORT_FORMAT ? wrapped.settings : parsed;
  return validateSettings(settings);
}

/** The one line a person reads when an import fails. */
export function describeImportFailure(result: { ok: false } & ({ message: string } | { errors: object })): string {
  if ('message' in result) return result.message;
  const problems = Object.entries(result.errors).map(([field, problem]) => `${field}: ${problem}`);
  return `Not imported — ${problems.join('; ')}`;
}

/** One setting as a person reads it, labelled as on the options page (the report shows what a run used). */
export interface SettingLine {
  key: keyof Settings;
  label: string;
  value: string;
}

export function describeSettings(settings: Settings): SettingLine[] {
  const numbers = NUMERIC_FIELDS.map(({ key, label, unit }) => ({
    key,
    label,
    value:
      settings[key] === 'auto'
        ? `automatic (at most ${AUTO_GLOBAL_CONCURRENCY})`
        : unit
          ? `${settings[key]} ${unit}`
          : String(settings[key]),
  }));
  const extras = COLLECT_FIELDS.filter(({ key }) => settings.collect[key]).map(({ label }) => label);
  const switches = SWITCH_FIELDS.map(({ key, label }) => ({ key, label, value: settings[key] ? 'on' : 'off' }));
  return [
    ...numbers,
    { key: 'collect', label: 'Also checked', value: extras.length > 0 ? extras.join(', ') : 'links only' },
    {
      key: 'excludePatterns',
      label: 'Excluded',
      // One per line, as typed: a pattern may hold any character, so no separator would be safe.
      value: settings.excludePatterns.length > 0 ? settings.excludePatterns.join('\n') : 'none',
    },
    ...switches,
  ];
}

export const DEFAULT_FORM = toForm(DEFAULT_SETTINGS);
