/**
 * Migration from the GUI, as an admin does it: double-click a node in the migrator, Home,
 * and a parallel start from advanced execution's host chooser.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { on, runningOn, startCounter, stillCounting, tool, tryOn } from '../support/jobs.js';
import { manualMigrationsOnly } from '../support/jobs.js';

test.describe.configure({ timeout: 240_000 });

manualMigrationsOnly(test);

test('double-click node 3 in the migrator: the job counts on in node 3; Home brings it back', async ({ app, cluster }) => {
  const job = await startCounter(cluster, 1);
  const box = await app.openRoute('procs/1');
  const [migrator] = await Promise.all([
    box.context().waitForEvent('page'),
    box.getByRole('row', { name: `Process ${job.pid}` }).dblclick(),
  ]);
  await migrator.waitForLoadState();
  await expect(migrator).toHaveURL(new RegExp(`#/migrator/1/${job.pid}$`));
  const before = job.count();
  await migrator.getByRole('button', { name: 'Migrate to node 3' }).dblclick();
  await expect.poll(() => job.host(), { timeout: 30_000 }).toBe('mvnode3');
  expect(job.count()).toBeGreaterThanOrEqual(before);
  expect(await stillCounting(job)).toBe(true);
  expect(await runningOn(cluster, job)).toBe(3);
  // Gone from node 1's own process list; its home still shows it, running on node 3.
  // The frozen source copy dies right after node 3 confirms it runs the job.
  const here = `for p in /proc/[0-9]*; do [ "$(readlink $p/cwd)" = "${job.dir}" ] && echo $p; done | wc -l`;
  await expect.poll(async () => Number((await on(cluster, 1, here)).trim()), { timeout: 10_000 }).toBe(0);
  await expect(migrator.getByText(/migrations?:?\s*1|1 migration/i).first()).toBeVisible({ timeout: 15_000 });

  await migrator.getByRole('button', { name: 'Home' }).click();
  await expect.poll(() => job.host(), { timeout: 30_000 }).toBe('mvnode1');
  expect(await stillCounting(job)).toBe(true);
  expect(await runningOn(cluster, job)).toBe(1);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});

test('a parallel run from the host chooser starts one copy on each chosen node', async ({ app, cluster }) => {
  const dir = `${cluster.dir}/par-${Date.now()}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/mark.sh`, '#!/bin/sh\nhostname > "$1/$(hostname)"; exec sleep 300\n', { mode: 0o755 });
  const exec = await app.openRoute('exec?node=1');
  await exec.getByLabel('Program').fill(`${dir}/mark.sh`);
  await exec.getByLabel('Arguments').fill(dir);
  await exec.getByLabel('Working directory').fill(dir);
  await exec.getByRole('radio', { name: 'parallel' }).check();
  await exec.getByLabel('First node').fill('2');
  await exec.getByLabel('Last node').fill('4');
  await exec.getByRole('button', { name: 'Execute' }).click();
  await expect(exec.getByRole('status', { name: 'Result' })).toBeVisible({ timeout: 30_000 });
  for (const n of [2, 3, 4]) {
    await expect.poll(async () => (await tryOn(cluster, n, `cat ${dir}/mvnode${n}`)).stdout.trim(), { timeout: 30_000 }).toBe(`mvnode${n}`);
    expect(Number((await on(cluster, n, `pgrep -f '${dir}/mark.sh' | wc -l`)).trim())).toBeGreaterThanOrEqual(1);
  }
  expect((await tryOn(cluster, 1, `cat ${dir}/mvnode1`)).code).not.toBe(0);
  for (const n of [2, 3, 4]) await tryOn(cluster, n, `pkill -f '${dir}/mark.sh'; pkill -f 'sleep 300'`);
});
