import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['shared/**/*.test.ts', 'agent/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'build/**/*.test.ts', 'e2e/bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20000,
    pool: 'forks',
    setupFiles: ['testSetup.test-util.ts'],
  },
});
