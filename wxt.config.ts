import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'wxt';

/**
 * Takes the one `innerHTML` assignment out of Preact (its `dangerouslySetInnerHTML` support, which Linkpulse never uses:
 * Biome's noDangerouslySetInnerHtml rule holds that), so `web-ext lint` on the Firefox build is clean. The prop now
 * throws instead; a Preact release that moves the line fails the build here rather than slipping through.
 */
function withoutRawHtml(): Plugin {
  const assignment = /\((\w+)\.innerHTML=(\w+)\.__html\)/g;
  return {
    name: 'linkpulse-without-raw-html',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.mjs$/.test(id.split('?')[0] ?? '')) return null;
      const found = code.match(assignment)?.length ?? 0;
      if (found !== 1) throw new Error(`preact.mjs: expected one innerHTML assignment, found ${found}`);
      return code.replace(assignment, '(()=>{throw new Error("Linkpulse renders no raw HTML")})()');
    },
  };
}

// See the README's "Permissions" section for why each permission is needed.
export default defineConfig({
  // auto-icons renders assets/icon.svg to icons/{16,32,48,128}.png at build time and lists them in the manifest.
  // @wxt-dev/i18n turns locales/<lang>.yml into _locales/<lang>/messages.json and types the keys of `i18n.t`.
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/auto-icons', '@wxt-dev/i18n/module'],
  autoIcons: { baseIconPath: 'assets/icon.svg', developmentIndicator: false, sizes: [128, 48, 32, 16] },
  // Explicit imports everywhere: a reader sees where each name comes from, and biome can check the boundaries.
  imports: false,
  // `NO_MINIFY=1 npm run bench -- --profile`: a build whose CPU profiles name each function as the source does.
  vite: () => ({
    plugins: [preact(), withoutRawHtml()],
    build: { minify: process.env.NO_MINIFY ? false : undefined },
  }),
  manifest: ({ browser }) => ({
    // Every text the browser shows for Linkpulse comes from locales/ (see the README's "Languages").
    default_locale: 'en',
    name: '__MSG_manifest_name__',
    description: '__MSG_manifest_description__',
    // Firefox only: `dns` resolves a link's name before any request (the guard by address); Chromium has no such API.
    permissions: [
      'storage',
      'scripting',
      'webRequest',
      'alarms',
      'downloads',
      // "Check this link" and "Check links in selection"; Firefox accepts this name too (its `menus` API, as
      // `browser.contextMenus`: the Firefox-only extras `menus` would add are not used).
      'contextMenus',
      // Session rules that keep a verification tab out of the user's network (they block, and add a policy that lets
      // its pages start no worker; within the host access above: no install warning of its own, unlike
      // `declarativeNetRequest`).
      'declarativeNetRequestWithHostAccess',
      ...(browser === 'firefox' ? ['dns'] : []),
    ],
    host_permissions: ['<all_urls>'],
    // The toolbar tooltip is the popup's <title>, "Linkpulse" (WXT takes it from there): a name, the same in every language.
    action: {
      default_icon: { 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png', 128: 'icons/128.png' },
    },
    // `_execute_action` opens the popup, which starts the check: the keyboard's way to click the icon.
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+L' }, description: '__MSG_manifest_actionTitle__' },
    },
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
