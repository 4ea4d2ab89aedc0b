/**
 * Live migration across the test cluster with the openMosix tools (mosrun, migrate) over
 * ssh; the GUI is connected, so every agent has the cluster key and map.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { sshExec } from '../cluster/testCluster.js';
import { allUp } from '../support/mainWindow.js';
import { on, runningOn, startCounter, stillCounting, tool, tryOn } from '../support/jobs.js';
import { manualMigrationsOnly } from '../support/jobs.js';

test.describe.configure({ timeout: 240_000 });

manualMigrationsOnly(test);

test('a running job moves to node 3 and back home with its state, always exactly once', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  const job = await startCounter(cluster, 1);
  expect(job.host()).toBe('mvnode1');
  const before = job.count();
  const out = await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`);
  expect(out).toMatch(/node 3/);
  await expect.poll(() => job.host(), { timeout: 10_000 }).toBe('mvnode3');
  expect(job.count()).toBeGreaterThanOrEqual(before);
  expect(await stillCounting(job)).toBe(true);
  expect(await runningOn(cluster, job)).toBe(3);
  // The home node still knows its job: mps shows it running on node 3.
  expect(await on(cluster, 1, `${tool(cluster, 'mps')} -j`)).toMatch(new RegExp(`${job.pid}\\s+3\\b`));
  // migrate PID home, asked at the home node, is forwarded to node 3.
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} home`);
  await expect.poll(() => job.host(), { timeout: 10_000 }).toBe('mvnode1');
  expect(await stillCounting(job)).toBe(true);
  expect(await runningOn(cluster, job)).toBe(1);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});

test('a job migrated back and forth 20 times keeps its state', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  const job = await startCounter(cluster, 1);
  let last = job.count();
  for (let i = 0; i < 20; i++) {
    const to = i % 2 === 0 ? 2 : 3;
    await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} ${to}`);
    await expect.poll(() => job.host(), { timeout: 10_000 }).toBe(`mvnode${to}`);
    await expect.poll(() => job.count(), { timeout: 5_000 }).toBeGreaterThan(last);
    // A restarted job would count from 1 again: the count never goes back.
    expect(job.count()).toBeGreaterThan(last);
    last = job.count();
  }
  expect(await runningOn(cluster, job)).toBe(3);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});

test('a process not started with mosrun cannot move, and says why', async ({ app, cluster }) => {
  await allUp(app.page, [1]);
  const pid = (await on(cluster, 1, 'sleep 300 </dev/null >/dev/null 2>&1 & echo $!')).trim();
  const r = await tryOn(cluster, 1, `${tool(cluster, 'migrate')} ${pid} 2`);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/mosrun/);
  await on(cluster, 1, `kill ${pid}`);
});

test('a job that ends on another node is told to its home: mosrun -w there returns its exit status', async ({ app, cluster }) => {
  await allUp(app.page, cluster.nodes.map((n) => n.id));
  const dir = `${cluster.dir}/shared/work-ends-${process.pid}-${Date.now()}`;
  mkdirSync(dir, { recursive: true });
  // Counts for 10 s, then exits with status 7.
  writeFileSync(`${dir}/ends.js`, "let n = 0; setInterval(() => { require('fs').writeFileSync('n', String(++n)); if (n === 100) process.exit(7); }, 100);\n");
  const waiting = sshExec(cluster, 1, `cd ${dir} && ${tool(cluster, 'mosrun')} -w ${process.execPath} ends.js > mosrun.out 2>&1; echo $? > mosrun.rc`);
  let pid = 0;
  await expect.poll(() => {
    const m = /job \d+\.\d+ started, pid (\d+)/.exec(readOrEmpty(`${dir}/mosrun.out`));
    pid = m ? Number(m[1]) : 0;
    return pid;
  }, { timeout: 20_000 }).toBeGreaterThan(0);
  expect(await on(cluster, 1, `${tool(cluster, 'migrate')} ${pid} 3`)).toMatch(/node 3/);
  const r = await waiting;
  expect(r.code, r.stderr).toBe(0);
  expect(readOrEmpty(`${dir}/mosrun.rc`).trim(), readOrEmpty(`${dir}/mosrun.out`)).toBe('7');
  expect(Number(readOrEmpty(`${dir}/n`))).toBe(100);
  // The home's record says where and how it ended; no job of it is left running anywhere.
  expect(await on(cluster, 1, `${tool(cluster, 'mps')} -j`)).not.toMatch(new RegExp(`^\\s*${pid}\\s`, 'm'));
});

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
