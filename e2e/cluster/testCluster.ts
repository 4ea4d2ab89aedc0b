/**
 * A throwaway openMosix-style cluster on one machine: every node is a network +
 * PID + mount + UTS namespace running a real OpenSSH sshd as its PID 1, all on a
 * bridge in the root namespace. Needs root. See e2e/cluster/cli.ts for the CLI.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDir, runPrefix, type TestCluster, type TestNode } from './types.js';
import { downCluster, listRunIds, readClusterFile } from './teardown.js';
import { nodeInitScript, writeFiles } from './files.js';
import { sshExec } from './nodeOps.js';
import { ip, listLinks, listNetns, parsePrefix, prefixesOverlap, processRunning, run, usedPrefixes, waitUntil } from './sys.js';

export type { SshOptions, SshResult, TestCluster, TestNode, TestUser } from './types.js';
export { downAll, downCluster, downDeadTestClusters, leftovers, listRunIds, readClusterFile } from './teardown.js';
export { CRIU_PATH } from './files.js';
export { cutLink, inNode, nodeNsPid, nodeProcessCount, restoreLink, signalInNode, sshExec } from './nodeOps.js';

const MAX_NODES = 250;
/** The checkout the tests run from (nodes keep it reachable at this path). */
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface UpOptions {
  nodes: number;
  log?: (s: string) => void;
  /** Aborting stops setup between steps; what was created is removed. */
  signal?: AbortSignal;
  /** 'tests': owned by a test run, so a later test run may remove it once its owner died. */
  purpose?: 'tests' | 'manual';
  /** Nodes (IDs) with a system of their own, where a test may install packages (TestNode.ownSystem). */
  ownSystem?: number[];
}

const saveState = (c: TestCluster): void => writeFileSync(`${c.dir}/cluster.json`, `${JSON.stringify(c, null, 2)}\n`);

/** mkdir is atomic, so two concurrent `up`s cannot claim the same run id. */
function claimRunDir(): string {
  for (let i = 0; i < 100; i++) {
    const id = randomBytes(2).toString('hex');
    const taken = listNetns().concat(listLinks()).some((n) => n.startsWith(runPrefix(id)));
    if (taken) continue;
    try {
      // Readable by the test user: the shared file system holds its tools and working dirs.
      mkdirSync(runDir(id), { mode: 0o755 });
      return id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`could not find a free run id under ${runDir('XXXX')}`);
}

/** A random 10.201-250.x.0/24 that no route, address or other run uses. */
async function pickSubnet(self: string): Promise<string> {
  const used = await usedPrefixes();
  for (const id of listRunIds()) {
    const s = id === self ? undefined : readClusterFile(id)?.subnet;
    const p = s ? parsePrefix(s) : undefined;
    if (p) used.push(p);
  }
  for (let i = 0; i < 1000; i++) {
    const cidr = `10.${randomInt(201, 251)}.${randomInt(0, 256)}.0/24`;
    const p = parsePrefix(cidr);
    if (p && !used.some((u) => prefixesOverlap(u, p))) return cidr;
  }
  throw new Error('no free /24 in 10.201.0.0-10.250.255.0: every candidate overlaps a route');
}

/** CPU count the way `nproc` sees it (affinity), and the first CPU we may pin to. */
async function cpuInfo(): Promise<{ count: number; first: number }> {
  const count = Number((await run('nproc', [])).stdout.trim());
  const status = readFileSync('/proc/self/status', 'utf8');
  const first = Number(/Cpus_allowed_list:\s*(\d+)/.exec(status)?.[1] ?? '0');
  return { count, first };
}

async function createNetwork(c: TestCluster): Promise<void> {
  const len = c.subnet.split('/')[1];
  await ip('link', 'add', 'name', c.bridge, 'type', 'bridge', 'forward_delay', '0');
  await ip('addr', 'add', `${c.bridgeAddress}/${len}`, 'dev', c.bridge);
  await ip('link', 'set', c.bridge, 'up');
  for (const n of c.nodes) {
    await ip('netns', 'add', n.netns);
    await ip('-n', n.netns, 'link', 'set', 'lo', 'up');
    await ip('link', 'add', n.vethOuter, 'type', 'veth', 'peer', 'name', n.vethInner, 'netns', n.netns);
    await ip('link', 'set', n.vethOuter, 'master', c.bridge);
    await ip('link', 'set', n.vethOuter, 'up');
    await ip('-n', n.netns, 'addr', 'add', `${n.address}/${len}`, 'dev', n.vethInner);
    await ip('-n', n.netns, 'link', 'set', n.vethInner, 'up');
  }
}

function nodeLogs(n: TestNode): string {
  const read = (p: string): string => {
    try {
      return readFileSync(p, 'utf8').trim();
    } catch {
      return '';
    }
  };
  return [read(`${n.dir}/node.log`), read(n.sshdLog)].filter(Boolean).join('\n') || '(no output)';
}

/** Starts the node detached, so the cluster outlives this Node process. */
function startNode(c: TestCluster, n: TestNode): void {
  const out = openSync(`${n.dir}/node.log`, 'a');
  const pin = n.pinnedCpu === null ? [] : ['taskset', '-c', String(n.pinnedCpu)];
  // `ip netns exec` and taskset exec (not fork), so the spawned PID ends up being unshare's.
  const child = spawn(
    'ip',
    ['netns', 'exec', n.netns, ...pin, 'unshare', '--pid', '--fork', '--mount-proc', '--uts', '--kill-child',
      'sh', '-c', nodeInitScript(c, n, REPO)],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  child.on('error', () => {}); // reported below as "process gone" with the node's log
  child.unref();
  n.pid = child.pid ?? 0;
  saveState(c);
  if (!n.pid) throw new Error(`could not start node ${n.id}: ${nodeLogs(n)}`);
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 500 });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.once('timeout', () => done(false));
  });
}

