/**
 * What the start-up benchmark sets the app beside: the OpenSSH fan-out (its baseline), and what a
 * cold start cannot go below on this machine: one agent daemon started in every node at
 * once, with nothing else (no SSH, no GUI, no browser), timed until each said ready. On a real
 * cluster every node starts its own daemon on its own CPUs; here all of them share the
 * machine's 2 cores with the GUI, the browser and every sshd, so their start is part of the
 * cold figure in full. Set beside the OpenSSH fan-out, it shows how much of the 2x the issue
 * allows is spent before the app does anything of its own.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { inNode, signalInNode, sshExec, type TestCluster } from '../cluster/testCluster.js';
import { cpuSnapshot, cpuSpent } from './cpuByGroup.js';

const BASELINE_CMD = 'cat /proc/loadavg /proc/meminfo >/dev/null && nproc';

/** The e2e globalSetup removes every test cluster on the machine, ours included. */
export const goneHint = (c: TestCluster): string =>
  existsSync(`${c.dir}/cluster.json`) ? '' : `\n(cluster ${c.runId} was removed under us: an e2e run's downAll?)`;

/** The baseline: as many parallel system `ssh` as nodes, each reading the same /proc files; wall ms and the machine's CPU ms. */
export async function timeSsh(c: TestCluster): Promise<{ wall: number; cpu: number }> {
  const cpu0 = cpuSnapshot();
  const t0 = performance.now();
  const rs = await Promise.all(c.nodes.map((n) => sshExec(c, n.id, BASELINE_CMD)));
  const wall = performance.now() - t0;
  const cpu = cpuSpent(cpu0, cpuSnapshot()).machine;
  rs.forEach((r, i) => {
    if (r.code !== 0 || !/^\d+$/.test(r.stdout.trim())) throw new Error(`baseline ssh to node ${i + 1} failed (${r.code}): ${r.stderr.trim()}${goneHint(c)}`);
  });
  return { wall, cpu };
}

/** Descriptor the daemons say ready on: 4, so that their command line tells them from the nodes' own daemons (3). */
const READY_FD = 4;
const MARK = `daemon --ready-fd ${READY_FD}`;
const READY_TIMEOUT_MS = 60_000;

/** The agent the cold run installed in the cluster's shared agentDir. */
export function installedAgent(c: TestCluster): string {
  const dir = join(c.dir, 'agent', 'agent');
  const files = readdirSync(dir).filter((f) => /^mosixview-agent-.*\.cjs$/.test(f));
  if (files.length !== 1) throw new Error(`expected one installed agent in ${dir}, found: ${files.join(', ') || 'none'}`);
  return join(dir, files[0]!);
}

/** One daemon in the node, its state in a fresh dir of the node's private /tmp; resolves when it said ready. */
function startOne(c: TestCluster, nodeId: number, agent: string): Promise<void> {
  const script = `sd=$(mktemp -d /tmp/mv-floor.XXXXXX) && MOSIXVIEW_STATE_DIR=$sd exec node '${agent}' ${MARK} ${READY_FD}>&1 >/dev/null 2>&1 </dev/null`;
  const [cmd, ...args] = inNode(c, nodeId);
  const child = spawn(cmd!, [...args, 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${nodeId}: the daemon did not say ready within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!out.includes('ready\n')) reject(new Error(`node ${nodeId}: the daemon ended (${code}) before ready: ${err.trim()}`));
    });
  });
}

/** Ends the daemons this module started and removes their state (the nodes' own daemons stay). */
async function cleanUp(c: TestCluster): Promise<void> {
  for (const n of c.nodes) signalInNode(c, n.id, MARK, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  for (const n of c.nodes) signalInNode(c, n.id, MARK, 'SIGKILL');
  await Promise.all(
    c.nodes.map(
      (n) =>
        new Promise<void>((resolve) => {
          const [cmd, ...args] = inNode(c, n.id);
          spawn(cmd!, [...args, 'sh', '-c', 'rm -rf /tmp/mv-floor.*'], { stdio: 'ignore' }).once('exit', () => resolve());
        }),
    ),
  );
}

/** Wall ms until every node's extra daemon said ready, and the machine's CPU ms meanwhile. */
export async function timeDaemonsAlone(c: TestCluster): Promise<{ wall: number; cpu: number }> {
  const agent = installedAgent(c);
  const cpu0 = cpuSnapshot();
  const t0 = performance.now();
  try {
    await Promise.all(c.nodes.map((n) => startOne(c, n.id, agent)));
    const wall = performance.now() - t0;
    return { wall, cpu: cpuSpent(cpu0, cpuSnapshot()).machine };
  } finally {
    await cleanUp(c);
  }
}
