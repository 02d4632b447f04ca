import { describe, expect, it } from 'vitest';
import { createLocaleFormat } from '@/utils/locale-format';

// Intl separates with U+00A0 or U+202F in places; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers, times and dates in the user’s language', () => {
  const en = createLocaleFormat('en-US', { timeZone: 'UTC' });
  const de = createLocaleFormat('de-DE', { timeZone: 'UTC' });

  it('groups thousands as each language does', () => {
    expect(en.count(1234567)).toBe('1,234,567');
    expect(de.count(1234567)).toBe('1.234.567');
  });

  it('writes a decimal comma in German', () => {
    expect(en.decimal(12.34)).toBe('12.3');
    expect(de.decimal(12.34)).toBe('12,3');
    expect(de.decimal(0.125, 2)).toBe('0,13');
  });

  it('puts a space before the percent sign in German only', () => {
    expect(plain(en.percent(0.9))).toBe('90%');
    expect(plain(de.percent(0.9))).toBe('90 %');
  });

  it('writes milliseconds and seconds with the language’s unit', () => {
    expect(plain(en.ms(1234))).toBe('1,234 ms');
    expect(plain(de.ms(1234))).toBe('1.234 ms');
    expect(plain(en.seconds(2450))).toBe('2.5 sec');
    expect(plain(de.seconds(2450))).toBe('2,5 Sek.');
  });

  it('says a duration in the unit a person would use', () => {
    expect(plain(en.duration(450))).toBe('450 ms');
    expect(plain(en.duration(12_340))).toBe('12.3 sec');
    expect(plain(de.duration(12_340))).toBe('12,3 Sek.');
    expect(plain(en.duration(65_000))).toBe('1 min 5 sec');
    expect(plain(de.duration(65_000))).toBe('1 Min., 5 Sek.');
    expect(plain(en.duration(120_000))).toBe('2 min');
    expect(plain(en.duration(3_725_000))).toBe('1 hr 2 min 5 sec');
  });

  it('writes a date and time in each language’s order', () => {
    const moment = Date.UTC(2026, 2, 5, 14, 7);
    expect(plain(en.dateTime(moment))).toBe('Mar 5, 2026, 2:07 PM');
    expect(plain(de.dateTime(moment))).toBe('05.03.2026, 14:07');
  });

  it('falls back to English for a tag Intl cannot read, rather than failing the page', () => {
    const odd = createLocaleFormat('not a language!');
    expect(odd.locale).toBe('en');
    expect(odd.count(1000)).toBe('1,000');
  });

  it('keeps a language Intl knows as asked', () => {
    expect(createLocaleFormat('de').locale).toBe('de');
    expect(createLocaleFormat('pt-BR').count(1234.5)).toBe('1.235');
  });
});
