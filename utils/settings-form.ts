import { type IgnoredLink, parseIgnoredLinks } from './history/ignore';
import {
  AUTO_GLOBAL_CONCURRENCY,
  type CollectKinds,
  DEFAULT_SETTINGS,
  LIMITS,
  migrateV1toV2,
  migrateV2toV3,
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
  /** HTTP/2 hosts get the per-host limit (`same`); the number field then keeps what it held, unused. */
  sameH2: boolean;
  collect: CollectKinds;
  /** One pattern per line. */
  excludePatterns: string;
}

/** The unit a number is in, as the form and the report write after it; the words are the page's (locales/). */
export type FieldUnit = '' | 'sec' | 'min' | 'clicks';

// The fields in the order the options page and the report show them; their labels and help are in locales/
// (`settings.<key>.label`, `.help`), so a field added here without its words fails the typecheck.
export const NUMERIC_FIELDS: { key: NumericField; unit: FieldUnit }[] = [
  { key: 'globalConcurrency', unit: '' },
  { key: 'perHostConcurrency', unit: '' },
  { key: 'perHostConcurrencyH2', unit: '' },
  { key: 'requestTimeoutSec', unit: 'sec' },
  { key: 'retries', unit: '' },
  { key: 'retryAfterCapSec', unit: 'sec' },
  { key: 'cacheMinutes', unit: 'min' },
  { key: 'crawlMaxDepth', unit: 'clicks' },
  { key: 'crawlMaxPages', unit: '' },
  { key: 'verifyTabs', unit: '' },
  { key: 'verifyTimeoutSec', unit: 'sec' },
];

export const SWITCH_FIELDS: { key: SwitchField }[] = [
  { key: 'sameHostOnly' },
  { key: 'privateNetworkGuard' },
  { key: 'sendCookies' },
  { key: 'redirectsAreProblems' },
  { key: 'detectSoft404' },
  { key: 'crawlUseSitemap' },
  { key: 'crawlRespectRobots' },
  { key: 'autoVerify' },
];

export const COLLECT_FIELDS: { key: keyof CollectKinds }[] = [
  { key: 'images' },
  { key: 'scripts' },
  { key: 'stylesheets' },
  { key: 'media' },
  { key: 'iframes' },
];

export function toForm(settings: Settings): SettingsForm {
  const numbers = {} as Record<NumericField, string>;
  for (const { key } of NUMERIC_FIELDS) numbers[key] = String(settings[key]);
  const autoGlobal = settings.globalConcurrency === 'auto';
  // Turning `auto` off starts from the most a fixed limit allows.
  if (autoGlobal) numbers.globalConcurrency = String(LIMITS.globalConcurrency.max);
  const sameH2 = settings.perHostConcurrencyH2 === 'same';
  // Turning `same` off starts from the per-host limit: a higher one is the person's choice, typed, not offered.
  if (sameH2) numbers.perHostConcurrencyH2 = String(settings.perHostConcurrency);
  const switches = {} as Record<SwitchField, boolean>;
  for (const { key } of SWITCH_FIELDS) switches[key] = settings[key];
  return {
    numbers,
    switches,
    autoGlobal,
    sameH2,
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
    if (typeof value === 'number' || (typeof value === 'string' && value !== 'auto' && value !== 'same')) {
      form.numbers[key] = String(value);
    }
  }
  if (raw.globalConcurrency !== undefined) form.autoGlobal = raw.globalConcurrency === 'auto';
  if (raw.perHostConcurrencyH2 !== undefined) form.sameH2 = raw.perHostConcurrencyH2 === 'same';
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
      perHostConcurrencyH2: form.sameH2 ? 'same' : form.numbers.perHostConcurrencyH2,
      ...form.switches,
      collect: form.collect,
      excludePatterns: form.excludePatterns.split('\n'),
    },
    'switch',
  );
}

const EXPORT_FORMAT = 'linkpulse-settings';
/**
 * 2: the global limit's 64 is a fixed throttle. In version 1 files it may be the old default (see importSettings).
 * 3: the timeout per request is at most 25 s; files of earlier versions may hold up to 60, read as 25.
 */
