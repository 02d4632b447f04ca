import { storage } from 'wxt/utils/storage';
import { DEFAULT_SETTINGS, type Settings, validateSettings } from './settings';

/**
 * The one stored definition of the settings (`storage.sync`, versioned). Defining an item touches no browser API
 * until it is read or written, so this module stays importable from tests and build-time code.
 */
export const settingsItem = storage.defineItem<Settings>('sync:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
  // v1 is the first stored shape. A change of shape bumps the version and adds `2: (v1) => v2` here, with a test that
  // loads the old shape; fields added without a change of shape need none (validateSettings fills them in).
  migrations: {},
});

/** Reads the settings; a stored value that no longer validates falls back to defaults rather than breaking a run. */
export async function readSettings(): Promise<Settings> {
  const result = validateSettings(await settingsItem.getValue());
  return result.ok ? result.value : DEFAULT_SETTINGS;
}
