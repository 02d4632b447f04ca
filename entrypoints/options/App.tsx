import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { downloadText } from '@/components/download';
import { ignoreProblemText } from '@/components/ignore-words';
import { interleave, t } from '@/components/l10n';
import {
  collectLabel,
  importFailureText,
  problemsText,
  problemText,
  settingHelp,
  settingLabel,
  unitText,
} from '@/components/settings-words';
import type { IgnoredLink, IgnoreProblem } from '@/utils/history/ignore';
import {
  AUTO_GLOBAL_CONCURRENCY,
  DEFAULT_SETTINGS,
  LIMITS,
  type Settings,
  type SettingsProblem,
  validateSettings,
} from '@/utils/settings';
import {
  COLLECT_FIELDS,
  DEFAULT_FORM,
  exportSettings,
  formFromStored,
  fromForm,
  importIgnoredLinks,
  importSettings,
  NUMERIC_FIELDS,
  type SettingsForm,
  SWITCH_FIELDS,
  toForm,
} from '@/utils/settings-form';

interface Props {
  /** What storage holds now: possibly from an older version, possibly invalid. */
  stored: unknown;
  save: (settings: Settings) => Promise<void>;
  /** The ignored links, which travel in the settings file (history). */
  ignored?: {
    current(): Promise<IgnoredLink[]>;
    merge(links: IgnoredLink[]): Promise<IgnoreProblem | null>;
    /** Puts back a list as it was (an import undone). */
    replace(links: IgnoredLink[]): Promise<IgnoreProblem | null>;
  };
  /** Below the settings: the ignored links by site and the kept history (entrypoints/options/HistorySettings.tsx). */
  children?: ComponentChildren;
}

type Status = { kind: 'saved' | 'error' | 'info'; text: string } | null;

function initialForm(stored: unknown): { form: SettingsForm; problem: string | null } {
  const result = validateSettings(stored);
  if (result.ok) return { form: toForm(result.value), problem: null };
  // Show what is stored, as far as it reads, rather than silently replacing it with defaults.
  return {
    form: formFromStored(stored),
    problem: t('options.storedProblems', { problems: problemsText(result.errors) }),
  };
}

