/**
 * The GUI and its browser run inside node 1, as an admin at a cluster node would run them:
 * the rows come up over the cluster's network, a job started from advanced execution in the
 * shared directory moves with a double-click in the migrator, and a job left in node 1's own
 * /tmp says why it cannot move.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';
import { downCluster, upCluster, type TestCluster } from '../cluster/testCluster.js';
import { launchAppInNode, type AppInNode } from '../support/appInNode.js';
import { lamp } from '../support/mainWindow.js';
import { copies, counterJs, on, tool } from '../support/jobs.js';

const test = base.extend<{ app: AppInNode }, { cluster: TestCluster }>({
  cluster: [
    async ({}, use) => {
      const cluster = await upCluster({ nodes: 3, purpose: 'tests' });
      try {
        await use(cluster);
      } finally {
        await downCluster(cluster);
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  app: async ({ cluster }, use) => {
    const app = await launchAppInNode(cluster, 1, ['--profile', cluster.profilePath]);
    try {
      await use(app);
    } finally {
      await app.stop();
    }
  },
});
test.describe.configure({ timeout: 240_000 });

test('run inside node 1, the GUI shows every node up and moves a job with the migrator', async ({ app, cluster }) => {
  for (const n of cluster.nodes) await expect(lamp(app.page, n.id, 'up')).toBeVisible({ timeout: 60_000 });
  // The server runs in node 1: its process is there, not on the machine's own network.
  expect(await on(cluster, 1, 'pgrep -f headless.cjs | wc -l')).not.toBe('0\n');
  for (const n of cluster.nodes) await on(cluster, n.id, `${tool(cluster, 'mosctl')} stay`);

  const dir = `${cluster.dir}/shared/gui-in-node-${Date.now()}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/job.js`, counterJs());
  const exec = await app.openRoute('exec?node=1');
  await exec.getByLabel('Program').fill(process.execPath);
  await exec.getByLabel('Arguments').fill('job.js');
  await exec.getByLabel('Working directory').fill(dir);
  await exec.getByRole('button', { name: 'Execute' }).click();
  const result = exec.getByRole('status', { name: 'Result' });
  await expect(result).toHaveText(/job 1\.\d+ started on node 1, PID \d+/, { timeout: 30_000 });
  const [, key, pid] = /job (1\.\d+) started on node 1, PID (\d+)/.exec((await result.textContent()) ?? '')!;

  const migrator = await app.openRoute(`migrator/1/${key}`);
  await expect(migrator.getByLabel('Why it cannot move')).toHaveText('yes', { timeout: 30_000 });
  await migrator.getByRole('button', { name: 'Migrate to node 3' }).dblclick();
  const counter = { dir, stdout: '', pid: Number(pid), key: key!, count: () => 0, host: () => '' };
  await expect.poll(async () => copies(cluster, counter), { timeout: 60_000 }).toEqual({ 1: 0, 2: 0, 3: 1 });
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${pid} kill`);
});

test("a job in node 1's own /tmp cannot move, and the migrator says why", async ({ app, cluster }) => {
  for (const n of cluster.nodes) await expect(lamp(app.page, n.id, 'up')).toBeVisible({ timeout: 60_000 });
  // Copied inside node 1: its /tmp is its own, no other node sees the file.
  const src = `${cluster.dir}/shared/local-job-src.js`;
  writeFileSync(src, counterJs());
  await on(cluster, 1, `mkdir -p /tmp/local-job && cp ${src} /tmp/local-job/job.js`);
  const out = await on(cluster, 1, `cd /tmp/local-job && ${tool(cluster, 'mosrun')} ${process.execPath} job.js`);
  const [, key, pid] = /job (1\.\d+) started, pid (\d+)/.exec(out)!;
  const migrator = await app.openRoute(`migrator/1/${key}`);
  await expect(migrator.getByLabel('Why it cannot move')).toContainText('/tmp', { timeout: 30_000 });
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${pid} kill`);
});
