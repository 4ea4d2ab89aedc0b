/** Test fixtures: one 4-node test cluster per worker, and the app started on its profile. */
import { test as base } from '@playwright/test';
import { downCluster, upCluster, type TestCluster } from '../cluster/testCluster.js';
import { launchApp, type RunningApp } from './app.js';

export const test = base.extend<{ app: RunningApp }, { cluster: TestCluster }>({
  cluster: [
    async ({}, use) => {
      const cluster = await upCluster({ nodes: 4, purpose: 'tests' });
      try {
        await use(cluster);
      } finally {
        await downCluster(cluster);
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  app: async ({ browser, cluster }, use) => {
    const app = await launchApp(browser, ['--profile', cluster.profilePath]);
    try {
      await use(app);
    } finally {
      await app.stop();
    }
  },
});

export { expect } from '@playwright/test';
