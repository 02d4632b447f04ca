import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit and integration tests: pure utils/ against real local HTTP servers; no browser.
export default defineConfig({
  // The project's aliases and an in-memory `browser` (fakeBrowser) for the storage wiring; network tests use real servers.
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    // The browser's i18n (not in the fake browser) from the real locales/ files: components render English text.
    setupFiles: ['tests/support/i18n-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Collection tests put <iframe>/<link> in the DOM; happy-dom must not try to load them.
    environmentOptions: {
      happyDOM: {
        settings: {
          disableIframePageLoading: true,
          disableCSSFileLoading: true,
          disableJavaScriptFileLoading: true,
          handleDisabledFileLoadingAsSuccess: true,
        },
      },
    },
  },
});
