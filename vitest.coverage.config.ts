import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

// npm run coverage: the unit, integration and route tests with V8 coverage of app/, workflows/ and
// db/. Route tests run the built server bundle (build/index.js); the script builds it with source
// maps and the bundle is measured too, so its coverage is mapped back to app/routes and the rest.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      coverage: {
        provider: 'v8',
        include: ['app/**/*.{ts,tsx}', 'workflows/**/*.ts', 'db/**/*.ts', 'build/index.js'],
        exclude: ['db/seed-data/**'],
        reporter: ['text-summary', 'json-summary', 'html'],
        reportsDirectory: 'coverage',
      },
    },
  }),
);