const EXPORT_VERSION = 3;

/** The settings as a file a person can keep and import elsewhere. */
export function exportSettings(settings: Settings, ignoredLinks?: readonly IgnoredLink[]): string {
  const file = { format: EXPORT_FORMAT, version: EXPORT_VERSION, settings, ...(ignoredLinks ? { ignoredLinks } : {}) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * The ignored links a settings file carries: `null` when it has none (an older file, a bare settings object), else the
 * list read, or what is wrong with it.
 */
export function importIgnoredLinks(text: string): ReturnType<typeof parseIgnoredLinks> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const wrapped = parsed as { format?: unknown; ignoredLinks?: unknown } | null;
  if (!wrapped || typeof wrapped !== 'object' || wrapped.format !== EXPORT_FORMAT) return null;
  return wrapped.ignoredLinks === undefined ? null : parseIgnoredLinks(wrapped.ignoredLinks);
}

/**
 * Reads an exported settings file, of any version, or a bare settings object (read as today's); every problem is
 * named, nothing is guessed.
 */
export function importSettings(text: string): Validation | { ok: false; notJson: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, notJson: (error as Error).message };
  }
  const wrapped = parsed as { format?: unknown; version?: unknown; settings?: unknown } | null;
  if (!wrapped || typeof wrapped !== 'object' || wrapped.format !== EXPORT_FORMAT) return validateSettings(parsed);
  // Version 1 is also what versions with `auto` wrote until version 2, so a 64 there may be a fixed throttle; far more
  // often it is the old default, kept unchanged. Read as stored settings are: 64 is `auto`, any other number stays.
  // Versions 1 and 2 allowed a timeout per request of up to 60 s, which acted as 25 s: read as 25.
  const v2 = wrapped.version === 1 ? migrateV1toV2(wrapped.settings) : wrapped.settings;
  return validateSettings(wrapped.version === 1 || wrapped.version === 2 ? migrateV2toV3(v2) : v2);
}

/** A setting's value as the report shows what a run used; the page words it. */
export type SettingValue =
  | { kind: 'number'; n: number; unit: FieldUnit }
  | { kind: 'auto'; max: number }
  /** The HTTP/2 limit left at the per-host limit, `n`. */
  | { kind: 'same'; n: number }
  | { kind: 'switch'; on: boolean }
  /** Absent from a kept run's settings: the version that ran it did not have the setting yet. */
  | { kind: 'not-recorded' }
  | { kind: 'collect'; extras: (keyof CollectKinds)[] }
  | { kind: 'patterns'; patterns: string[] };

/** One setting, in the options page's order (the report shows what a run used). */
export interface SettingLine {
  key: keyof Settings;
  value: SettingValue;
}

/**
 * `settings` may be a kept run's, recorded by an older version: a setting added since is absent there (collect and
 * excludePatterns were there from the first version).
 */
export function describeSettings(settings: Settings): SettingLine[] {
  const numbers = NUMERIC_FIELDS.map(({ key, unit }): SettingLine => {
    const n: Settings[NumericField] | undefined = settings[key];
    if (n === undefined) return { key, value: { kind: 'not-recorded' } };
    if (n === 'auto') return { key, value: { kind: 'auto', max: AUTO_GLOBAL_CONCURRENCY } };
    if (n === 'same') return { key, value: { kind: 'same', n: settings.perHostConcurrency } };
    return { key, value: { kind: 'number', n, unit } };
  });
  const extras = COLLECT_FIELDS.filter(({ key }) => settings.collect[key]).map(({ key }) => key);
  const switches = SWITCH_FIELDS.map(({ key }): SettingLine => {
    const on: boolean | undefined = settings[key];
    return { key, value: on === undefined ? { kind: 'not-recorded' } : { kind: 'switch', on } };
  });
  return [
    ...numbers,
    { key: 'collect', value: { kind: 'collect', extras } },
    { key: 'excludePatterns', value: { kind: 'patterns', patterns: settings.excludePatterns } },
    ...switches,
  ];
}

export const DEFAULT_FORM = toForm(DEFAULT_SETTINGS);