export function App({ stored, save, ignored, children }: Props) {
  const initial = useMemo(() => initialForm(stored), [stored]);
  const [form, setForm] = useState<SettingsForm>(initial.form);
  const [status, setStatus] = useState<Status>(initial.problem ? { kind: 'error', text: initial.problem } : null);
  const [confirmingReset, setConfirmingReset] = useState(false);
  // Validated as typed: every keystroke shows the exact problem next to its field.
  const validation = useMemo(() => fromForm(form), [form]);
  const errors = validation.ok ? {} : validation.errors;

  const edit = (change: (draft: SettingsForm) => SettingsForm) => {
    setForm(change);
    setStatus(null);
  };
  const persist = async (settings: Settings, text: string) => {
    try {
      await save(settings);
      setStatus({ kind: 'saved', text });
    } catch (error) {
      setStatus({ kind: 'error', text: t('options.notSaved', { problem: (error as Error).message }) });
    }
  };
  const onSave = (event: Event) => {
    event.preventDefault();
    if (!validation.ok) {
      setStatus({ kind: 'error', text: t('options.fixFields') });
      return;
    }
    void persist(validation.value, t('options.saved'));
  };
  const onReset = () => {
    setConfirmingReset(false);
    setForm(DEFAULT_FORM);
    void persist(DEFAULT_SETTINGS, t('options.defaultsRestored'));
  };
  const onImport = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const text = await file.text();
    const result = importSettings(text);
    if (!result.ok) {
      setStatus({ kind: 'error', text: t('options.nothingChanged', { problem: importFailureText(result) }) });
      return;
    }
    const links = importIgnoredLinks(text);
    if (links && !links.ok) {
      setStatus({
        kind: 'error',
        text: t('options.nothingChanged', {
          problem: t('options.import.invalid', { problems: ignoreProblemText(links.problem) }),
        }),
      });
      return;
    }
    // The ignored links first, as they were kept: a settings write the browser refuses puts them back.
    const before = links && ignored ? await ignored.current() : null;
    const refused = links && ignored ? await ignored.merge(links.value) : null;
    if (refused) {
      // A write the browser refused is no fault of the file.
      const problem = ignoreProblemText(refused);
      setStatus({
        kind: 'error',
        text: t('options.nothingChanged', {
          problem: refused.kind === 'not-saved' ? problem : t('options.import.invalid', { problems: problem }),
        }),
      });
      return;
    }
    try {
      await save(result.value);
    } catch (error) {
      if (before && ignored) await ignored.replace(before);
      const problem = t('options.notSaved', { problem: (error as Error).message });
      setStatus({ kind: 'error', text: t('options.nothingChanged', { problem }) });
      return;
    }
    setForm(toForm(result.value));
    setStatus({ kind: 'saved', text: t('options.imported', { file: file.name }) });
  };
  const onExport = () => {
    if (!validation.ok) {
      setStatus({ kind: 'error', text: t('options.fixBeforeExport') });
      return;
    }
    const settings = validation.value;
    void (ignored?.current() ?? Promise.resolve(undefined)).then((links) =>
      downloadText('linkpulse-settings.json', 'application/json', exportSettings(settings, links)),
    );
  };

  const error = (field: string, problem: SettingsProblem | undefined) =>
    problem ? (
      <p class="field-error" id={`error-${field}`} data-testid={`error-${field}`} role="alert">
        {problemText(problem)}
      </p>
    ) : null;

  return (
    <main class="options">
      <h1>{t('options.title')}</h1>
      <p class="privacy-link">
        <a href="/privacy.html" target="_blank" data-testid="privacy" rel="noopener">
          {t('options.privacy')}
        </a>
      </p>
      <form onSubmit={onSave} noValidate>
        <fieldset>
          <legend>{t('options.limits')}</legend>
          {NUMERIC_FIELDS.map(({ key, unit }) => (
            <div class="field" key={key}>
              <label for={`opt-${key}`}>
                {settingLabel(key)}
                {unit ? ` (${unitText(unit)})` : ''}
              </label>
              {/* Automatic first: the number below is a throttle that applies only when this is off. */}
              {key === 'globalConcurrency' ? (
                <label class="switch">
                  <input
                    type="checkbox"
                    data-testid="opt-globalConcurrency-auto"
                    checked={form.autoGlobal}
                    onChange={(e) => {
                      const autoGlobal = (e.currentTarget as HTMLInputElement).checked;
                      edit((f) => ({ ...f, autoGlobal }));
                    }}
                  />{' '}
                  {t('settings.autoGlobal', { max: AUTO_GLOBAL_CONCURRENCY })}
                </label>
              ) : null}
              {key === 'perHostConcurrencyH2' ? (
                <label class="switch">
                  <input
                    type="checkbox"
                    data-testid="opt-perHostConcurrencyH2-same"
                    checked={form.sameH2}
                    onChange={(e) => {
                      const sameH2 = (e.currentTarget as HTMLInputElement).checked;
                      edit((f) => ({ ...f, sameH2 }));
                    }}
                  />{' '}
                  {t('settings.sameH2')}
                </label>
              ) : null}
              <input
                id={`opt-${key}`}
                data-testid={`opt-${key}`}
                type="number"
                inputMode="numeric"
                min={LIMITS[key].min}
                max={LIMITS[key].max}
                step={1}
                disabled={
                  (key === 'globalConcurrency' && form.autoGlobal) || (key === 'perHostConcurrencyH2' && form.sameH2)
                }
                value={form.numbers[key]}
                aria-invalid={errors[key] ? 'true' : 'false'}
                aria-describedby={`help-${key}${errors[key] ? ` error-${key}` : ''}`}
                onInput={(e) => {
                  const value = (e.currentTarget as HTMLInputElement).value;
                  edit((f) => ({ ...f, numbers: { ...f.numbers, [key]: value } }));
                }}
              />
              <p class="help" id={`help-${key}`}>
                {settingHelp(key)} {t('options.range', { min: LIMITS[key].min, max: LIMITS[key].max })}
              </p>
              {error(key, errors[key])}
            </div>
          ))}
        </fieldset>

        {/* `collect` is one setting of several switches: the group is its control (opt-collect-<kind> each switch). */}
        <fieldset data-testid="opt-collect">
          <legend>{t('options.whatToCheck')}</legend>
          <label class="switch">
            <input type="checkbox" checked disabled /> {t('options.linksAlways')}
          </label>
          {COLLECT_FIELDS.map(({ key }) => (
            <label class="switch" key={key}>
              <input
                type="checkbox"
                data-testid={`opt-collect-${key}`}
                checked={form.collect[key]}
                onChange={(e) => {
                  const checked = (e.currentTarget as HTMLInputElement).checked;
                  edit((f) => ({ ...f, collect: { ...f.collect, [key]: checked } }));
                }}
              />{' '}
              {collectLabel(key)}
            </label>
          ))}
          {error('collect', errors.collect)}
        </fieldset>

        <fieldset>
          <legend>{t('options.rules')}</legend>
          <div class="field">
            <label for="opt-excludePatterns">{t('options.excludeLabel')}</label>
            <textarea
              id="opt-excludePatterns"
              data-testid="opt-excludePatterns"
              rows={4}
              spellcheck={false}
              placeholder={'*.pdf\n/^https:\\/\\/example\\.com\\/private/i'}
              value={form.excludePatterns}
              aria-invalid={errors.excludePatterns ? 'true' : 'false'}
              aria-describedby={`help-excludePatterns${errors.excludePatterns ? ' error-excludePatterns' : ''}`}
              onInput={(e) => {
                const value = (e.currentTarget as HTMLTextAreaElement).value;
                edit((f) => ({ ...f, excludePatterns: value }));
              }}
            />
            <p class="help" id="help-excludePatterns">
              {interleave(t('options.excludeHelp', { star: '{star}', example: '{example}' }), {
                star: <code>*</code>,
                example: <code>/\.pdf$/i</code>,
              })}
            </p>
            {error('excludePatterns', errors.excludePatterns)}
          </div>
          {SWITCH_FIELDS.map(({ key }) => (
            <div class="field" key={key}>
              <label class="switch">
                <input
                  type="checkbox"
                  data-testid={`opt-${key}`}
                  checked={form.switches[key]}
                  aria-describedby={`help-${key}`}
                  onChange={(e) => {
                    const checked = (e.currentTarget as HTMLInputElement).checked;
                    edit((f) => ({ ...f, switches: { ...f.switches, [key]: checked } }));
                  }}
                />{' '}
                {settingLabel(key)}
              </label>
              <p class="help" id={`help-${key}`}>
                {settingHelp(key)}
              </p>
              {error(key, errors[key])}
            </div>
          ))}
        </fieldset>

        <div class="actions">
          <button type="submit" data-testid="save" class="primary">
            {t('options.save')}
          </button>
          {confirmingReset ? (
            <span class="confirm" role="alert">
              {t('options.resetAsk')}{' '}
              <button type="button" data-testid="reset-confirm" onClick={onReset}>
                {t('options.reset')}
              </button>{' '}
              <button type="button" data-testid="reset-cancel" onClick={() => setConfirmingReset(false)}>
                {t('options.keep')}
              </button>
            </span>
          ) : (
            <button type="button" data-testid="reset" onClick={() => setConfirmingReset(true)}>
              {t('options.resetOpen')}
            </button>
          )}
          <button type="button" data-testid="export-settings" onClick={onExport}>
            {t('options.exportSettings')}
          </button>
          <label class="file-button">
            {t('options.importSettings')}
            <input type="file" accept="application/json,.json" data-testid="import-settings" onChange={onImport} />
          </label>
        </div>
        <p
          class={`status ${status?.kind ?? ''}`}
          data-testid="status"
          data-kind={status?.kind ?? ''}
          role="status"
          aria-live="polite"
        >
          {status?.text ?? ''}
        </p>
      </form>
      {children}
    </main>
  );
}
