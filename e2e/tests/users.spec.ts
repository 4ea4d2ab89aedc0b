/**
 * Every user, one agent: two non-root users of the 4-node test cluster, each logged in over
 * ssh and typing the openMosix tools, talk to the node's one agent (root's). A starts a job
 * and moves it; B sees it (as with ps) but may neither move nor kill it, at its home or on the
 * node it runs on; A kills it. On the node it moved to, the job's processes run as A.
 */
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { test, expect } from '../support/fixtures.js';
import { counterJs, manualMigrationsOnly, tool } from '../support/jobs.js';
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

test('two users on one agent: A starts and moves her job, B can neither move nor kill it, A kills it; it runs as A where it moved', async ({ cluster }) => {
  const a = cluster.user;
  const b = cluster.user2;
  const dir = `${cluster.dir}/shared/users-${process.pid}-${Date.now()}`;
  mkdirSync(dir);
  writeFileSync(`${dir}/job.js`, counterJs());
  chownSync(dir, a.uid, a.uid);
  const counted = () => {
    try {
      return readFileSync(`${dir}/count`, 'utf8').split(' ');
    } catch {
      return ['0', ''];
    }
  };

  const started = await as(cluster, a, 1, `cd ${dir} && ${tool(cluster, 'mosrun')} ${process.execPath} job.js`);
  expect(started.code, started.stderr).toBe(0);
  const m = /job (1\.\d+) started, pid (\d+)/.exec(started.stdout);
  expect(m, started.stdout).not.toBeNull();
  const [, key, pid] = m as unknown as [string, string, string];
  await expect.poll(() => Number(counted()[0]), { timeout: 20_000 }).toBeGreaterThan(2);
  // Its directory is in A's home, and A's.
  expect(statSync(`${a.home}/.mosixview/jobs/${key}/stdout`).uid).toBe(a.uid);
  const uids = `${a.uid}/${a.uid}/${a.uid}/${a.uid}`;
  expect(await processesIn(cluster, dir)).toEqual({ 1: [`node ${uids}`, `sh ${uids}`], 2: [], 3: [], 4: [] });

  const moved = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${pid} 2`);
  expect(moved.code, moved.stderr).toBe(0);
  expect(moved.stdout).toContain(`job ${key} now runs on node 2`);
  await expect.poll(() => counted()[1], { timeout: 15_000 }).toBe('mvnode2');
  // Exactly one copy, on node 2, restored with A's uid (real, effective, saved, fs).
  expect(await processesIn(cluster, dir)).toEqual({ 1: [], 2: [`node ${uids}`, `sh ${uids}`], 3: [], 4: [] });

  // B sees it as ps would: at its home, under A's name, on node 2.
  const seen = await as(cluster, b, 1, `${tool(cluster, 'mps')} -j -u ${a.name}`);
  expect(seen.code, seen.stderr).toBe(0);
  expect(seen.stdout).toMatch(new RegExp(`^\\s*${pid}\\s+2\\s+${key.replace('.', '\\.')}\\s+M\\s.*job\\.js`, 'm'));

  // B may not move or kill it: at its home, nor by its PID on node 2.
  const refusal = (verb: string) => `job ${key} belongs to ${a.name} (uid ${a.uid}), and you are ${b.name} (uid ${b.uid}): only its owner or root may ${verb} it; ask ${a.name} or the node's admin`;
  const bMove = await as(cluster, b, 1, `${tool(cluster, 'migrate')} ${pid} 3`);
  expect([bMove.code, bMove.stderr]).toEqual([1, `migrate: ${refusal('move')}\n`]);
  const bKill = await as(cluster, b, 1, `${tool(cluster, 'migrate')} ${pid} kill`);
  expect([bKill.code, bKill.stderr]).toEqual([1, `migrate: ${refusal('kill')}\n`]);
  const there = (await sshExec(cluster, 2, `${tool(cluster, 'mps')} -j`)).stdout;
  const pidThere = new RegExp(`^\\s*(\\d+)\\s+0\\s+${key.replace('.', '\\.')}\\s`, 'm').exec(there)?.[1];
  expect(pidThere, there).toBeDefined();
  const bKillThere = await as(cluster, b, 2, `${tool(cluster, 'migrate')} ${pidThere} kill`);
  expect([bKillThere.code, bKillThere.stderr]).toEqual([1, `migrate: ${refusal('kill')}\n`]);
  const bStop = await as(cluster, b, 2, `${tool(cluster, 'migrate')} ${pidThere} stop`);
  expect([bStop.code, bStop.stderr]).toEqual([1, `migrate: ${refusal('stop')}\n`]);
  expect(await processesIn(cluster, dir)).toEqual({ 1: [], 2: [`node ${uids}`, `sh ${uids}`], 3: [], 4: [] });
  const before = Number(counted()[0]);
  await expect.poll(() => Number(counted()[0]), { timeout: 5_000 }).toBeGreaterThan(before);

  // A kills it, at its home: the kill goes to node 2, and no copy is left anywhere.
  const aKill = await as(cluster, a, 1, `${tool(cluster, 'migrate')} ${pid} kill`);
  expect(aKill.code, aKill.stderr).toBe(0);
  await expect.poll(() => processesIn(cluster, dir), { timeout: 15_000 }).toEqual({ 1: [], 2: [], 3: [], 4: [] });
  const record = () => JSON.parse(readFileSync(`${cluster.nodes[0]!.stateDir}/jobs/${key}.json`, 'utf8'));
  await expect.poll(() => record().state, { timeout: 15_000 }).toBe('killed');
  expect(record().owner).toEqual({ uid: a.uid, user: a.name });
});
