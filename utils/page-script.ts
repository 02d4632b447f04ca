/** Where the scripts injected into this frame keep how to end themselves (the extension's isolated world). */
const KEY = '__linkpulsePageScripts';

/**
 * The scripts Linkpulse injects into a page (entrypoints/live.ts, entrypoints/highlight.ts) run in the extension's
 * isolated world, which the page cannot see: a copy injected again ends the one before it here (each injected file has
 * its own copy of this module, so the world's global holds them), without a word on the page's window or document.
 */
export function replacePageScript(name: string, end: () => void): void {
  const world = globalThis as typeof globalThis & { [KEY]?: Map<string, () => void> };
  world[KEY] ??= new Map();
  world[KEY].get(name)?.();
  world[KEY].set(name, end);
}
