import { storage } from 'wxt/utils/storage';
import {
  DEFAULT_SETTINGS,
  migrateV1toV2,
  migrateV2toV3,
  type Settings,
  settingsKeepingValid,
  withUnknownFields,
} from './settings';

/**
 * The one stored definition of the settings (`storage.sync`, versioned). Defining it starts the migration of what is
 * stored (one read, and a write when the version is older); every read and write waits for that to finish.
 */
export const settingsItem = storage.defineItem<Settings>('sync:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 3,
  // A change of shape or meaning bumps the version and adds its step here, with a test that loads the old shape;
  // fields added without such a change need none (validateSettings fills them in).
  migrations: {
    2: (v1: unknown) => migrateV1toV2(v1) as Settings,
    3: (v2: unknown) => migrateV2toV3(v2) as Settings,
  },
});

/**
 * Reads the settings; a stored field that does not validate takes its default rather than breaking a run, the valid
 * ones are kept, and storage is left as it is (the options page names the problem).
 */
export async function readSettings(): Promise<Settings> {
  return settingsKeepingValid(await settingsItem.getValue());
}

/** Saves the settings the options page validated, keeping what stored fields this version does not know. */
export async function saveSettings(settings: Settings): Promise<void> {
  await settingsItem.setValue(withUnknownFields(await settingsItem.getValue(), settings));
}
