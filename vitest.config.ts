import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The project's suites, the starters' example unit tests, and trainees' work on their copies.
    include: ['test/**/*.test.ts', 'labs/*/starter/**/*.test.ts', 'work/**/*.test.ts'],
    // Suites start real servers (HTTP, PostgreSQL, the Kafka broker); forks keep them isolated.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
