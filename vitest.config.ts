import { defineConfig } from 'vitest/config';

// One database per test file (a fresh PGlite, or a fresh database on TEST_DATABASE_URL's server),
// so files run in parallel on the two cores without seeing each other's rows.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
