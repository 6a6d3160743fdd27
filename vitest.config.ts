import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'properties/**/*.test.ts', 'fixtures/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'properties/**/*.test-d.ts'] },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
