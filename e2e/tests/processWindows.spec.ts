/**
 * The process windows on the 4-node test cluster, driven like an admin does: the process
 * box lists what runs on node 1, advanced execution starts a job there, and the migrator's
 * Kill, SIGSTOP, SIGCONT and Nice change what /proc shows inside the node. Migration itself
 * is tested with the orchestrator (migration specs).
 */
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures.js';
import { allUp } from '../support/mainWindow.js';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';
import { routes } from '../../shared/windows.js';

async function run(cluster: TestCluster, node: number, cmd: string): Promise<string> {
  const r = await sshExec(cluster, node, cmd);
  if (r.code !== 0) throw new Error(`node ${node}: "${cmd}" failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** State letter and nice of a process as /proc/PID/stat inside the node shows them; undefined once gone. */
async function procStat(cluster: TestCluster, node: number, pid: number): Promise<{ state: string; nice: number } | undefined> {
  const r = await sshExec(cluster, node, `cat /proc/${pid}/stat`);
  if (r.code !== 0) return undefined;
  // After "pid (comm) ": field 3 (state) is [0], field 19 (nice) is [16].
  const f = r.stdout.slice(r.stdout.lastIndexOf(')') + 2).trim().split(' ');
  return { state: f[0]!, nice: Number(f[16]) };
}

/** Starts /bin/sleep ARG as a "no migration" job from advanced execution; returns the job's PID and identity. */
async function startSleepJob(page: Page, arg: string): Promise<{ pid: number; key: string }> {
  // The working directory is the SSH user's home once node 1 has found the other nodes share it.
  await expect(page.getByRole('textbox', { name: 'Working directory' })).toHaveValue('/root', { timeout: 30_000 });
  await page.getByRole('textbox', { name: 'Program' }).fill('/bin/sleep');
  await page.getByRole('textbox', { name: 'Arguments' }).fill(arg);
  await page.getByRole('radio', { name: 'no migration' }).check();
  await page.getByRole('button', { name: 'Execute' }).click();
  const result = page.getByRole('status', { name: 'Result' });
  await expect(result).toHaveText(/job 1\.\d+ started on node 1, PID \d+/, { timeout: 20_000 });
  const m = /job (1\.\d+) started on node 1, PID (\d+)/.exec((await result.textContent()) ?? '')!;
  return { key: m[1]!, pid: Number(m[2]) };
}

test('the process box of node 1 lists a process started over ssh, with its PID, and its lock says why', async ({ app, cluster }) => {
  await allUp(app.page, [1]);
  const pid = Number((await run(cluster, 1, 'nohup sleep 3011 </dev/null >/dev/null 2>&1 & echo $!')).trim());
  try {
    await app.page.getByRole('button', { name: 'Processes of node 1', exact: true }).click();
    const box = await app.openRoute(routes.procs(1));
    const row = box.getByRole('row', { name: `Process ${pid}`, exact: true });
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(row.getByRole('cell').nth(1)).toHaveText(String(pid));
    await expect(row.getByRole('cell').nth(2)).toHaveText('0');
    await expect(row).toContainText('sleep 3011');
    await expect(row.getByRole('img', { name: /^Cannot move:/ })).toHaveAttribute('title', /not started with mosrun/);

    // Its migrator says the same, in words; every node is shown, none offered, the reason as the title.
    await row.dblclick();
    const migrator = await app.openRoute(routes.migrator(1, pid));
    await expect(migrator.getByLabel('Why it cannot move')).toContainText('not started with mosrun', { timeout: 15_000 });
    for (const n of cluster.nodes) {
      const b = migrator.getByRole('button', { name: `Migrate to node ${n.id}`, exact: true });
      await expect(b).toBeDisabled();
      await expect(b).toHaveAttribute('title', /^cannot move: not started with mosrun/);
    }
    for (const name of ['Home', 'Best']) await expect(migrator.getByRole('button', { name, exact: true })).toBeDisabled();
    // Signals still reach it.
    await expect(migrator.getByRole('button', { name: 'SIGSTOP', exact: true })).toBeEnabled();
  } finally {
    await sshExec(cluster, 1, `kill ${pid}`);
  }
});

test('a job started by advanced execution (no migration, /bin/sleep 300) appears in the process box', async ({ app, cluster }) => {
  await allUp(app.page, [1]);
  const exec = await app.openRoute(routes.exec(1));
  await expect(exec.getByRole('combobox', { name: 'Start from node' })).toHaveValue('1', { timeout: 15_000 });
  const { pid, key } = await startSleepJob(exec, '300');
  try {
    const box = await app.openRoute(routes.procs(1));
    // One row: the command the admin started, under the PID the start printed.
    const row = box.getByRole('row', { name: `Job ${key}`, exact: true });
    await expect(row).toBeVisible({ timeout: 15_000 });
    await expect(row.getByRole('cell').nth(1)).toHaveText(String(pid));
    await expect(row.getByRole('cell').last()).toHaveText('/bin/sleep 300');
    await expect(row.getByRole('cell').nth(4)).toHaveText('S');
    await expect(row.getByRole('img', { name: `Job ${key}`, exact: true })).toBeVisible();
    await expect(row.getByRole('img', { name: /^Cannot move:/ })).toHaveAttribute('title', /nomig/);
    // unshare and the sh -c wrapper only on request.
    await expect(box.getByRole('row', { name: new RegExp(`of job ${key.replace('.', '\\.')}\\)$`) })).toHaveCount(0);
    await expect(box.getByRole('row').filter({ hasText: 'mosixview-job' })).toHaveCount(0);
    await box.getByRole('checkbox', { name: 'Show job internals' }).check();
    await expect(box.getByRole('row', { name: new RegExp(`^Process \\d+ \\(unshare of job ${key.replace('.', '\\.')}\\)$`) })).toHaveCount(1);
    await expect(box.getByRole('row', { name: `Process ${pid} (init of job ${key})`, exact: true })).toContainText('mosixview-job /bin/sleep 300');
    await expect(box.getByRole('row', { name: new RegExp(`^Process \\d+ \\(command of job ${key.replace('.', '\\.')}\\)$`) })).toContainText('/bin/sleep 300');
    expect((await procStat(cluster, 1, pid))?.state).toMatch(/[SR]/);
  } finally {
    await sshExec(cluster, 1, `kill -9 ${pid}`);
  }
});

test('advanced execution of a program that does not exist says so, with exit status 127 and the shell\'s words', async ({ app }) => {
  await allUp(app.page, [1]);
  const exec = await app.openRoute(routes.exec(1));
  await expect(exec.getByRole('textbox', { name: 'Working directory' })).toHaveValue('/root', { timeout: 30_000 });
  await exec.getByRole('textbox', { name: 'Program' }).fill('/no/such/program');
  await exec.getByRole('button', { name: 'Execute' }).click();
  await expect(exec.getByRole('alert', { name: 'Result' })).toHaveText(
    /^Not started: job 1\.\d+ could not run \/no\/such\/program \(exit status 127, command not found\): \/no\/such\/program: not found$/,
    { timeout: 20_000 },
  );
  await expect(exec.getByRole('status', { name: 'Result' })).toHaveCount(0);
});

test('in the migrator Kill, SIGSTOP, SIGCONT and the Nice slider change what /proc shows', async ({ app, cluster }) => {
  await allUp(app.page, [1]);
  const exec = await app.openRoute(routes.exec(1));
  const { pid, key } = await startSleepJob(exec, '600');
  const m = await app.openRoute(routes.migrator(1, pid));
  await expect(m.getByLabel('PID', { exact: true })).toHaveText(String(pid), { timeout: 15_000 });
  // The migrator speaks of the job's command and its state, not of its sh -c wrapper.
  await expect(m.getByRole('heading', { level: 1 })).toHaveText(`Migrator: job ${key} /bin/sleep 600`);
  await expect(m.getByLabel('State', { exact: true })).toHaveText('sleeping');
  const stat = () => procStat(cluster, 1, pid);

  await m.getByRole('button', { name: 'SIGSTOP', exact: true }).click();
  await expect.poll(async () => (await stat())?.state).toBe('T');
  await m.getByRole('button', { name: 'SIGCONT', exact: true }).click();
  await expect.poll(async () => (await stat())?.state).toBe('S');

  await m.getByRole('slider', { name: 'Nice', exact: true }).fill('10');
  await expect.poll(async () => (await stat())?.nice).toBe(10);
  await expect(m.getByLabel('Current nice')).toHaveText('10');

  await m.getByRole('button', { name: 'Kill', exact: true }).click();
  await expect.poll(async () => (await stat())?.state ?? 'gone').toMatch(/gone|Z/);
  await expect(m.getByRole('status', { name: 'Process ended' })).toHaveText('The job has ended: it was killed.', { timeout: 10_000 });
  // Nothing still says it runs here.
  await expect(m.getByRole('button', { name: 'Migrate to node 1', exact: true })).not.toContainText('runs here');
  await expect(m.getByLabel('Runs on')).toHaveText('-');
  expect(await m.getByRole('alert').count()).toBe(0);
});
