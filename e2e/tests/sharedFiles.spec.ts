/**
 * What is shared between nodes is found out, not assumed: every node of the test cluster has
 * its own /tmp and shares /root and the run's directory (e2e/cluster/files.ts). Advanced
 * execution offers the shared home, says before Execute whether the job could move and why
 * not; a job started in node 1's /tmp is reported unable to move (its files stay behind),
 * one in the shared directory moves.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { copies, counterJs, manualMigrationsOnly, on, tool } from '../support/jobs.js';
import { routes } from '../../shared/windows.js';
import { parseJobKey } from '../../shared/domain/process.js';

test.describe.configure({ timeout: 240_000 });

manualMigrationsOnly(test);

test('a job in node 1\'s own /tmp is said unable to move before and after Execute; one in the shared directory moves', async ({ app, cluster }) => {
  const stamp = `${process.pid}-${Date.now()}`;
  const local = `/tmp/local-${stamp}`;
  await on(cluster, 1, `mkdir -p ${local}`);
  const shared = `${cluster.dir}/shared/shared-${stamp}`;
  mkdirSync(shared, { recursive: true });
  writeFileSync(`${shared}/job.js`, counterJs());
  await on(cluster, 1, `cp ${shared}/job.js ${local}/job.js`);

  const exec = await app.openRoute(routes.exec(1));
  // The SSH user's home (/root) is the shared one here: offered as the working directory.
  await expect(exec.getByLabel('Working directory')).toHaveValue('/root', { timeout: 30_000 });
  await exec.getByLabel('Program').fill(process.execPath);
  await exec.getByLabel('Arguments').fill('job.js');
  const answer = exec.getByRole('status', { name: 'Can it migrate?' });
  await expect(answer).toHaveText('Can it migrate? Yes: nodes 2, 3, 4 see its working directory and program', { timeout: 30_000 });

  await exec.getByLabel('Working directory').fill(local);
  await expect(answer).toContainText(
    `Can it migrate? No: its working directory ${local} is not shared with another node: a marker file written in ${local} here is not seen there (nodes 2, 3, 4)`,
    { timeout: 30_000 },
  );
  await exec.getByRole('button', { name: 'Execute' }).click();
  const result = exec.getByRole('status', { name: 'Result' });
  await expect(result).toHaveText(/job 1\.\d+ started on node 1, PID \d+/, { timeout: 30_000 });
  const [, localKey, localPid] = /job (1\.\d+) started on node 1, PID (\d+)/.exec((await result.textContent()) ?? '')!;
  const migrator = await app.openRoute(routes.migrator(1, parseJobKey(localKey!)!));
  // Not from a list of local paths (none names /tmp now): node 1 looked, and nodes 2 to 4 did not see it.
  await expect(migrator.getByLabel('Why it cannot move')).toContainText(`a marker file written in ${local} here is not seen there`, { timeout: 30_000 });
  const refused = await on(cluster, 1, `${tool(cluster, 'migrate')} ${localPid} 2 2>&1 || true`);
  expect(refused).toContain(`a marker file written in ${local} here is not seen there`);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${localPid} kill`);

  await exec.getByLabel('Working directory').fill(shared);
  await expect(answer).toHaveText('Can it migrate? Yes: nodes 2, 3, 4 see its working directory and program', { timeout: 30_000 });
  await exec.getByRole('button', { name: 'Execute' }).click();
  await expect(result).toHaveText(/job 1\.\d+ started on node 1, PID \d+/, { timeout: 30_000 });
  const [, key, pid] = /job (1\.\d+) started on node 1, PID (\d+)/.exec((await result.textContent()) ?? '')!;
  const moving = await app.openRoute(routes.migrator(1, parseJobKey(key!)!));
  await expect(moving.getByLabel('Why it cannot move')).toHaveText('yes', { timeout: 30_000 });
  await moving.getByRole('button', { name: 'Migrate to node 2' }).dblclick();
  const counter = { dir: shared, stdout: '', pid: Number(pid), key: key!, count: () => 0, host: () => '' };
  await expect.poll(async () => copies(cluster, counter), { timeout: 60_000 }).toEqual({ 1: 0, 2: 1, 3: 0, 4: 0 });
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${pid} kill`);
});
