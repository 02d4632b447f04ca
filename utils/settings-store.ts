import { storage } from 'wxt/utils/storage';
import { DEFAULT_SETTINGS, type Settings, validateSettings } from './settings';

/**
 * v1 → v2: the global limit gained `auto`, the new default. In v1, 64 was both the default and the most allowed, so a
 * stored 64 meant "as many as allowed": it becomes `auto`. Any other number was a deliberate throttle and stays.
 * Whatever else is stored passes through untouched (validateSettings judges it when read).
 */
export function migrateV1toV2(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return stored;
  const v1 = stored as Record<string, unknown>;
  return v1.globalConcurrency === 64 ? { ...v1, globalConcurrency: 'auto' } : v1;
}

/**
 * The one stored definition of the settings (`storage.sync`, versioned). Defining it starts the migration of what is
 * stored (one read, and a write when the version is older); every read and write waits for that to finish.
 */
export const settingsItem = storage.defineItem<Settings>('sync:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  // A change of shape or meaning bumps the version and adds its step here, with a test that loads the old shape;
  // fields added without such a change need none (validateSettings fills them in).
  migrations: { 2: (v1: unknown) => migrateV1toV2(v1) as Settings },
});

/** Reads the settings; a stored value that no longer validates falls back to defaults rather than breaking a run. */
export async function readSettings(): Promise<Settings> {
  const result = validateSettings(await settingsItem.getValue());
  return result.ok ? result.value : DEFAULT_SETTINGS;
}
