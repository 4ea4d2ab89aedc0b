/**
 * Every user, one agent: two non-root users of the 4-node test cluster, each logged in over
 * ssh and typing the openMosix tools, talk to the node's one agent (root's). A starts a job;
 * B sees it (as with ps) but may neither move, stop nor kill it, at its home or on the node
 * it runs on; A moves it and kills it. The job's command runs as A, on every node; its init
 * (the agent's fixed shell, the PID namespace's 1) and unshare are root's.
 */
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { agentDaemonPid, counterJs, manualMigrationsOnly, tool } from '../support/jobs.js';
import { sshExec, type TestCluster, type TestUser } from '../cluster/testCluster.js';

test.describe.configure({ timeout: 240_000 });

manualMigrationsOnly(test);

const as = (c: TestCluster, u: TestUser, node: number, cmd: string) => sshExec(c, node, cmd, { user: u.name, timeoutMs: 120_000 });

/** "comm uid" of every process whose working directory is `dir`, per node (as root). */
async function processesIn(c: TestCluster, dir: string): Promise<Record<number, string[]>> {
  const script = `for p in /proc/[0-9]*; do [ "$(readlink $p/cwd)" = "${dir}" ] && echo "$(cat $p/comm) $(awk '/^Uid:/ {print $2 "/" $3 "/" $4 "/" $5}' $p/status)"; done 2>/dev/null | sort`;
  const out: Record<number, string[]> = {};
  for (const n of c.nodes) out[n.id] = (await sshExec(c, n.id, script)).stdout.split('\n').filter(Boolean);
  return out;
}


/** A job of `u`'s, started with mosrun over ssh on node 1 in a directory of the shared file system. */
async function startAs(c: TestCluster, u: TestUser) {
  const dir = `${c.dir}/shared/users-${process.pid}-${Date.now()}`;
  mkdirSync(dir);
  writeFileSync(`${dir}/job.js`, counterJs());
  chownSync(dir, u.uid, u.uid);
  const counted = () => {
    try {
      return readFileSync(`${dir}/count`, 'utf8').split(' ');
    } catch {
      return ['0', ''];
    }
  };
  const started = await as(c, u, 1, `cd ${dir} && ${tool(c, 'mosrun')} ${process.execPath} job.js`);
  expect(started.code, started.stderr).toBe(0);
  const m = /job (1\.\d+) started, pid (\d+)/.exec(started.stdout);
  expect(m, started.stdout).not.toBeNull();
  const [, key, pid] = m as unknown as [string, string, string];
  await expect.poll(() => Number(counted()[0]), { timeout: 20_000 }).toBeGreaterThan(2);
  const uids = `${u.uid}/${u.uid}/${u.uid}/${u.uid}`;
  return { dir, key, pid, uids, count: () => Number(counted()[0]), host: () => counted()[1] };
}

const ROOT = '0/0/0/0';
const refusalOf = (c: TestCluster, key: string, verb: string) =>
  `job ${key} belongs to ${c.user.name} (uid ${c.user.uid}), and you are ${c.user2.name} (uid ${c.user2.uid}): only its owner or root may ${verb} it; ask ${c.user.name} or the node's admin`;

test("two users on one agent: B sees A's job but may not move, stop or kill it; A kills it", async ({ cluster }) => {
  const [a, b] = [cluster.user, cluster.user2];
  const job = await startAs(cluster, a);
  // Its directory is in A's home, and A's; its command runs as A.
  expect(statSync(`${a.home}/.mosixview/jobs/${job.key}/stdout`).uid).toBe(a.uid);
  expect(await processesIn(cluster, job.dir)).toEqual({ 1: [`node ${job.uids}`, `sh ${ROOT}`, `unshare ${ROOT}`], 2: [], 3: [], 4: [] });

  // B sees it as ps would: its command under A's name (the init, root's, is not A's).
  const seen = await as(cluster, b, 1, `${tool(cluster, 'mps')} -j -u ${a.name}`);
  expect(seen.code, seen.stderr).toBe(0);
  const rows = seen.stdout.trim().split('\n').slice(1);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatch(new RegExp(`^\\s*\\d+\\s+0\\s+${job.key.replace('.', '\\.')}\\s+[RS]\\s.*job\\.js$`));
  for (const [what, verb] of [['3', 'move'], ['kill', 'kill'], ['stop', 'stop'], ['lock', 'lock'], ['nice 5', 'renice']] as const) {
    const r = await as(cluster, b, 1, `${tool(cluster, 'migrate')} ${job.pid} ${what}`);
    expect([r.code, r.stderr]).toEqual([1, `migrate: ${refusalOf(cluster, job.key, verb)}\n`]);
  }
  // Nor the agent's settings: those are root's.
  const stop = await as(cluster, b, 1, `${tool(cluster, 'mosctl')} block`);
  expect(stop.code).not.toBe(0);
  expect(stop.stderr).toContain(`is for the node's admin, and you are ${b.name} (uid ${b.uid}): run it as root`);
  expect(await processesIn(cluster, job.dir)).toEqual({ 1: [`node ${job.uids}`, `sh ${ROOT}`, `unshare ${ROOT}`], 2: [], 3: [], 4: [] });
  const before = job.count();
  await expect.poll(job.count, { timeout: 5_000 }).toBeGreaterThan(before);

  const aKill = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
  expect(aKill.code, aKill.stderr).toBe(0);
  await expect.poll(() => processesIn(cluster, job.dir), { timeout: 15_000 }).toEqual({ 1: [], 2: [], 3: [], 4: [] });
  const record = JSON.parse(readFileSync(`${cluster.nodes[0]!.stateDir}/jobs/${job.key}.json`, 'utf8'));
  expect([record.state, record.owner]).toEqual(['killed', { uid: a.uid, user: a.name }]);
});

