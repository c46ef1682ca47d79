import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // generous: several suites run real child processes and 1M-row files side by side on two
    // cores; a timeout is a safety net here, never a speed assertion (speed lives in bench/)
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // DuckDB instances and child processes are heavy on a 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    // The JSON report feeds .ci/run's closing 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
