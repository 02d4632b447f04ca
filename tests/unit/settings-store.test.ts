import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, migrateV1toV2, migrateV2toV3 } from '../../utils/settings';
import { readSettings, saveSettings, settingsItem } from '../../utils/settings-store';

describe('stored settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('are the defaults until something is saved', async () => {
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('are kept in storage.sync under a versioned key', async () => {
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, retries: 5 });
    const raw = await fakeBrowser.storage.sync.get(null);
    expect(raw.settings).toMatchObject({ retries: 5 });
    expect(raw.settings$).toEqual({ v: 3 });
    expect(await readSettings()).toMatchObject({ retries: 5 });
  });

  it('keep on saving the fields a newer version synced, which this one does not know', async () => {
    // A newer version adds a field without a storage version (validateSettings fills it in where it is missing); a
    // browser still on this version shares storage.sync with it, and saving here must not take the field away there.
    await fakeBrowser.storage.sync.set({
      settings: { ...DEFAULT_SETTINGS, retries: 4, checkFavicons: true },
      settings$: { v: 2 },
    });
    await saveSettings({ ...DEFAULT_SETTINGS, retries: 1 });
    const stored = (await fakeBrowser.storage.sync.get('settings')).settings;
    expect(stored).toEqual({ ...DEFAULT_SETTINGS, retries: 1, checkFavicons: true });
    expect(await readSettings()).toEqual({ ...DEFAULT_SETTINGS, retries: 1 });
  });

  it('load an older, partial shape with defaults for the fields it lacks', async () => {
    // What a version that knew fewer settings wrote: no cache, no collect switches.
    await fakeBrowser.storage.sync.set({
      settings: { globalConcurrency: 8, perHostConcurrency: 2 },
      settings$: { v: 2 },
    });
    expect(await readSettings()).toEqual({ ...DEFAULT_SETTINGS, globalConcurrency: 8, perHostConcurrency: 2 });
  });

  it('fall back to the default of an invalid field for a run, without erasing what is stored', async () => {
    await fakeBrowser.storage.sync.set({ settings: { perHostConcurrency: 40 }, settings$: { v: 2 } });
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
    expect((await fakeBrowser.storage.sync.get('settings')).settings).toEqual({ perHostConcurrency: 40 });
  });

  it('keep every valid field when another does not validate, that one alone taking its default', async () => {
    // What a newer version with wider limits might have synced: its crawl limit is beyond this version's 5000.
    const synced = {
      ...DEFAULT_SETTINGS,
      retries: 4,
      sendCookies: true,
      excludePatterns: ['*.pdf'],
      crawlMaxPages: 9000,
    };
    await fakeBrowser.storage.sync.set({ settings: synced, settings$: { v: 2 } });
    expect(await readSettings()).toEqual({
      ...DEFAULT_SETTINGS,
      retries: 4,
      sendCookies: true,
      excludePatterns: ['*.pdf'],
      crawlMaxPages: 500,
    });
    expect((await fakeBrowser.storage.sync.get('settings')).settings).toEqual(synced);
  });

  it('fall back to defaults when what is stored is not settings at all', async () => {
    await fakeBrowser.storage.sync.set({ settings: 'lots', settings$: { v: 2 } });
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('migrate v1, where 64 was the default and the most allowed, to the automatic global limit', async () => {
    await fakeBrowser.storage.sync.set({
      settings: { ...DEFAULT_SETTINGS, globalConcurrency: 64, retries: 4 },
      settings$: { v: 1 },
    });
    await settingsItem.migrate();
    expect(await readSettings()).toEqual({ ...DEFAULT_SETTINGS, globalConcurrency: 'auto', retries: 4 });
    expect((await fakeBrowser.storage.sync.get('settings$')).settings$).toEqual({ v: 3 });
  });

  it('keep a v1 throttle below 64 as it was', async () => {
    await fakeBrowser.storage.sync.set({ settings: { globalConcurrency: 10 }, settings$: { v: 1 } });
    await settingsItem.migrate();
    expect(await readSettings()).toEqual({ ...DEFAULT_SETTINGS, globalConcurrency: 10 });
  });

  it('migrate v2, where a timeout per request above 25 s acted as 25 (a link’s whole budget), to 25', async () => {
    await fakeBrowser.storage.sync.set({
      settings: { ...DEFAULT_SETTINGS, requestTimeoutSec: 60, retries: 4 },
      settings$: { v: 2 },
    });
    await settingsItem.migrate();
    expect(await readSettings()).toEqual({ ...DEFAULT_SETTINGS, requestTimeoutSec: 25, retries: 4 });
    expect((await fakeBrowser.storage.sync.get('settings$')).settings$).toEqual({ v: 3 });
  });

  it('keep a v2 timeout of 25 s or less as it was', async () => {
    await fakeBrowser.storage.sync.set({
      settings: { ...DEFAULT_SETTINGS, requestTimeoutSec: 25 },
      settings$: { v: 2 },
    });
    await settingsItem.migrate();
    expect((await readSettings()).requestTimeoutSec).toBe(25);
    await fakeBrowser.storage.sync.set({
      settings: { ...DEFAULT_SETTINGS, requestTimeoutSec: 3 },
      settings$: { v: 2 },
    });
    await settingsItem.migrate();
    expect((await readSettings()).requestTimeoutSec).toBe(3);
  });

  it('pass anything else through the migration for validation to judge', () => {
    expect(migrateV2toV3({ requestTimeoutSec: '60' })).toEqual({ requestTimeoutSec: '60' });
    expect(migrateV2toV3({ requestTimeoutSec: 60.5 })).toEqual({ requestTimeoutSec: 60.5 });
    expect(migrateV1toV2(null)).toBeNull();
    expect(migrateV1toV2([64])).toEqual([64]);
    expect(migrateV1toV2({ globalConcurrency: '64' })).toEqual({ globalConcurrency: '64' });
  });
});
