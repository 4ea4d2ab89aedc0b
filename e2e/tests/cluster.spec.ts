/**
 * The test cluster itself: three namespaced nodes with real sshd. No browser.
 * Needs root (network namespaces); the run fails, saying so, otherwise.
 */
import { existsSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import {
  cutLink, downCluster, leftovers, listRunIds, restoreLink, sshExec, upCluster, type TestCluster,
} from '../cluster/testCluster.js';
import { cmdlineOf, listLinks, listNetns } from '../cluster/sys.js';

test.describe.configure({ mode: 'serial', timeout: 120_000 });
// Not root: the global setup already failed the run, saying so (e2e/support/globalSetup.ts).

let cluster: TestCluster | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await upCluster({ nodes: 3, log: (s) => console.log(s) });
});

test.afterAll(async () => {
  // Idempotent: a no-op when the last test already removed the cluster.
  if (cluster) await downCluster(cluster);
});

const c = (): TestCluster => {
  if (!cluster) throw new Error('cluster not up');
  return cluster;
};

test('profile, map and known_hosts describe the nodes', () => {
  const k = c();
  expect(k.nodes.map((n) => n.hostname)).toEqual(['mvnode1', 'mvnode2', 'mvnode3']);
  for (const p of [k.profilePath, k.mapPath, k.knownHostsPath, k.emptyKnownHostsPath, k.clientKeyPath, k.sshConfigPath]) {
    expect(existsSync(p), p).toBe(true);
  }
  expect(new Set(k.nodes.map((n) => n.address)).size).toBe(3);
});

test('each node has its own hostname and PID namespace', async () => {
  for (const n of c().nodes) {
    const r = await sshExec(c(), n.id, 'hostname; ps -e -o pid=,comm=');
    expect(r.code, r.stderr).toBe(0);
    const [host, ...ps] = r.stdout.trim().split('\n').map((l) => l.trim());
    expect(host).toBe(n.hostname);
    // sshd listener, the session's sshd(s), sh, ps: a handful, never the host's full list.
    expect(ps.length).toBeLessThan(10);
    expect(ps.find((l) => /^1\s/.test(l))).toMatch(/^1\s+sshd$/);
  }
});

test('as unkind as a real cluster: /tmp, /var/tmp and the agent state are each node\'s own; homes and the shared directory are shared', async () => {
  const k = c();
  const mark = `m${Date.now()}`;
  const [n1, n2] = [k.nodes[0]!, k.nodes[1]!];
  const put = `for d in /tmp /var/tmp /var/lib/mosixview /root ${k.dir}/shared; do mkdir -p $d && echo ${mark} > $d/${mark}; done`;
  expect((await sshExec(k, n1.id, put)).code).toBe(0);
  const look = await sshExec(k, n2.id, `for d in /tmp /var/tmp /var/lib/mosixview /root ${k.dir}/shared; do test -e $d/${mark} && echo "$d"; done; true`);
  expect(look.stdout.trim().split('\n')).toEqual(['/root', `${k.dir}/shared`]);
  // Node 1's state dir is what the machine sees as its stateDir, and no other node's.
  expect(existsSync(`${n1.stateDir}/${mark}`)).toBe(true);
  expect(existsSync(`${n2.stateDir}/${mark}`)).toBe(false);
  // Nothing of it reached the machine's own /tmp.
  expect(existsSync(`/tmp/${mark}`)).toBe(false);
  // The test CRIU is `criu` on every node's PATH; no variable points the agent at anything.
  const env = await sshExec(k, n2.id, 'command -v criu; env | grep -c ^MOSIXVIEW_ || true');
  expect(env.stdout.trim().split('\n')).toEqual(['/usr/local/sbin/criu', '1']); // MOSIXVIEW_FAILPOINTS only
});

test('two non-root users log in to every node, each with a shared home of their own', async () => {
  const k = c();
  for (const u of [k.user, k.user2]) {
    for (const n of k.nodes) {
      const r = await sshExec(k, n.id, 'id -un; id -u; echo "$HOME"; touch ~/.x && echo writes-home; ls /var/lib/mosixview 2>&1 | head -1', { user: u.name });
      expect(r.code, r.stderr).toBe(0);
      const [name, uid, home, writes, state] = r.stdout.trim().split('\n');
      expect([name, Number(uid), home, writes]).toEqual([u.name, u.uid, `/home/${u.name}`, 'writes-home']);
      expect(state).toMatch(/Permission denied/);
    }
    expect(existsSync(`${u.home}/.x`)).toBe(true);
  }
  expect(k.user.uid).not.toBe(k.user2.uid);
});

test('node 2 sees a different number of CPUs', async () => {
  for (const n of c().nodes) {
    const r = await sshExec(c(), n.id, 'nproc');
    expect(r.code, r.stderr).toBe(0);
    expect(Number(r.stdout.trim()), `nproc on ${n.hostname}`).toBe(n.expectedCpus);
  }
  const n2 = c().nodes[1];
  const n1 = c().nodes[0];
  if (n1 && n2 && n1.expectedCpus >= 2) expect(n2.expectedCpus).toBe(1);
});

test('an unknown host key is refused', async () => {
  const r = await sshExec(c(), 1, 'true', { knownHostsFile: c().emptyKnownHostsPath });
  expect(r.code).toBe(255);
  expect(r.stderr).toMatch(/Host key verification failed/);
});

test('cutLink makes a node unreachable, restoreLink brings it back', async () => {
  await cutLink(c(), 3);
  const cut = await sshExec(c(), 3, 'hostname', { connectTimeoutSec: 2, timeoutMs: 10_000 });
  expect(cut.code).not.toBe(0);
  // The other nodes are not affected.
  expect((await sshExec(c(), 1, 'hostname')).stdout.trim()).toBe('mvnode1');
  await restoreLink(c(), 3);
  const back = await sshExec(c(), 3, 'hostname', { connectTimeoutSec: 5 });
  expect(back.code, back.stderr).toBe(0);
  expect(back.stdout.trim()).toBe('mvnode3');
});

test('downCluster leaves nothing behind', async () => {
  const k = c();
  await downCluster(k);
  expect(await leftovers(k.runId)).toEqual([]);
  expect(listNetns().filter((n) => n.startsWith(`mvt${k.runId}`))).toEqual([]);
  expect(listLinks().filter((n) => n.startsWith(`mvt${k.runId}`))).toEqual([]);
  // '' would be a zombie not yet reaped by this worker: dead all the same.
  for (const n of k.nodes) expect(cmdlineOf(n.pid) ?? '', `node ${n.id} pid ${n.pid}`).toBe('');
  expect(existsSync(k.dir)).toBe(false);
  expect(listRunIds()).not.toContain(k.runId);
  // A second teardown of a removed cluster is harmless.
  await downCluster(k.runId);
});