test("A moves her job: it runs as A on the node it moved to (where CRIU may checkpoint other uids; elsewhere the move is refused up front and the job runs on, once); B may not kill it; A's kill ends it", async ({ cluster }) => {
  const [a, b] = [cluster.user, cluster.user2];
  // CRIU reads a job's limits with prlimit(2): for a process of another uid than its own that needs CAP_SYS_RESOURCE,
  // which this project's build machines drop from root. There the agent must say so before any dump.
  const agent = agentDaemonPid(cluster, 1);
  const capEff = BigInt(`0x${/^CapEff:\s*(\S+)/m.exec(readFileSync(`/proc/${agent}/status`, 'utf8'))![1]}`);
  if (((capEff >> 24n) & 1n) === 0n) {
    const job = await startAs(cluster, a);
    const refused = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${job.pid} 2`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`may not checkpoint a job of another user (${a.name}, uid ${a.uid}): the agent lacks CAP_SYS_RESOURCE`);
    // Nothing was frozen or copied: the one copy counts on at home, as A.
    expect(await processesIn(cluster, job.dir)).toEqual({ 1: [`node ${job.uids}`, `sh ${ROOT}`, `unshare ${ROOT}`], 2: [], 3: [], 4: [] });
    const before = job.count();
    await expect.poll(job.count, { timeout: 5_000 }).toBeGreaterThan(before);
    const bKill = await as(cluster, b, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
    expect([bKill.code, bKill.stderr]).toEqual([1, `migrate: ${refusalOf(cluster, job.key, 'kill')}\n`]);
    const aKill = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
    expect(aKill.code, aKill.stderr).toBe(0);
    await expect.poll(() => processesIn(cluster, job.dir), { timeout: 15_000 }).toEqual({ 1: [], 2: [], 3: [], 4: [] });
    return;
  }

  const job = await startAs(cluster, a);
  const moved = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${job.pid} 2`);
  expect(moved.code, moved.stderr).toBe(0);
  expect(moved.stdout).toContain(`job ${job.key} now runs on node 2`);
  await expect.poll(job.host, { timeout: 15_000 }).toBe('mvnode2');
  // Exactly one copy, on node 2, its command restored with A's uid (real, effective, saved, fs).
  expect(await processesIn(cluster, job.dir)).toEqual({ 1: [], 2: [`node ${job.uids}`, `sh ${ROOT}`], 3: [], 4: [] });

  const bKill = await as(cluster, b, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
  expect([bKill.code, bKill.stderr]).toEqual([1, `migrate: ${refusalOf(cluster, job.key, 'kill')}\n`]);
  const there = (await sshExec(cluster, 2, `${tool(cluster, 'mps')} -j`)).stdout;
  const pidThere = new RegExp(`^\\s*(\\d+)\\s+0\\s+${job.key.replace('.', '\\.')}\\s`, 'm').exec(there)?.[1];
  expect(pidThere, there).toBeDefined();
  const bKillThere = await as(cluster, b, 2, `${tool(cluster, 'migrate')} ${pidThere} kill`);
  expect([bKillThere.code, bKillThere.stderr]).toEqual([1, `migrate: ${refusalOf(cluster, job.key, 'kill')}\n`]);
  expect(await processesIn(cluster, job.dir)).toEqual({ 1: [], 2: [`node ${job.uids}`, `sh ${ROOT}`], 3: [], 4: [] });

  const aKill = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${job.pid} kill`);
  expect(aKill.code, aKill.stderr).toBe(0);
  await expect.poll(() => processesIn(cluster, job.dir), { timeout: 15_000 }).toEqual({ 1: [], 2: [], 3: [], 4: [] });
});

test("runon: A's job started on node 2 runs there as A; B may not kill it; A's kill from home ends it", async ({ cluster }) => {
  const [a, b] = [cluster.user, cluster.user2];
  const dir = `${cluster.dir}/shared/users-runon-${process.pid}-${Date.now()}`;
  mkdirSync(dir);
  writeFileSync(`${dir}/job.js`, counterJs());
  chownSync(dir, a.uid, a.uid);
  const started = await as(cluster, a, 1, `cd ${dir} && ${tool(cluster, 'runon')} 2 ${process.execPath} job.js`);
  expect(started.code, started.stderr).toBe(0);
  const key = /job (1\.\d+) started on node 2/.exec(started.stdout)?.[1];
  expect(key, started.stdout).toBeDefined();
  const uids = `${a.uid}/${a.uid}/${a.uid}/${a.uid}`;
  // One copy, on node 2, its command as A (its init and unshare root's, as at home).
  await expect.poll(() => processesIn(cluster, dir), { timeout: 20_000 }).toEqual({ 1: [], 2: [`node ${uids}`, `sh ${ROOT}`, `unshare ${ROOT}`], 3: [], 4: [] });
  const id = key!.split('.')[1];
  const bKill = await as(cluster, b, 1, `${tool(cluster, 'migrate')} ${id} kill`);
  expect([bKill.code, bKill.stderr]).toEqual([1, `migrate: ${refusalOf(cluster, key!, 'kill')}\n`]);
  expect(await processesIn(cluster, dir)).toEqual({ 1: [], 2: [`node ${uids}`, `sh ${ROOT}`, `unshare ${ROOT}`], 3: [], 4: [] });
  const aKill = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${id} kill`);
  expect(aKill.code, aKill.stderr).toBe(0);
  await expect.poll(() => processesIn(cluster, dir), { timeout: 15_000 }).toEqual({ 1: [], 2: [], 3: [], 4: [] });
});
