import { describe, expect, it } from 'vitest';
import { importFailureText, problemText, settingLineLabel, settingValueText } from '../../components/settings-words';
import {
  DEFAULT_SETTINGS,
  type Settings,
  type SettingsErrors,
  type SettingsProblem,
  type Validation,
} from '../../utils/settings';
import {
  DEFAULT_FORM,
  describeSettings,
  exportSettings,
  fromForm,
  importSettings,
  toForm,
} from '../../utils/settings-form';

// Problems are values; the pages word them (here in English, from locales/en.yml): both are checked at once.
const worded = (errors: SettingsErrors) =>
  Object.fromEntries(Object.entries(errors).map(([key, problem]) => [key, problemText(problem as SettingsProblem)]));
const wordedResult = (result: Validation) => (result.ok ? result : { ok: false, errors: worded(result.errors) });

/** describeSettings as the report shows it: each line's label and value in words. */
const describeInWords = (settings: Parameters<typeof describeSettings>[0]) =>
  describeSettings(settings).map(({ key, value }) => ({
    key,
    label: settingLineLabel(key),
    value: settingValueText(value),
  }));

describe('the options form', () => {
  it('round-trips settings through the form unchanged', () => {
    const settings = { ...DEFAULT_SETTINGS, retries: 4, excludePatterns: ['*.pdf', '/^mailto:/i'], sendCookies: true };
    expect(fromForm(toForm(settings))).toEqual({ ok: true, value: settings });
  });

  it('shows each bad field with its own message and saves nothing', () => {
    const form = {
      ...DEFAULT_FORM,
      numbers: { ...DEFAULT_FORM.numbers, perHostConcurrency: '9', requestTimeoutSec: '', retries: '1.5' },
      excludePatterns: '*.pdf\n/[unclosed/',
    };
    const result = fromForm(form);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(worded(result.errors)).toEqual({
      perHostConcurrency: 'Must be from 1 to 6 (got 9).',
      requestTimeoutSec: 'Must be a whole number from 1 to 25.',
      retries: 'Must be a whole number from 0 to 5.',
      excludePatterns: expect.stringMatching(/^Line 2 \(\/\[unclosed\/\): Invalid regular expression/),
    });
  });

  it('holds the global limit as automatic or as a number, and keeps a half-typed number while automatic', () => {
    expect(DEFAULT_FORM.autoGlobal).toBe(true);
    expect(DEFAULT_FORM.numbers.globalConcurrency).toBe('64');
    expect(fromForm(DEFAULT_FORM)).toMatchObject({ ok: true, value: { globalConcurrency: 'auto' } });
    const fixed = { ...DEFAULT_FORM, autoGlobal: false, numbers: { ...DEFAULT_FORM.numbers, globalConcurrency: '8' } };
    expect(fromForm(fixed)).toMatchObject({ ok: true, value: { globalConcurrency: 8 } });
    expect(toForm({ ...DEFAULT_SETTINGS, globalConcurrency: 8 })).toMatchObject({
      autoGlobal: false,
      numbers: { globalConcurrency: '8' },
    });
    const tooMany = { ...fixed, numbers: { ...fixed.numbers, globalConcurrency: '100' } };
    expect(wordedResult(fromForm(tooMany))).toMatchObject({
      ok: false,
      errors: { globalConcurrency: 'Must be from 1 to 64 (got 100).' },
    });
    // On the form the other choice is the switch, not the word a settings file would hold. (A number field that holds
    // no number, or letters, gives an empty value.)
    const blank = { ...fixed, numbers: { ...fixed.numbers, globalConcurrency: '' } };
    expect(wordedResult(fromForm(blank))).toMatchObject({
      ok: false,
      errors: { globalConcurrency: 'Must be a whole number from 1 to 64, or switch on "Automatic".' },
    });
    // Automatic again: the number is not used, so it does not block saving.
    expect(fromForm({ ...tooMany, autoGlobal: true })).toMatchObject({
      ok: true,
      value: { globalConcurrency: 'auto' },
    });
  });

  it('holds the HTTP/2 limit as the per-host one or as a number, the number unused while "same" is on', () => {
    expect(DEFAULT_FORM.sameH2).toBe(true);
    expect(fromForm(DEFAULT_FORM)).toMatchObject({ ok: true, value: { perHostConcurrencyH2: 'same' } });
    const raised = { ...DEFAULT_FORM, sameH2: false, numbers: { ...DEFAULT_FORM.numbers, perHostConcurrencyH2: '16' } };
    expect(fromForm(raised)).toMatchObject({ ok: true, value: { perHostConcurrencyH2: 16, perHostConcurrency: 6 } });
    expect(toForm({ ...DEFAULT_SETTINGS, perHostConcurrencyH2: 16 })).toMatchObject({
      sameH2: false,
      numbers: { perHostConcurrencyH2: '16' },
    });
    const tooMany = { ...raised, numbers: { ...raised.numbers, perHostConcurrencyH2: '33' } };
    expect(wordedResult(fromForm(tooMany))).toMatchObject({
      ok: false,
      errors: { perHostConcurrencyH2: 'Must be from 1 to 32 (got 33).' },
    });
    const blank = { ...raised, numbers: { ...raised.numbers, perHostConcurrencyH2: '' } };
    expect(wordedResult(fromForm(blank))).toMatchObject({
      ok: false,
      errors: { perHostConcurrencyH2: 'Must be a whole number from 1 to 32, or switch on "Same as per host".' },
    });
    expect(fromForm({ ...tooMany, sameH2: true })).toMatchObject({ ok: true, value: { perHostConcurrencyH2: 'same' } });
  });

  it('ignores blank lines and surrounding spaces in exclude patterns', () => {
    const result = fromForm({ ...DEFAULT_FORM, excludePatterns: '  *.zip  \n\n/x/\n' });
    expect(result).toMatchObject({ ok: true, value: { excludePatterns: ['*.zip', '/x/'] } });
  });
});

describe('the line a bad exclude pattern is on', () => {
  it('counts the blank lines above it, as the text box shows them', () => {
    const result = fromForm({ ...DEFAULT_FORM, excludePatterns: '*.pdf\n\n   \n/[unclosed/' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.excludePatterns).toMatchObject({ line: 4, pattern: '/[unclosed/' });
  });

  it('is its place in an imported list, empty entries counted', () => {
    const result = importSettings(JSON.stringify({ excludePatterns: ['', '*.pdf', '/(/'] }));
    expect(result.ok).toBe(false);
    if (!result.ok && 'errors' in result) expect(result.errors.excludePatterns).toMatchObject({ line: 3 });
  });
});

describe('settings files', () => {
  it('imports what it exports', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      globalConcurrency: 12,
      collect: { ...DEFAULT_SETTINGS.collect, images: true },
    };
    expect(importSettings(exportSettings(settings))).toEqual({ ok: true, value: settings });
  });

  it('carries the HTTP/2 limit, "same" or a number, and names a bad one with both choices', () => {
    for (const perHostConcurrencyH2 of ['same', 20] as const) {
      const settings = { ...DEFAULT_SETTINGS, perHostConcurrencyH2 };
      expect(importSettings(exportSettings(settings))).toEqual({ ok: true, value: settings });
    }
    const invalid = importSettings(JSON.stringify({ perHostConcurrencyH2: 'lots' }));
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(importFailureText(invalid)).toBe(
        'Not imported — perHostConcurrencyH2: Must be a whole number from 1 to 32, or "same".',
      );
    }
  });

  it('are version 3 (the global limit has "auto"; the timeout per request is at most 25 s), and carry a fixed 64 as 64', () => {
    const fixed = { ...DEFAULT_SETTINGS, globalConcurrency: 64 };
    const text = exportSettings(fixed);
    expect(JSON.parse(text)).toMatchObject({ format: 'linkpulse-settings', version: 3 });
    expect(importSettings(text)).toEqual({ ok: true, value: fixed });
  });

  it('import a version 1 file holding 64, the default then, as the automatic global limit', () => {
    // The settings of the first version, as it exported them: 64 its default, fields added since absent.
    const v1 = {
      globalConcurrency: 64,
      perHostConcurrency: 6,
      requestTimeoutSec: 10,
      retries: 4,
      retryAfterCapSec: 30,
      collect: { images: false, scripts: false, stylesheets: false, media: false, iframes: false },
      excludePatterns: [],
      sameHostOnly: false,
      privateNetworkGuard: true,
      sendCookies: false,
      cacheMinutes: 10,
      redirectsAreProblems: false,
    };
    const file = JSON.stringify({ format: 'linkpulse-settings', version: 1, settings: v1 }, null, 2);
    expect(importSettings(file)).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, globalConcurrency: 'auto', retries: 4 },
    });
  });

  it('import a version 1 file holding another number as that fixed throttle', () => {
    const file = JSON.stringify({ format: 'linkpulse-settings', version: 1, settings: { globalConcurrency: 10 } });
    expect(importSettings(file)).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, globalConcurrency: 10 } });
  });

  it('import a file of version 1 or 2 whose timeout per request is over 25 s as 25 s; a version 3 one is refused', () => {
    for (const version of [1, 2]) {
      const file = JSON.stringify({ format: 'linkpulse-settings', version, settings: { requestTimeoutSec: 60 } });
      expect(importSettings(file), `version ${version}`).toEqual({
        ok: true,
        value: { ...DEFAULT_SETTINGS, requestTimeoutSec: 25 },
      });
    }
    const v3 = JSON.stringify({ format: 'linkpulse-settings', version: 3, settings: { requestTimeoutSec: 60 } });
    expect(importSettings(v3)).toMatchObject({
      ok: false,
      errors: { requestTimeoutSec: { kind: 'out-of-range', max: 25, got: 60 } },
    });
  });

  it('accepts a bare settings object, missing fields taking their defaults', () => {
    expect(importSettings('{"retries": 0}')).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, retries: 0 } });
  });

  it('names the problem of a file that is not JSON or not valid settings', () => {
    const notJson = importSettings('{ nope');
    expect(notJson.ok).toBe(false);
    if (!notJson.ok) expect(importFailureText(notJson)).toMatch(/^This file is not JSON: /);
    const invalid = importSettings(JSON.stringify({ perHostConcurrency: 50, sendCookies: 'yes' }));
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) {
      expect(importFailureText(invalid)).toBe(
        'Not imported — perHostConcurrency: Must be from 1 to 6 (got 50).; sendCookies: Must be true or false.',
      );
    }
  });
});

