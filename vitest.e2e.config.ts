import { defineConfig } from 'vitest/config';

// End-to-end: one Chromium, scenarios in sequence (2-core machines), against the built extension.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/e2e-run.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
