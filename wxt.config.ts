import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

// See the README's "Permissions" section for why each permission is needed.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: a reader sees where each name comes from, and biome can check the boundaries.
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'Linkpulse',
    description: 'Finds broken links on the page you are looking at.',
    permissions: ['storage', 'scripting', 'webRequest', 'alarms'],
    host_permissions: ['<all_urls>'],
    action: { default_title: 'Check the links on this page' },
    // Stated for Firefox too: its MV3 default adds upgrade-insecure-requests, which turns every http:// check into https.
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    },
    browser_specific_settings:
      browser === 'firefox'
        ? {
            gecko: {
              id: 'linkpulse@linkpulse.dev',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          }
        : undefined,
  }),
});
