/**
 * Acting on a running test cluster's nodes from the host: ssh as the app's users do, cut and
 * restore a node's link, look into and signal inside its namespaces. testCluster.ts brings
 * the cluster up and re-exports these.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { SshOptions, SshResult, TestCluster, TestNode } from './types.js';
import { ip, netnsPids } from './sys.js';

function nodeOf(c: TestCluster, nodeId: number): TestNode {
  const n = c.nodes.find((x) => x.id === nodeId);
  if (!n) throw new Error(`test cluster ${c.runId} has no node ${nodeId}`);
  return n;
}

/** Runs `command` on a node with the system OpenSSH client, as the app's users would. */
export function sshExec(c: TestCluster, nodeId: number, command: string, opts: SshOptions = {}): Promise<SshResult> {
  const n = nodeOf(c, nodeId);
  const args = [
    '-F', c.sshConfigPath,
    '-i', c.clientKeyPath,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
    '-o', `UserKnownHostsFile=${opts.knownHostsFile ?? c.knownHostsPath}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${opts.connectTimeoutSec ?? 5}`,
    '-o', 'LogLevel=ERROR',
    '-p', '22',
    `${opts.user ?? 'root'}@${n.address}`,
    command,
  ];
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => (stderr += `${e.message}\n`));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code: timedOut ? -1 : (code ?? -1), timedOut });
    });
    child.stdin.on('error', () => {}); // ssh may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Takes the node off the network: its veth end on the bridge goes down. */
export async function cutLink(c: TestCluster, nodeId: number): Promise<void> {
  await ip('link', 'set', nodeOf(c, nodeId).vethOuter, 'down');
}

/** Puts the node back on the network. */
export async function restoreLink(c: TestCluster, nodeId: number): Promise<void> {
  await ip('link', 'set', nodeOf(c, nodeId).vethOuter, 'up');
}

/** Number of processes inside a node (its network namespace), seen from the root namespace. */
export async function nodeProcessCount(c: TestCluster, nodeId: number): Promise<number> {
  return (await netnsPids(nodeOf(c, nodeId).netns)).length;
}

/** PID (root namespace) of the node's sshd, PID 1 of its namespaces: nsenter's target. */
export function nodeNsPid(c: TestCluster, nodeId: number): number {
  const n = nodeOf(c, nodeId);
  const child = Number(readFileSync(`/proc/${n.pid}/task/${n.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  if (!child) throw new Error(`node ${nodeId} runs no sshd (its unshare ${n.pid} has no child)`);
  return child;
}

/**
 * The argv prefix that runs a command inside the node: its network, mounts, hostname and
 * PIDs (the node's /proc only shows its own PIDs). nsenter forks into the PID namespace, so
 * a signal to it does not reach the command: stop such a command with stopInNode.
 */
export function inNode(c: TestCluster, nodeId: number): string[] {
  return ['nsenter', '-t', String(nodeNsPid(c, nodeId)), '-n', '-m', '-u', '-p', '--'];
}

/** Signals every process of the node whose command line contains `needle`; how many. */
export function signalInNode(c: TestCluster, nodeId: number, needle: string, sig: NodeJS.Signals): number {
  const ino = statSync(`/run/netns/${nodeOf(c, nodeId).netns}`).ino;
  let n = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (statSync(`/proc/${name}/ns/net`).ino !== ino) continue;
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(needle)) continue;
      process.kill(Number(name), sig);
      n++;
    } catch {
      /* gone meanwhile */
    }
  }
  return n;
}
