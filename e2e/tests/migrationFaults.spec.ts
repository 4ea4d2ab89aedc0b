/**
 * Faults during live migration, each repeated: every time the job keeps running exactly
 * once, with its state, and the admin is told what happened. The test cluster's CRIU
 * wrapper (e2e/cluster/files.ts) plants CRIU faults on request.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { allUp, lamp } from '../support/mainWindow.js';
import { agentDaemonPid, copies, on, runningOn, startCounter, stillCounting, tool, tryOn, waitForIncoming, type Counter } from '../support/jobs.js';
import { manualMigrationsOnly } from '../support/jobs.js';
import { cutLink, restoreLink, type TestCluster } from '../cluster/testCluster.js';

test.describe.configure({ timeout: 300_000 });
const REPEAT = 3;

manualMigrationsOnly(test);

async function failsAndStaysHome(cluster: TestCluster, job: Counter, run: Promise<{ code: number; stderr: string }>, why: RegExp) {
  const r = await run;
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stderr).toMatch(/goes on here on node 1|stays here on node 1, untouched/);
  expect(r.stderr).toMatch(why);
  expect(await stillCounting(job)).toBe(true);
  expect(await runningOn(cluster, job)).toBe(1);
  expect(job.host()).toBe('mvnode1');
}

async function movesAfterwards(cluster: TestCluster, job: Counter) {
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`);
  await expect.poll(() => job.host(), { timeout: 10_000 }).toBe('mvnode3');
  expect(await runningOn(cluster, job)).toBe(3);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
}

for (const fault of [
  { name: 'restore made to fail on the target', node: 3, file: 'fault-restore', why: /restore/i },
  { name: 'corrupted image', node: 1, file: 'fault-corrupt-dump', why: /restore|image/i },
]) {
  test(`${fault.name}: the job goes on at the source, every time`, async ({ app, cluster }) => {
    await allUp(app.page, cluster.nodes.map((n) => n.id));
    const job = await startCounter(cluster, 1);
    const flag = `${cluster.nodes.find((n) => n.id === fault.node)!.stateDir}/${fault.file}`;
    writeFileSync(flag, '');
    try {
      for (let i = 0; i < REPEAT; i++) {
        await failsAndStaysHome(cluster, job, tryOn(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`), fault.why);
      }
    } finally {
      rmSync(flag, { force: true });
    }
    await movesAfterwards(cluster, job);
  });
}

/** Waits until node N's agent is back and listening for its peers. */
async function peerReady(cluster: TestCluster, node: number) {
  await expect
    .poll(async () => (await tryOn(cluster, node, `${tool(cluster, 'mosctl')} status`, 10_000)).stdout, { timeout: 60_000 })
    .toMatch(/peer channel listening/);
}

/**
 * Starts `migrate PID 3` and runs `fault` as soon as the images start arriving at node 3.
 * Resolves with the migrate tool's result; fails if the migration ended before any image
 * arrived (then the fault hit nothing).
 */
async function faultMidTransfer(cluster: TestCluster, job: Counter, fault: () => Promise<void> | void) {
  const run = tryOn(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`);
  const early = run.then((r) => Promise.reject(new Error(`the migration ended before its images arrived: ${r.stderr || r.stdout}`)));
  await Promise.race([waitForIncoming(cluster, 3), early]);
  await fault();
  return run;
}

/** Whatever the moment of the fault: exactly one running copy, counting on from where it was. */
async function onlyOneGoesOn(cluster: TestCluster, job: Counter, before: number) {
  await expect.poll(async () => Object.values(await copies(cluster, job)).reduce((a, b) => a + b, 0), { timeout: 60_000 }).toBe(1);
  expect(await stillCounting(job)).toBe(true);
  expect(job.count()).toBeGreaterThan(before);
}

test('target agent killed mid-transfer: the job keeps running exactly once, every time', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  const job = await startCounter(cluster, 1, '', 600);
  for (let i = 0; i < REPEAT; i++) {
    await peerReady(cluster, 3);
    const where = await runningOn(cluster, job);
    if (where !== 1) await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} home`);
    const before = job.count();
    const r = await faultMidTransfer(cluster, job, () => {
      process.kill(agentDaemonPid(cluster, 3)!, 'SIGKILL');
    });
    expect(r.stderr + r.stdout).toMatch(/node 3/);
    await onlyOneGoesOn(cluster, job, before);
  }
  await peerReady(cluster, 3);
  if ((await runningOn(cluster, job)) === 1) await movesAfterwards(cluster, job);
  else await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});

test('target link cut mid-transfer: the job keeps running exactly once, every time', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  const job = await startCounter(cluster, 1, '', 600);
  for (let i = 0; i < REPEAT; i++) {
    await peerReady(cluster, 3);
    if ((await runningOn(cluster, job)) !== 1) await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} home`);
    const before = job.count();
    let r;
    try {
      r = await faultMidTransfer(cluster, job, () => cutLink(cluster, 3));
      await expect(lamp(app.page, 3, 'down')).toBeVisible();
    } finally {
      await restoreLink(cluster, 3);
    }
    // Cut before the commit, the job goes on at node 1; cut after it, it runs on node 3.
    expect(r.stderr + r.stdout).toMatch(/node 3/);
    await onlyOneGoesOn(cluster, job, before);
  }
  await allUp(app.page, [3], 60_000);
  await peerReady(cluster, 3);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});

test('the migrator window tells the admin why a migration failed', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  const job = await startCounter(cluster, 1);
  const flag = `${cluster.nodes[2]!.stateDir}/fault-restore`;
  writeFileSync(flag, '');
  try {
    const win = await app.openRoute(`migrator/1/${job.pid}`);
    await win.getByRole('button', { name: 'Migrate to node 3' }).dblclick();
    await expect(win.getByRole('alert', { name: 'Last action' })).toContainText(/goes on here on node 1/, { timeout: 60_000 });
    expect(await runningOn(cluster, job)).toBe(1);
  } finally {
    rmSync(flag, { force: true });
  }
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});
