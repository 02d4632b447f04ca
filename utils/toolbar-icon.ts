/** The toolbar icon of a tab: the plain icon when idle, a dot in the corner while checking or when problems were found. */
export type IconState = 'idle' | 'running' | 'problems';

/** The dot drawn on the icon for each state but idle (see modules/state-icons.ts, which renders them at build time). */
export const STATE_MARKS = { running: '#f9a825', problems: '#c62828' } as const;

/** Toolbars draw the action at 16 and 32 px (and twice that on dense screens, which take the 32). */
export const STATE_ICON_SIZES = [16, 32] as const;

export function stateIconPath(state: keyof typeof STATE_MARKS, size: number): string {
  return `icons/${state}-${size}.png`;
}

/** Which icon a run shows: problems win once found (the user can look while the rest is checked), then running. */
export function iconState(run: { running: boolean; problems: number } | null): IconState {
  if (!run) return 'idle';
  if (run.problems > 0) return 'problems';
  return run.running ? 'running' : 'idle';
}

/** The `path` for `action.setIcon`: the manifest's own icons when idle, the state's icons otherwise. */
export function iconPaths(state: IconState): Record<number, string> {
  if (state === 'idle') return { 16: 'icons/16.png', 32: 'icons/32.png' };
  return Object.fromEntries(STATE_ICON_SIZES.map((size) => [size, stateIconPath(state, size)]));
}
