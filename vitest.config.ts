import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real servers, run by `npm run test:integration` (vitest.integration.config.ts).
    exclude: ['test/integration/**', '**/node_modules/**'],
    // Generous: wire-level collector tests wait out real retry back-offs, and CI machines can be busy.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
