/**
 * The kernel's view of one test node's load, for comparing with what its agent reads, and a
 * reader of the agent's samples that adds no process to the node.
 *
 * Kernel's view: every process of the node but its agent goes into a cgroup (v2) of its own,
 * whose cpu.stat counts their CPU time, ended processes included; the agent's own CPU time is
 * taken off, as the agent leaves itself out of its figures (its children stay in). The node's
 * processes run at real-time priority (SCHED_RR 1, inherited by everything they start), so on
 * a machine shared with the rest of the test run they get a CPU when they are runnable, as on
 * an idle node: their runnable time is then their CPU time. cpu.pressure's "some" is kept to
 * show that they did not wait.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { RpcEndpoint } from '../../shared/rpc/rpcEndpoint.js';
import type { AgentEvents, AgentRequests } from '../../shared/protocol/agent.js';
import type { NodeSample } from '../../shared/domain/node.js';
import { smoothLoad } from '../../shared/loadFigures.js';
import { netnsPids } from '../cluster/sys.js';
import type { TestCluster } from '../cluster/testCluster.js';
import { agentDaemonPid } from './jobs.js';

const CGROUP2 = '/sys/fs/cgroup/unified';

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** CPU seconds of a process, all its threads (schedstat: ns, not 10 ms ticks). */
function processCpuSec(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(read(`/proc/${pid}/task/${tid}/schedstat`).split(' ')[0] || 0);
  return ns / 1e9;
}

export interface KernelWindow {
  /** CPU-seconds per second of the node's processes, the agent's own left out. */
  cpu: number;
  /** Seconds per second during which at least one of them waited for a CPU. */
  someWait: number;
  seconds: number;
  /** The same, second by second. */
  perSecond: number[];
  someWaitPerSecond: number[];
}

/**
 * The kernel's per-second figures through openMosix's smoothing (rises at once, falls by
 * 7/8 a second), from the node's own load at the start: what an exact sampler would read.
 */
export function smoothed(perSecond: number[], start: number): number[] {
  let l = start;
  return perSecond.map((d) => (l = smoothLoad(l, d)));
}

export class NodeKernelView {
  private constructor(
    private readonly dir: string,
    private readonly agentPid: number,
  ) {}

  /** Moves node `nodeId`'s processes into a new cgroup and gives them real-time priority. */
  static async take(c: TestCluster, nodeId: number): Promise<NodeKernelView> {
    const node = c.nodes.find((n) => n.id === nodeId)!;
    const agentPid = agentDaemonPid(c, nodeId);
    if (!agentPid) throw new Error(`node ${nodeId} runs no agent daemon`);
    const dir = join(CGROUP2, `${node.netns}-load`);
    mkdirSync(dir, { recursive: true });
    const pids = await netnsPids(node.netns);
    for (const pid of pids) {
      try {
        writeFileSync(join(dir, 'cgroup.procs'), String(pid));
        execFileSync('chrt', ['-a', '-r', '-p', '1', String(pid)], { stdio: 'ignore' });
      } catch {
        /* ended meanwhile */
      }
    }
    return new NodeKernelView(dir, agentPid);
  }

  private count() {
    const usage = /usage_usec (\d+)/.exec(read(join(this.dir, 'cpu.stat')));
    const some = /some .*total=(\d+)/.exec(read(join(this.dir, 'cpu.pressure')));
    if (!usage || !some) throw new Error(`no cpu.stat or cpu.pressure in ${this.dir}`);
    return { cpu: Number(usage[1]) / 1e6 - processCpuSec(this.agentPid), some: Number(some[1]) / 1e6, t: performance.now() };
  }

  /** Runs `during` and returns the kernel's count over it, in total and second by second. */
  async over(during: () => Promise<void>): Promise<KernelWindow> {
    const a = this.count();
    const perSecond: number[] = [];
    const someWaitPerSecond: number[] = [];
    let last = a;
    const timer = setInterval(() => {
      const now = this.count();
      perSecond.push((now.cpu - last.cpu) / ((now.t - last.t) / 1000));
      someWaitPerSecond.push((now.some - last.some) / ((now.t - last.t) / 1000));
      last = now;
    }, 1000);
    try {
      await during();
    } finally {
      clearInterval(timer);
    }
    const b = this.count();
    const seconds = (b.t - a.t) / 1000;
    return { cpu: (b.cpu - a.cpu) / seconds, someWait: (b.some - a.some) / seconds, seconds, perSecond, someWaitPerSecond };
  }

  /** Back to ordinary priority and the root cgroup, for the tests that follow on this cluster. */
  release(): void {
    for (const pid of read(join(this.dir, 'cgroup.procs')).split('\n').filter(Boolean)) {
      try {
        execFileSync('chrt', ['-a', '-o', '-p', '0', pid], { stdio: 'ignore' });
        writeFileSync(join(CGROUP2, 'cgroup.procs'), pid);
      } catch {
        /* ended meanwhile */
      }
    }
    try {
      rmdirSync(this.dir);
    } catch {
      /* a process started during release; the cluster's teardown ends it and the cgroup stays empty */
    }
  }
}

/** The node's samples as its agent publishes them, read over its unix socket from outside the node. */
export async function subscribeSamples(c: TestCluster, nodeId: number): Promise<{ samples: NodeSample[]; close(): void }> {
  const node = c.nodes.find((n) => n.id === nodeId)!;
  const sock: Socket = connect(join(node.stateDir, 'agent.sock'));
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  const ep = new RpcEndpoint<AgentRequests, Record<never, never>, Record<never, never>, AgentEvents>((l) => sock.write(l), {}, { timeoutMs: 10_000 });
  sock.on('data', (d: Buffer) => ep.receive(d));
  const samples: NodeSample[] = [];
  ep.on('sample', (s) => samples.push(s));
  await ep.request('subscribe', { intervalMs: 1000 });
  return { samples, close: () => sock.destroy() };
}

export const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