async function waitReady(c: TestCluster, n: TestNode): Promise<void> {
  // Our own child, not yet reaped, so the PID cannot have been reused.
  const alive = (): boolean => processRunning(n.pid);
  const ok = await waitUntil(async () => !alive() || (await tcpOpen(n.address, 22)), 15_000, 150);
  if (!alive()) throw new Error(`node ${n.id} (${n.netns}) exited during start:\n${nodeLogs(n)}`);
  if (!ok) throw new Error(`node ${n.id}: sshd does not accept on ${n.address}:22 after 15 s:\n${nodeLogs(n)}`);
  const r = await sshExec(c, n.id, 'hostname');
  if (r.code !== 0 || r.stdout.trim() !== n.hostname) {
    throw new Error(`node ${n.id}: ssh check failed (exit ${r.code}, stdout "${r.stdout.trim()}"): ${r.stderr.trim()}`);
  }
}

/** Builds the cluster; on any failure (or abort) removes what it created and rethrows. */
export async function upCluster(opts: UpOptions): Promise<TestCluster> {
  const log = opts.log ?? (() => {});
  const count = opts.nodes;
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) {
    throw new Error(`nodes must be an integer from 1 to ${MAX_NODES}, got ${count}`);
  }
  if (process.getuid?.() !== 0) throw new Error('the test cluster needs root (network namespaces)');
  const strange = (opts.ownSystem ?? []).filter((id) => !Number.isInteger(id) || id < 1 || id > count);
  if (strange.length > 0) throw new Error(`ownSystem names nodes ${strange.join(', ')}, but the cluster has nodes 1 to ${count}`);
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory

  const runId = claimRunDir();
  const checkAbort = (): void => {
    if (opts.signal?.aborted) throw new Error(`test cluster ${runId}: setup aborted`);
  };
  try {
    const dir = runDir(runId);
    const pre = runPrefix(runId);
    const subnet = await pickSubnet(runId);
    const base = subnet.replace(/\.0\/24$/, '.');
    const cpus = await cpuInfo();
    const c: TestCluster = {
      runId, dir, subnet,
      rootHome: `${dir}/home/root`,
      jobsDir: `${dir}/home/root/.mosixview/jobs`,
      user: { name: 'mvuser', uid: 1500, home: `${dir}/home/users/mvuser` },
      user2: { name: 'mvuser2', uid: 1501, home: `${dir}/home/users/mvuser2` },
      profilePath: `${dir}/profile.json`,
      mapPath: `${dir}/hpc.map`,
      knownHostsPath: `${dir}/known_hosts`,
      emptyKnownHostsPath: `${dir}/known_hosts.empty`,
      clientKeyPath: `${dir}/client_key`,
      sshConfigPath: `${dir}/ssh_config_empty`,
      authorizedKeysPath: `${dir}/authorized_keys`,
      bridge: `${pre}br`,
      bridgeAddress: `${base}1`,
      createdAt: new Date().toISOString(),
      ownerPid: process.pid,
      purpose: opts.purpose ?? 'manual',
      nodes: Array.from({ length: count }, (_, i): TestNode => {
        const id = i + 1;
        const pinned = id === 2 && cpus.count >= 2;
        return {
          id,
          hostname: `mvnode${id}`,
          address: `${base}${id + 1}`,
          netns: `${pre}-n${id}`,
          vethOuter: `${pre}v${id}`,
          vethInner: `${pre}i${id}`,
          dir: `${dir}/n${id}`,
          stateDir: `${dir}/n${id}/varlib/mosixview`,
          sshdConfig: `${dir}/n${id}/sshd_config`,
          sshdLog: `${dir}/n${id}/sshd.log`,
          expectedCpus: pinned ? 1 : cpus.count,
          pinnedCpu: pinned ? cpus.first : null,
          pid: 0,
          ...(opts.ownSystem?.includes(id) ? { ownSystem: true } : {}),
        };
      }),
    };
    // The whole plan is on disk before the first resource exists, so teardown can find everything.
    saveState(c);
    log(`run ${runId}: ${count} node(s) on ${subnet}, bridge ${c.bridge}`);
    await writeFiles(c);
    checkAbort();
    await createNetwork(c);
    checkAbort();
    for (const n of c.nodes) startNode(c, n);
    await Promise.all(c.nodes.map((n) => waitReady(c, n)));
    checkAbort();
    log(`run ${runId}: up; profile ${c.profilePath}`);
    return c;
  } catch (e) {
    log(`run ${runId}: setup failed, removing it`);
    try {
      await downCluster(runId, log);
    } catch (e2) {
      log(`run ${runId}: cleanup after failure also failed: ${(e2 as Error).message}`);
    }
    throw e;
  }
}
