/**
 * The node-local mechanics of live migration on the test cluster, no browser: a counting
 * job started with `mosrun` on node 1 is checkpointed there, restored on node 3 (each
 * step run over ssh inside its node), and counts on from where it stopped in node 3's
 * namespaces, gone from node 1. A restore that fails leaves node 1's copy resumable.
 * The orchestrator of the peer channel will drive the same steps; here the test does.
 */
import { resolve } from 'node:path';
import { copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { downCluster, sshExec, upCluster, type TestCluster } from '../cluster/testCluster.js';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

const REPO = process.cwd();
const BUNDLE = resolve(REPO, 'dist/agent/mosixview-agent.cjs');
const DRIVER = `${resolve(REPO, 'node_modules/.bin/tsx')} ${resolve(REPO, 'agent/migrate/stepsDriver.test-util.ts')}`;
const JOB = `const fs = require('fs'), os = require('os'); let n = 0;
setInterval(() => { n++; fs.writeFileSync('count.tmp', n + ' ' + os.hostname()); fs.renameSync('count.tmp', 'count'); console.log(n, os.hostname()); }, 100);`;

let cluster: TestCluster | undefined;
const c = (): TestCluster => {
  if (!cluster) throw new Error('cluster not up');
  return cluster;
};
const work = () => `${c().dir}/shared/work`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function on(node: number, cmd: string, timeoutMs = 60_000): Promise<string> {
  const r = await sshExec(c(), node, cmd, { timeoutMs });
  if (r.code !== 0) throw new Error(`node ${node}: "${cmd}" failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

// The daemon runs with the node's defaults: state in /var/lib/mosixview (the node's own), jobs in ~/.mosixview/jobs (shared home).
const agent = (node: number, args: string) => on(node, `${process.execPath} ${BUNDLE} ${args}`);
const startDaemon = (node: number) =>
  on(node, `setsid ${process.execPath} ${BUNDLE} daemon </dev/null >>${c().dir}/n${node}/agent.out 2>&1 & for i in $(seq 50); do ${process.execPath} ${BUNDLE} status >/dev/null && exit 0; sleep 0.1; done; exit 1`);
const step = async (node: number, args: string) => JSON.parse(await on(node, `${DRIVER} ${args}`)) as Record<string, unknown>;

const count = (): number => Number(readFileSync(`${work()}/count`, 'utf8').split(' ')[0]);
const host = (): string => readFileSync(`${work()}/count`, 'utf8').split(' ')[1] ?? '';
async function counting(): Promise<boolean> {
  const a = count();
  await sleep(500);
  return count() > a;
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await upCluster({ nodes: 3, log: (s) => console.log(s) });
  mkdirSync(work(), { recursive: true });
  writeFileSync(`${work()}/job.js`, JOB);
  for (const n of c().nodes) {
    // A stored calibration keeps the daemon's start quick; node-id as jobs.setNodeId writes it.
    writeFileSync(`${n.stateDir}/speed.json`, JSON.stringify({ calibrated: 40000 }) + '\n');
    writeFileSync(`${n.stateDir}/node-id`, `${n.id}\n`);
    // These daemons run without a cluster (no key, no map): no peer to ask what it sees, so the
    // admin's jobs.json says what every node shares here (the shared directory, the shared homes, the host's /usr).
    writeFileSync(`${n.stateDir}/jobs.json`, JSON.stringify({ sharedRoots: [`${c().dir}/shared`, '/root', '/usr'] }) + '\n');
  }
  await startDaemon(1);
  await startDaemon(3);
});

test.afterAll(async () => {
  if (cluster) await downCluster(cluster);
});

let key = '';
let pid1 = 0;

test('mosrun starts a job under the daemon, as init of its own PID namespace', async () => {
  const out = await on(1, `cd ${work()} && ${process.execPath} ${BUNDLE} mosrun ${process.execPath} job.js`);
  const m = /job (1\.(\d+)) started, pid (\d+)/.exec(out);
  expect(m, out).toBeTruthy();
  key = m![1]!;
  pid1 = Number(m![3]);
  await expect.poll(() => { try { return count(); } catch { return 0; } }).toBeGreaterThan(3);
  expect(host()).toBe('mvnode1');
  const status = await on(1, `cat /proc/${pid1}/status`);
  expect(status).toMatch(/NSpid:\s+\d+\s+1\n/);
  const mps = await agent(1, 'mps -j');
  expect(mps).toMatch(new RegExp(`\\s${pid1}\\s+0 ${key.replace('.', '\\.')}\\s`));
  expect(await agent(1, `migrate ${pid1} check`)).toMatch(/can move/);
  // Not a job: sshd, PID 1 of the node.
  const r = await sshExec(c(), 1, `${process.execPath} ${BUNDLE} migrate 1 check`);
  expect(r.stdout).toMatch(/not started with mosrun/);
});

test('the job keeps running while the daemon is stopped; the registry is on disk', async () => {
  await agent(1, 'stop');
  await agent(3, 'stop');
  expect(await counting()).toBe(true);
  expect(JSON.parse(readFileSync(`${c().nodes[0]!.stateDir}/jobs/${key}.json`, 'utf8'))).toMatchObject({ state: 'running', pid: pid1 });
});

test('a failed restore on node 3 leaves the job on node 1, resumable', async () => {
  const img = `${c().dir}/img-bad`;
  await step(1, `dump ${key} ${img}`);
  expect(await counting()).toBe(false);
  writeFileSync(`${img}/pstree.img`, 'damaged in transit');
  const record = `${c().dir}/record-bad.json`;
  copyFileSync(`${c().nodes[0]!.stateDir}/jobs/${key}.json`, record);
  const r = await sshExec(c(), 3, `${DRIVER} restore ${img} ${record}`, { timeoutMs: 60_000 });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/Restore of the job failed on node 3/);
  await step(3, `discard ${key}`);
  await step(1, `resume ${key}`);
  expect(await counting()).toBe(true);
  expect(host()).toBe('mvnode1');
});

test('checkpoint on node 1, restore on node 3: it counts on from where it stopped, in node 3', async () => {
  const img = `${c().dir}/img`;
  const dump = await step(1, `dump ${key} ${img}`);
  const frozen = count();
  // The images directory travels (here: a shared path; the peer channel will copy it).
  const moved = `${c().dir}/img-on-n3`;
  cpSync(img, moved, { recursive: true });
  const record = `${c().dir}/record.json`;
  copyFileSync(`${c().nodes[0]!.stateDir}/jobs/${key}.json`, record);
  const { pid } = (await step(3, `restore ${moved} ${record}`)) as { pid: number };
  expect(await on(3, `grep State /proc/${pid}/status`)).toMatch(/T \(stopped\)/);
  await step(1, `kill ${key} 3`);
  await step(3, `start ${key} 1 3 ${dump.frozenAt} ${dump.bytes}`);
  await expect.poll(count).toBeGreaterThan(frozen + 3);
  expect(host()).toBe('mvnode3');
  // One instance, continuous: every number once and in order, across the move.
  const seq = readFileSync(`${c().jobsDir}/${key}/stdout`, 'utf8').trim().split('\n').map((l) => Number(l.split(' ')[0]));
  expect(seq).toEqual(seq.map((_, i) => i + 1));
  expect(await on(3, 'ps -eo args')).toMatch(/job\.js/);
  expect(await on(1, 'ps -eo args')).not.toMatch(/job\.js/);
  expect(await on(3, `cat /proc/${pid}/status`)).toMatch(/NSpid:\s+\d+\s+1\n/);
  expect(JSON.parse(readFileSync(`${c().nodes[0]!.stateDir}/jobs/${key}.json`, 'utf8'))).toMatchObject({ state: 'away', where: 3 });
  expect(JSON.parse(readFileSync(`${c().nodes[2]!.stateDir}/jobs/${key}.json`, 'utf8'))).toMatchObject({ state: 'running', pid, migrations: 1 });
  pid1 = pid;
});

test('restarted daemons show it: a guest on node 3, away on node 1; kill from node 3', async () => {
  await startDaemon(1);
  await startDaemon(3);
  expect(await agent(3, 'mps -j')).toMatch(new RegExp(`\\s${pid1}\\s+0 ${key.replace('.', '\\.')}\\s`));
  // As under openMosix, the home node still shows the job under its PID, running on node 3.
  expect(await agent(1, 'mps -j')).toMatch(new RegExp(`${key.split('.')[1]}\\s+3 ${key.replace('.', '\\.')}\\s+M`));
  await agent(3, `migrate ${pid1} kill`);
  await expect.poll(async () => (await sshExec(c(), 3, 'ps -eo args')).stdout).not.toMatch(/job\.js/);
  await expect.poll(async () => JSON.parse(readFileSync(`${c().nodes[2]!.stateDir}/jobs/${key}.json`, 'utf8')).state).toBe('killed');
});
