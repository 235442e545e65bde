import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers (sandbox, moto_server); two cores here.
    maxWorkers: 2,
    // One printed fast-check seed per run, fixed in CI: docs/decisions/019-one-seed-per-test-run.md.
    globalSetup: ['src/testing/fast-check-global-setup.ts'],
    setupFiles: ['src/testing/fast-check-setup.ts'],
  },
});
