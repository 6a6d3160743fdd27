import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.test.ts', 'fixtures/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'properties/**/*.test-d.ts'] },
    // One test file per core: vitest's default leaves a core of a 2-core machine idle.
    maxWorkers: '100%',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
