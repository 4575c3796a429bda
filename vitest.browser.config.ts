import { defineConfig } from 'vitest/config';

// Browser tests drive the real built app in Chromium, one file at a time
// (one browser, one server, one database copy per file). Vitest 4 replaced
// poolOptions.forks.singleFork with maxWorkers: 1.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
