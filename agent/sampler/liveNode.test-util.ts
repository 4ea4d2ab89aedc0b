/**
 * A small "node" on this machine for live sampler tests: a PID namespace (its own /proc, so
 * the sampler sees only the node's processes, as on the test cluster) inside a cgroup of its
 * own, whose CPU time and CPU pressure are the kernel's view of the same processes. Needs root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where cgroup v2 is mounted: /sys/fs/cgroup on a pure v2 system, .../unified on a hybrid one. */
function cgroup2Root(): string {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (dash > 0 && f[dash + 1] === 'cgroup2' && f[4]) return f[4];
  }
  throw new Error('no cgroup2 mount on this machine: the live sampler tests compare with a cgroup\'s cpu.stat');
}

/** The kernel's own count for a group of tasks, ended ones included, in seconds. */
export interface KernelCount {
  /** CPU time of every task that ran in the group (cpu.stat usage_usec). */
  cpuSec: number;
  /** Time during which at least one of them waited for a CPU (cpu.pressure "some" total). */
  someWaitSec: number;
}

export class LiveNode {
  private constructor(
    readonly cgroup: string,
    private readonly child: ChildProcess,
    /** PID (here) of the namespace's init. */
    readonly initPid: number,
  ) {}

  /** /proc of the node, for Sampler's procRoot. */
  get procRoot(): string {
    return `/proc/${this.initPid}/root`;
  }

  /**
   * Runs `script` (sh) as the init of a new PID namespace. `realtime`: every task of the node
   * runs at SCHED_RR priority 1, ahead of the machine's other (ordinary) tasks.
   */
  static async start(script: string, opts: { realtime?: boolean } = {}): Promise<LiveNode> {
    if (process.getuid?.() !== 0) throw new Error('the live sampler tests need root (a PID namespace and a cgroup): run them as root');
    const cgroup = join(cgroup2Root(), `mvsampler-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(cgroup);
    const rt = opts.realtime ? 'chrt -r 1 ' : '';
    // Joins the cgroup before unshare forks, so nothing of the node runs outside it.
    const child = spawn('sh', ['-c', `echo $$ > ${cgroup}/cgroup.procs && exec ${rt}unshare --pid --fork --mount-proc --kill-child sh -c "$0"`, script], {
      stdio: 'ignore',
    });
    let initPid = 0;
    for (let i = 0; i < 100 && !initPid; i++) {
      await sleep(20);
      const kids = child.pid ? readOr(`/proc/${child.pid}/task/${child.pid}/children`).trim() : '';
      // `sh -c` has exec'd chrt/unshare by now once it has a child: that child is the init.
      if (kids && readOr(`/proc/${child.pid}/comm`).trim() === 'unshare') initPid = Number(kids.split(' ')[0]);
    }
    const node = new LiveNode(cgroup, child, initPid);
    if (!initPid) {
      await node.stop();
      throw new Error(`could not start a PID namespace (unshare${opts.realtime ? ', chrt' : ''} missing?)`);
    }
    return node;
  }

  count(): KernelCount {
    const usage = /usage_usec (\d+)/.exec(readOr(join(this.cgroup, 'cpu.stat')));
    const some = /some .*total=(\d+)/.exec(readOr(join(this.cgroup, 'cpu.pressure')));
    if (!usage || !some) throw new Error(`no cpu.stat or cpu.pressure in ${this.cgroup}`);
    return { cpuSec: Number(usage[1]) / 1e6, someWaitSec: Number(some[1]) / 1e6 };
  }

  /** Kills every task of the node and removes its cgroup. */
  async stop(): Promise<void> {
    if (existsSync(join(this.cgroup, 'cgroup.kill'))) writeFileSync(join(this.cgroup, 'cgroup.kill'), '1');
    this.child.kill('SIGKILL');
    for (let i = 0; i < 100; i++) {
      try {
        rmdirSync(this.cgroup);
        return;
      } catch {
        await sleep(20); // busy until its last task is gone
      }
    }
    throw new Error(`cgroup ${this.cgroup} still has tasks after kill`);
  }
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
