/**
 * Where a job runs, as the windows say it on the 4-node test cluster: the process history
 * keeps a job that migrated, with the node it runs on (0 = here, N = on node N), and the
 * migrator of a job whose node went off the network says where it is, that the node cannot
 * be reached, and what the admin can do.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../support/fixtures.js';
import { manualMigrationsOnly, on, startCounter, stillCounting, tool, tryOn } from '../support/jobs.js';
import { cutLink, restoreLink } from '../cluster/testCluster.js';
import { routes } from '../../shared/windows.js';
import { parseJobKey } from '../../shared/domain/process.js';

// The collector choice is persisted per profile: a fresh config dir keeps it at node 1.
process.env.MOSIXVIEW_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'mvcfg-'));

test.describe.configure({ timeout: 240_000 });

manualMigrationsOnly(test);

test('the process history keeps a job that runs on node 3, under its PID, with Where 3', async ({ app, cluster }) => {
  const bin = tool(cluster, 'mosixcollector');
  const job = await startCounter(cluster, 1);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`);
  await expect.poll(() => job.host(), { timeout: 15_000 }).toBe('mvnode3');
  await on(cluster, 1, `${bin} -c`);
  await on(cluster, 1, `MOSIXVIEW_COLLECTOR_PROCS_S=2 ${bin} -d`);
  try {
    const history = await app.openRoute(routes.procHistory());
    // A list taken once the collector runs: the newest minute shows it. Node 1's list (the job's home) keeps it under its PID.
    const away = history.getByRole('row', { name: `Process ${job.pid} of node 1, running on node 3`, exact: true });
    await expect.poll(async () => {
      await history.reload();
      return away.count();
    }, { timeout: 30_000, intervals: [2_000] }).toBe(1);
    // Cells: Node, PID, Where, User, Command (every node is shown, so the Node column is there).
    await expect(away.getByRole('cell').nth(0)).toHaveText('1');
    await expect(away.getByRole('cell').nth(2)).toHaveText('3');
    await expect(away.getByRole('cell').nth(4)).toHaveText('node');
    // Processes that run on their node read 0.
    await expect(history.getByRole('row', { name: /^Process \d+ of node 1$/ }).first().getByRole('cell').nth(2)).toHaveText('0');
  } finally {
    await tryOn(cluster, 1, `${bin} -k`);
    await tryOn(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
  }
});

test('a job on a node that went off the network: where it is, that the node cannot be reached, and what to do', async ({ app, cluster }) => {
  const job = await startCounter(cluster, 1);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`);
  await expect.poll(() => job.host(), { timeout: 15_000 }).toBe('mvnode3');
  const m = await app.openRoute(routes.migrator(1, parseJobKey(job.key)!));
  await expect(m.getByLabel('Runs on')).toHaveText('node 3', { timeout: 15_000 });
  await cutLink(cluster, 3);
  try {
    const said = m.getByRole('status', { name: 'Unreachable' });
    await expect(said).toHaveText(
      new RegExp(`^Job ${job.key.replace('.', '\\.')} runs on node 3, which cannot be reached: node 3 \\(.+\\) (is down|is connecting|does not answer).*\\. Wait for node 3 to come back \\(the job goes on there if only the connection was lost\\), or forget the job if node 3 is gone for good\\.$`),
      { timeout: 30_000 },
    );
    await expect(m.getByLabel('Runs on')).toHaveText('node 3 (unreachable)');
    for (const name of ['Kill', 'Home', 'SIGSTOP']) {
      const b = m.getByRole('button', { name, exact: true });
      await expect(b).toBeDisabled();
      await expect(b).toHaveAttribute('title', 'node 3 cannot be reached');
    }
    await expect(m.getByRole('button', { name: 'Forget job', exact: true })).toBeEnabled();
    // Nothing contradicts it: no "not running", no "ended".
    await expect(m.getByRole('status', { name: 'Process ended' })).toHaveCount(0);
  } finally {
    await restoreLink(cluster, 3);
  }
  // Back on the network, it was running all along.
  await expect(m.getByLabel('Runs on')).toHaveText('node 3', { timeout: 60_000 });
  await expect(m.getByRole('status', { name: 'Unreachable' })).toHaveCount(0);
  expect(await stillCounting(job)).toBe(true);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});
