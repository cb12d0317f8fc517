import { defineConfig } from 'vitest/config';

// One runner for the whole repository. Projects split by what a test needs:
// `unit` is pure and fast; `integration` starts real processes (lab, probe, Prometheus, Chromium)
// and runs its files one at a time so they never compete for ports or the two CPU cores.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'probe-sidecar/src/**/*.test.ts', '{tests,lab,bench}/**/*.unit.test.ts'],
          environment: 'node',
          // @grafana/* ship ESM that imports CommonJS named exports (moment-timezone): vitest must transform them.
          server: { deps: { inline: [/@grafana\//] } },
          // Component tests (jsdom): browser APIs @grafana/ui touches at import time, and jest-dom matchers.
          setupFiles: ['src/test/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{tests,lab}/**/*.int.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
