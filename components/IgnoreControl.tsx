import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { IgnoredLink } from '@/utils/history/ignore';
import { t } from './l10n';

interface Props {
  /** The link's entry in the site's ignore list, when it has one. */
  ignored: IgnoredLink | undefined;
  onIgnore: (note: string) => void;
  onUnignore: () => void;
}

/**
 * "Ignore" on a row: asks for an optional note in place (no dialog), then the link is skipped on this site in later
 * checks. An ignored link offers "Un-ignore" instead, its note as the tooltip.
 */
export function IgnoreControl({ ignored, onIgnore, onUnignore }: Props) {
  const [asking, setAsking] = useState(false);
  const [note, setNote] = useState('');
  const button = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);
  // The element a keypress was on goes away as the control changes shape: the focus goes on to what takes its place,
  // not to the page's body (from where Tab starts over above thousands of rows).
  const moved = useRef(false);
  const ask = (on: boolean) => {
    moved.current = true;
    setAsking(on);
  };
  useLayoutEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    (asking ? field.current : button.current)?.focus();
  }, [asking]);
  if (ignored) {
    return (
      <button
        ref={button}
        type="button"
        class="link"
        data-testid="unignore"
        title={ignored.note ? t('ignore.ignoredWithNote', { note: ignored.note }) : t('ignore.ignoredOnSite')}
        onClick={onUnignore}
      >
        {t('ignore.unignore')}
      </button>
    );
  }
  if (!asking) {
    return (
      <button
        ref={button}
        type="button"
        class="link"
        data-testid="ignore"
        title={t('ignore.ignoreTitle')}
        onClick={() => ask(true)}
      >
        {t('ignore.ignore')}
      </button>
    );
  }
  return (
    <form
      class="ignore-form"
      onSubmit={(event) => {
        event.preventDefault();
        ask(false);
        onIgnore(note);
      }}
    >
      <input
        ref={field}
        type="text"
        data-testid="ignore-note"
        placeholder={t('ignore.notePlaceholder')}
        aria-label={t('ignore.noteLabel')}
        maxLength={500}
        value={note}
        onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit" data-testid="ignore-confirm">
        {t('ignore.ignore')}
      </button>
      <button type="button" onClick={() => ask(false)}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
