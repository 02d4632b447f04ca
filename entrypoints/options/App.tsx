import { useMemo, useState } from 'preact/hooks';
import { downloadText } from '@/components/download';
import { DEFAULT_SETTINGS, LIMITS, type Settings, validateSettings } from '@/utils/settings';
import {
  AUTO_GLOBAL_LABEL,
  COLLECT_FIELDS,
  DEFAULT_FORM,
  describeImportFailure,
  exportSettings,
  formFromStored,
  fromForm,
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
}

type Status = { kind: 'saved' | 'error' | 'info'; text: string } | null;

function initialForm(stored: unknown): { form: SettingsForm; problem: string | null } {
  const result = validateSettings(stored);
  if (result.ok) return { form: toForm(result.value), problem: null };
  // Show what is stored, as far as it reads, rather than silently replacing it with defaults.
  const problems = Object.entries(result.errors).map(([field, problem]) => `${field}: ${problem}`);
  return {
    form: formFromStored(stored),
    problem: `The stored settings have problems (${problems.join('; ')}); checks use the defaults until they are fixed.`,
  };
}

export function App({ stored, save }: Props) {
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
      setStatus({ kind: 'error', text: `Not saved: ${(error as Error).message}` });
    }
  };
  const onSave = (event: Event) => {
    event.preventDefault();
    if (!validation.ok) {
      setStatus({ kind: 'error', text: 'Not saved: fix the fields marked below. Your saved settings are unchanged.' });
      return;
    }
    void persist(validation.value, 'Saved. Changes apply to the next check.');
  };
  const onReset = () => {
    setConfirmingReset(false);
    setForm(DEFAULT_FORM);
    void persist(DEFAULT_SETTINGS, 'Defaults restored and saved.');
  };
  const onImport = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const result = importSettings(await file.text());
    if (!result.ok) {
      setStatus({ kind: 'error', text: `${describeImportFailure(result)} Nothing was changed.` });
      return;
    }
    setForm(toForm(result.value));
    await persist(result.value, `Imported ${file.name} and saved.`);
  };
  const onExport = () => {
    if (!validation.ok) {
      setStatus({ kind: 'error', text: 'Fix the fields marked below before exporting.' });
      return;
    }
    downloadText('linkpulse-settings.json', 'application/json', exportSettings(validation.value));
  };

  const error = (field: string, message: string | undefined) =>
    message ? (
      <p class="field-error" id={`error-${field}`} data-testid={`error-${field}`} role="alert">
        {message}
      </p>
    ) : null;

  return (
    <main class="options">
      <h1>Linkpulse options</h1>
      <p class="privacy-link">
        <a href="/privacy.html" target="_blank" data-testid="privacy" rel="noopener">
          Privacy: what Linkpulse requests, stores and sends
        </a>
      </p>
      <form onSubmit={onSave} noValidate>
        <fieldset>
          <legend>Limits</legend>
          {NUMERIC_FIELDS.map(({ key, label, unit, help }) => (
            <div class="field" key={key}>
              <label for={`opt-${key}`}>
                {label}
                {unit ? ` (${unit})` : ''}
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
                  {AUTO_GLOBAL_LABEL}
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
                disabled={key === 'globalConcurrency' && form.autoGlobal}
                value={form.numbers[key]}
                aria-invalid={errors[key] ? 'true' : 'false'}
                aria-describedby={`help-${key}${errors[key] ? ` error-${key}` : ''}`}
                onInput={(e) => {
                  const value = (e.currentTarget as HTMLInputElement).value;
                  edit((f) => ({ ...f, numbers: { ...f.numbers, [key]: value } }));
                }}
              />
              <p class="help" id={`help-${key}`}>
                {help} From {LIMITS[key].min} to {LIMITS[key].max}.
              </p>
              {error(key, errors[key])}
            </div>
          ))}
        </fieldset>

        <fieldset>
          <legend>What to check</legend>
          <label class="switch">
            <input type="checkbox" checked disabled /> Links (a, area) — always
          </label>
          {COLLECT_FIELDS.map(({ key, label }) => (
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
              {label}
            </label>
          ))}
          {error('collect', errors.collect)}
        </fieldset>

        <fieldset>
          <legend>Rules</legend>
          <div class="field">
            <label for="opt-excludePatterns">Exclude links matching (one per line)</label>
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
              A glob (<code>*</code> matches anything) or a regular expression between slashes, like{' '}
              <code>/\.pdf$/i</code>. Matching links are skipped.
            </p>
            {error('excludePatterns', errors.excludePatterns)}
          </div>
          {SWITCH_FIELDS.map(({ key, label, help }) => (
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
                {label}
              </label>
              <p class="help" id={`help-${key}`}>
                {help}
              </p>
              {error(key, errors[key])}
            </div>
          ))}
        </fieldset>

        <div class="actions">
          <button type="submit" data-testid="save" class="primary">
            Save
          </button>
          {confirmingReset ? (
            <span class="confirm" role="alert">
              Reset every setting to its default?{' '}
              <button type="button" data-testid="reset-confirm" onClick={onReset}>
                Reset
              </button>{' '}
              <button type="button" data-testid="reset-cancel" onClick={() => setConfirmingReset(false)}>
                Keep my settings
              </button>
            </span>
          ) : (
            <button type="button" data-testid="reset" onClick={() => setConfirmingReset(true)}>
              Reset to defaults…
            </button>
          )}
          <button type="button" data-testid="export-settings" onClick={onExport}>
            Export settings
          </button>
          <label class="file-button">
            Import settings…
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
    </main>
  );
}
