import { defineConfig } from 'vitest/config';

// `npm run test:integration`: the suites under test/integration against real servers
// (a kube-apiserver built and started by test/integration/k8s/start-cluster.sh).
// Kept apart from `npm test` (vitest.config.ts), which stays fast and self-contained.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    globalSetup: ['test/integration/k8s/global-setup.ts'],
    // The first run on a machine builds kube-apiserver (7–15 minutes) in the global setup.
    hookTimeout: 20 * 60_000,
    testTimeout: 120_000,
    pool: 'forks',
    // One cluster, shared: files run one after another.
    fileParallelism: false,
  },
});