describe('the settings a run used, as the report shows them', () => {
  it('labels every setting as the options page does, with its unit', () => {
    const lines = describeInWords({ ...DEFAULT_SETTINGS, perHostConcurrency: 2 });
    expect(lines.map((l) => l.key)).toEqual([
      'globalConcurrency',
      'perHostConcurrency',
      'perHostConcurrencyH2',
      'requestTimeoutSec',
      'retries',
      'retryAfterCapSec',
      'cacheMinutes',
      'crawlMaxDepth',
      'crawlMaxPages',
      'verifyTabs',
      'verifyTimeoutSec',
      'collect',
      'excludePatterns',
      'sameHostOnly',
      'privateNetworkGuard',
      'sendCookies',
      'redirectsAreProblems',
      'detectSoft404',
      'crawlUseSitemap',
      'crawlRespectRobots',
      'autoVerify',
    ]);
    expect(lines.find((l) => l.key === 'crawlMaxDepth')?.value).toBe('3 clicks');
    expect(lines.find((l) => l.key === 'perHostConcurrency')).toEqual({
      key: 'perHostConcurrency',
      label: 'Requests at once, per host',
      value: '2',
    });
    expect(lines.find((l) => l.key === 'globalConcurrency')?.value).toBe('automatic (at most 128)');
    expect(describeInWords({ ...DEFAULT_SETTINGS, globalConcurrency: 8 })[0]?.value).toBe('8');
    expect(lines.find((l) => l.key === 'perHostConcurrencyH2')).toEqual({
      key: 'perHostConcurrencyH2',
      label: 'Requests at once, per HTTP/2 or HTTP/3 host',
      value: 'same as per host (2)',
    });
    expect(describeInWords({ ...DEFAULT_SETTINGS, perHostConcurrencyH2: 12 })[2]?.value).toBe('12');
    expect(lines.find((l) => l.key === 'requestTimeoutSec')?.value).toBe('10 s');
    expect(lines.find((l) => l.key === 'collect')?.value).toBe('links only');
    expect(lines.find((l) => l.key === 'excludePatterns')?.value).toBe('none');
    expect(lines.find((l) => l.key === 'privateNetworkGuard')?.value).toBe('on');
    expect(lines.find((l) => l.key === 'sendCookies')?.value).toBe('off');
    expect(lines.find((l) => l.key === 'detectSoft404')).toEqual({
      key: 'detectSoft404',
      label: 'Find soft 404s',
      value: 'on',
    });
  });

  it('says a setting was not recorded when a kept check is older than it, rather than "undefined"', () => {
    // A check kept before the HTTP/2 limit and the soft 404 switch existed: its record lacks both.
    const { perHostConcurrencyH2: _h2, detectSoft404: _soft404, ...recorded } = DEFAULT_SETTINGS;
    const lines = describeInWords(recorded as Settings);
    expect(lines.find((l) => l.key === 'perHostConcurrencyH2')?.value).toBe('not recorded (older check)');
    expect(lines.find((l) => l.key === 'detectSoft404')?.value).toBe('not recorded (older check)');
    expect(lines.find((l) => l.key === 'perHostConcurrency')?.value).toBe('6');
    expect(lines.map((l) => l.value)).not.toContain('undefined');
  });

  it('names the extra kinds collected and lists exclude patterns one per line', () => {
    const lines = describeInWords({
      ...DEFAULT_SETTINGS,
      collect: { ...DEFAULT_SETTINGS.collect, images: true, iframes: true },
      excludePatterns: ['*.pdf', '/a, b/i'],
    });
    expect(lines.find((l) => l.key === 'collect')?.value).toBe('Images (img, picture source), Frames (iframe)');
    expect(lines.find((l) => l.key === 'excludePatterns')?.value).toBe('*.pdf\n/a, b/i');
  });
});
