/**
 * Numbers, times and dates as the user's language writes them (1,234.5 in English, 1.234,5 in German), through `Intl`.
 * The locale is handed in (the browser's UI language, read by the page), so tests pin it and nothing here asks the
 * browser. Only what a person reads goes through here: exports keep their plain machine numbers.
 */
export interface LocaleFormat {
  /** The locale actually used: the one asked for, or `en` when `Intl` does not know it. */
  readonly locale: string;
  /** A count or other whole number, grouped: `1,234` / `1.234`. */
  count(n: number): string;
  /** A number with at most `digits` decimals (default 1): `12.5` / `12,5`. */
  decimal(n: number, digits?: number): string;
  /** A share of a whole, 0–1: `90%` / `90 %`. */
  percent(ratio: number): string;
  /** A time in milliseconds as milliseconds: `1,234 ms`. */
  ms(ms: number): string;
  /** A time in milliseconds as seconds with one decimal: `2.5 sec` / `2,5 Sek.`. */
  seconds(ms: number): string;
  /** A length of time, in the unit a person would use: ms under a second, seconds under a minute, then min + sec. */
  duration(ms: number): string;
  /** A moment (epoch milliseconds) as a date and a time of day. */
  dateTime(epochMs: number): string;
}

export interface LocaleFormatOptions {
  /** The IANA time zone dates are shown in; the system's when absent (tests pin it). */
  timeZone?: string;
}

/** `locale` as `Intl` will use it, or `en` when it is not a well-formed language tag. */
function usableLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

export function createLocaleFormat(requested: string, options: LocaleFormatOptions = {}): LocaleFormat {
  const locale = usableLocale(requested);
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimals = new Map<number, Intl.NumberFormat>();
  const unit = (name: string, digits: number) =>
    new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: name,
      unitDisplay: 'short',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const millis = unit('millisecond', 0);
  const secondsOne = unit('second', 1);
  const secondsWhole = unit('second', 0);
  const minutes = unit('minute', 0);
  const hours = unit('hour', 0);
  const units = new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: options.timeZone });
  return {
    locale,
    count: (n) => whole.format(n),
    decimal(n, digits = 1) {
      let format = decimals.get(digits);
      if (!format) {
        format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
        decimals.set(digits, format);
      }
      return format.format(n);
    },
    percent: (ratio) => percent.format(ratio),
    ms: (ms) => millis.format(Math.round(ms)),
    seconds: (ms) => secondsOne.format(ms / 1000),
    duration(ms) {
      if (ms < 1000) return millis.format(Math.round(ms));
      if (ms < 60_000) return secondsOne.format(ms / 1000);
      const total = Math.round(ms / 1000);
      const parts = [
        total >= 3600 ? hours.format(Math.floor(total / 3600)) : '',
        minutes.format(Math.floor((total % 3600) / 60)),
        total % 60 > 0 ? secondsWhole.format(total % 60) : '',
      ];
      return units.format(parts.filter(Boolean));
    },
    dateTime: (epochMs) => date.format(epochMs),
  };
}
