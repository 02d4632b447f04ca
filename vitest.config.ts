import { defineConfig } from 'vitest/config';

// Unit and integration tests: pure utils/ against real local HTTP servers; no browser.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
