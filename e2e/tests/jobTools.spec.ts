/**
 * The openMosix job tools on the 4-node test cluster, typed over ssh as an admin would: a
 * start that fails says so (every time), runon and parallel name nodes of the map,
 * `migrate PID lock` takes the PID mosrun printed after a round trip, mps chooses like ps,
 * and mon says why it cannot show the cluster.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { agentDaemonPid, manualMigrationsOnly, on, runningOn, startCounter, stillCounting, tool, tryOn } from '../support/jobs.js';
import type { TestCluster } from '../cluster/testCluster.js';

test.describe.configure({ timeout: 240_000 });

manualMigrationsOnly(test);

const workDir = (c: TestCluster, name: string) => {
  const dir = `${c.dir}/${name}-${process.pid}-${Date.now()}`;
  mkdirSync(dir, { recursive: true });
  return dir;
};

test('mosrun of a program that does not exist, or cannot be executed: exit 127 / 126 with the program named, every time', async ({ cluster }) => {
  const dir = workDir(cluster, 'nostart');
  for (let i = 0; i < 5; i++) {
    const r = await tryOn(cluster, 1, `cd ${dir} && ${tool(cluster, 'mosrun')} /no/such/program --flag`);
    expect(r.code, r.stdout + r.stderr).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mosrun: job 1\.\d+ could not run \/no\/such\/program \(exit status 127, command not found\): \/no\/such\/program: not found\n$/);
    // Recorded as what it is: exited with 127, not running.
    const key = /job (1\.\d+)/.exec(r.stderr)![1]!;
    const record = JSON.parse(readFileSync(`${cluster.nodes[0]!.stateDir}/jobs/${key}.json`, 'utf8'));
    expect(record).toMatchObject({ state: 'exited', exitStatus: 127 });
  }
  writeFileSync(`${dir}/data.txt`, 'not a program\n', { mode: 0o644 });
  const r = await tryOn(cluster, 1, `cd ${dir} && ${tool(cluster, 'mosrun')} ./data.txt`);
  expect(r.code, r.stderr).toBe(126);
  expect(r.stderr).toMatch(/could not run \.\/data\.txt \(exit status 126, found but cannot be executed.*\): \.\/data\.txt: Permission denied/);
  // runon: the copy on node 2 failed; its home says so, with the node.
  const remote = await tryOn(cluster, 1, `cd ${dir} && ${tool(cluster, 'runon')} 2 /no/such/program`);
  expect(remote.code, remote.stdout + remote.stderr).toBe(127);
  expect(remote.stderr).toMatch(/^runon: job 1\.\d+ on node 2 could not run \/no\/such\/program \(exit status 127, command not found\)/);
  // A program that runs is reported running, with its PID.
  const ok = await on(cluster, 1, `cd ${dir} && ${tool(cluster, 'mosrun')} /bin/sleep 300`);
  const pid = /job 1\.\d+ started, pid (\d+)/.exec(ok)![1]!;
  expect(await on(cluster, 1, `${tool(cluster, 'mps')} -j ${pid}`)).toMatch(new RegExp(`^\\s*${pid}\\s+0\\s`, 'm'));
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${pid} kill`);
});

test('parallel starts name nodes of the map: -p 1-9 on 4 nodes is refused, --invert starts on the others', async ({ cluster }) => {
  const dir = workDir(cluster, 'par');
  const refused = await tryOn(cluster, 1, `cd ${dir} && ${tool(cluster, 'mosrun')} -p 1-9 /bin/sleep 300`);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('nodes 5-9 are not in the cluster map (it has nodes 1-4): nothing started');
  // Nothing pending is left to be retried for ever.
  expect(await on(cluster, 1, `${tool(cluster, 'mps')} -j`)).not.toMatch(/^\s*-\s+\d+\s+\S+\s+P\s/m);

  writeFileSync(`${dir}/mark.sh`, '#!/bin/sh\nhostname > "$1/$(hostname)"; exec sleep 300\n', { mode: 0o755 });
  const out = await on(cluster, 1, `cd ${dir} && ${tool(cluster, 'mosrun')} -p 1-2 --invert ${dir}/mark.sh ${dir}`);
  expect(out).toMatch(/started on node 3 \(its home is node 1\)[\s\S]*started on node 4 \(its home is node 1\)/);
  for (const n of [3, 4]) {
    await expect.poll(async () => (await tryOn(cluster, n, `cat ${dir}/mvnode${n}`)).stdout.trim(), { timeout: 20_000 }).toBe(`mvnode${n}`);
  }
  for (const n of [1, 2]) expect((await tryOn(cluster, n, `cat ${dir}/mvnode${n}`)).code).not.toBe(0);
  // The home lists both under their job IDs, running on nodes 3 and 4.
  const mps = await on(cluster, 1, `${tool(cluster, 'mps')} -j`);
  expect(mps).toMatch(/^\s*-\s+3\s+1\.\d+\s+M\s.*mark\.sh/m);
  expect(mps).toMatch(/^\s*-\s+4\s+1\.\d+\s+M\s.*mark\.sh/m);
  // Ended as an admin would: by the job IDs, at their home, which forwards to where they run.
  for (const [, id] of out.matchAll(/job 1\.(\d+) started/g)) await on(cluster, 1, `${tool(cluster, 'migrate')} ${id} kill`);
  await expect.poll(async () => on(cluster, 1, `${tool(cluster, 'mps')} -j`), { timeout: 15_000 }).not.toMatch(/mark\.sh/);
});

test('migrate PID lock takes the PID mosrun printed, also after a round trip gave the job another', async ({ cluster }) => {
  const job = await startCounter(cluster, 1);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 3`);
  await expect.poll(() => job.host(), { timeout: 15_000 }).toBe('mvnode3');
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} home`);
  await expect.poll(() => job.host(), { timeout: 15_000 }).toBe('mvnode1');
  expect(await stillCounting(job)).toBe(true);
  expect(await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} lock`)).toContain(`job ${job.key} locked`);
  const moved = await tryOn(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} 2`);
  expect(moved.code).not.toBe(0);
  expect(moved.stderr).toMatch(/locked/);
  expect(await runningOn(cluster, job)).toBe(1);
  expect(await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} unlock`)).toContain(`job ${job.key} unlocked`);
  await on(cluster, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
});

test('mps chooses like ps: users, PIDs, jobs; a bad option says so', async ({ cluster }) => {
  const pid = (await on(cluster, 1, 'sleep 301 </dev/null >/dev/null 2>&1 & echo $!')).trim();
  try {
    const one = (await on(cluster, 1, `${tool(cluster, 'mps')} ${pid}`)).trim().split('\n');
    expect(one).toHaveLength(2);
    expect(one[1]).toMatch(new RegExp(`^\\s*${pid}\\s+0\\s+-\\s+S\\s.*sleep 301$`));
    expect((await on(cluster, 1, `${tool(cluster, 'mps')} -u nobody`)).trim().split('\n')).toHaveLength(1);
    expect(await on(cluster, 1, `${tool(cluster, 'mps')} -u root -p ${pid}`)).toContain('sleep 301');
    const bad = await tryOn(cluster, 1, `${tool(cluster, 'mps')} -x`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown option "-x"\nusage: mps/);
  } finally {
    await tryOn(cluster, 1, `kill ${pid}`);
  }
});

test('mon says which it is: no agent, no map installed, or an agent it cannot reach', async ({ cluster }) => {
  const mon = tool(cluster, 'mon');
  const agent = /exec (.*) mon "\$@"/.exec(readFileSync(mon, 'utf8'))![1]!;
  // No agent for this state directory at all.
  const empty = mkdtempSync(`${cluster.dir}/noagent-`);
  const none = await tryOn(cluster, 4, `MOSIXVIEW_STATE_DIR=${empty} ${mon} --once`);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain(`mon: no agent: the Mosixview agent is not running on this node (no socket at ${empty}/agent.sock)`);
  // An agent that crashed and left its socket.
  await on(cluster, 4, `cd ${empty} && ${process.execPath} -e "require('net').createServer().listen('agent.sock', () => process.exit(0))"`);
  const stale = await tryOn(cluster, 4, `MOSIXVIEW_STATE_DIR=${empty} ${mon} --once`);
  expect(stale.stderr).toMatch(/mon: no agent: nothing listens at .*agent\.sock \(the agent stopped or crashed and left its socket\)/);
  // An agent of its own, outside the cluster: no map installed.
  const solo = mkdtempSync(`${cluster.dir}/solo-`);
  writeFileSync(`${solo}/speed.json`, JSON.stringify({ calibrated: 40000 }) + '\n'); // no calibration at start
  const env = `MOSIXVIEW_STATE_DIR=${solo}`;
  await on(cluster, 4, `${env} setsid ${agent} daemon </dev/null >${solo}/out 2>&1 & for i in $(seq 100); do ${env} ${agent} status >/dev/null && exit 0; sleep 0.1; done; exit 1`);
  try {
    const alone = await on(cluster, 4, `${env} ${mon} --once`);
    expect(alone).toMatch(/^mon: not in a cluster \(no map installed\): this node only/);
  } finally {
    await tryOn(cluster, 4, `${env} ${agent} stop`);
  }
  // The node's own agent, hung: unreachable, not "no map".
  const pid = agentDaemonPid(cluster, 4);
  expect(pid).toBeDefined();
  process.kill(pid!, 'SIGSTOP');
  try {
    const hung = await tryOn(cluster, 4, `${mon} --once`, 60_000);
    expect(hung.code).toBe(2);
    expect(hung.stderr).toMatch(/^mon: agent unreachable: it does not answer \(no answer to "hello" within 15 s\): it may be hung; restart it/);
  } finally {
    process.kill(pid!, 'SIGCONT');
  }
  await expect.poll(async () => (await tryOn(cluster, 4, `${mon} --once`)).stdout, { timeout: 30_000 }).toMatch(/^mon: 4 node\(s\), 4 up; this is node 4/);
});
