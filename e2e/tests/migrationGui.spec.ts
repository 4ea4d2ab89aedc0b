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
  // The job is one row, its command; the migrator follows it by its identity.
  const row = box.getByRole('row', { name: `Job ${job.key}`, exact: true });
  await expect(row.getByRole('cell').last()).toHaveText(`${process.execPath} job.js`, { timeout: 15_000 });
  const [migrator] = await Promise.all([box.context().waitForEvent('page'), row.dblclick()]);
  await migrator.waitForLoadState();
  await expect(migrator).toHaveURL(new RegExp(`#/migrator/1/${job.key.replace('.', '\\.')}$`));
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

  // Its home lists it once, with the node it runs on.
  await expect(row.getByRole('cell').nth(2)).toHaveText('3', { timeout: 15_000 });
  await expect(box.getByRole('row', { name: `Process ${job.pid}`, exact: true })).toHaveCount(0);

  await migrator.getByRole('button', { name: 'Home' }).click();
  await expect.poll(() => job.host(), { timeout: 30_000 }).toBe('mvnode1');
  expect(await stillCounting(job)).toBe(true);
  expect(await runningOn(cluster, job)).toBe(1);
  // Home again on a job at home: information, not a failure.
  await expect(migrator.getByRole('status', { name: 'Last action' })).toHaveText('Sending it home: done', { timeout: 15_000 });
  await migrator.getByRole('button', { name: 'Home' }).click();
  await expect(migrator.getByRole('status', { name: 'Last action' })).toHaveText(`Sending it home: nothing to do, job ${job.key} already runs on node 1`);
  expect(await migrator.getByRole('alert').count()).toBe(0);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});

test('run on node 2 from advanced execution: it says node 2; node 2 shows a guest from node 1, node 1 its job on node 2', async ({ app, cluster }) => {
  const dir = `${cluster.dir}/runon-${Date.now()}`;
  mkdirSync(dir, { recursive: true });
  const exec = await app.openRoute('exec?node=1');
  await exec.getByLabel('Program').fill('/bin/sleep');
  await exec.getByLabel('Arguments').fill('307');
  await exec.getByLabel('Working directory').fill(dir);
  await exec.getByRole('radio', { name: 'run on' }).check();
  const dial = exec.getByRole('slider', { name: 'Target node' });
  await dial.focus();
  await dial.press('Home');
  await dial.press('ArrowRight');
  await expect(exec.getByRole('status', { name: 'Chosen node' })).toHaveText(/2/);
  await exec.getByRole('button', { name: 'Execute' }).click();
  const result = exec.getByRole('status', { name: 'Result' });
  await expect(result).toHaveText(/^job 1\.\d+ started on node 2 \(its home is node 1\)$/, { timeout: 30_000 });
  const key = /job (1\.\d+)/.exec((await result.textContent()) ?? '')![1]!;
  try {
    const two = await app.openRoute('procs/2');
    const guest = two.getByRole('row', { name: `Guest job ${key}`, exact: true });
    await expect(guest).toBeVisible({ timeout: 15_000 });
    await expect(guest.getByRole('cell').nth(2)).toHaveText('1');
    await expect(guest.getByRole('cell').last()).toHaveText('/bin/sleep 307');
    await expect(two.getByRole('table', { name: 'Processes of node 2' }).getByText('/bin/sleep 307')).toHaveCount(0);
    const one = await app.openRoute('procs/1');
    const away = one.getByRole('row', { name: `Job ${key}`, exact: true });
    await expect(away.getByRole('cell').nth(2)).toHaveText('2', { timeout: 15_000 });
  } finally {
    await tryOn(cluster, 2, "pkill -f 'sleep 307'");
  }
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
    expect(Number((await on(cluster, n, `pgrep -f '${dir}/[m]ark.sh' | wc -l`)).trim())).toBeGreaterThanOrEqual(1);
  }
  expect((await tryOn(cluster, 1, `cat ${dir}/mvnode1`)).code).not.toBe(0);
  // Ended by their job IDs at their home, which forwards to where they run (a pkill of the
  // script's path would only hit unshare and the init, which ignores SIGTERM).
  const said = (await exec.getByRole('status', { name: 'Result' }).textContent()) ?? '';
  for (const [, id] of said.matchAll(/job 1\.(\d+) started/g)) await on(cluster, 1, `${tool(cluster, 'migrate')} ${id} kill`);
  for (const n of [2, 3, 4]) await expect.poll(async () => Number((await on(cluster, n, `pgrep -f '${dir}/[m]ark.sh' | wc -l`)).trim()), { timeout: 15_000 }).toBe(0);
});
