import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB instances and child processes are heavy on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    // The JSON report feeds .ci/run's closing 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
