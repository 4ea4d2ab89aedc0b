/**
 * The node sampler: one pass over the processes this node can see gives the node's
 * sample and its process list. Load and utilisation come from the processes, not from
 * /proc/loadavg or /proc/stat: on the test cluster every node is a PID namespace on one
 * shared kernel, so those global files would be the same on every node.
 */
import { cpus as osCpus, hostname } from 'node:os';
import type { NodeSample } from '../../shared/domain/node.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import { smoothLoad } from '../../shared/loadFigures.js';
import { nodeCpus, nodeMemory } from './cgroup.js';
import { isKernelThread, ProcReader } from './procfs.js';

/**
 * USER_HZ: the unit of utime/stime in /proc/[pid]/stat. Fixed at 100 by the Linux ABI
 * on every architecture we run on, whatever the kernel's internal HZ, and Node has no
 * sysconf(_SC_CLK_TCK) to ask.
 */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Page size for the rss field. 4 KiB on x86-64 and the usual arm64 kernels; Node cannot
 * ask sysconf(_SC_PAGESIZE). A 16/64 KiB-page kernel would under-report rss.
 */
export const PAGE_SIZE_BYTES = 4096;

export interface SamplerOptions {
  /** Filesystem root holding proc/, sys/fs/cgroup/ and etc/passwd. Default '/'. */
  procRoot?: string;
  /** PIDs to leave out of demand and utilisation: the agent's own. */
  selfPids?: () => number[];
  /** Current openMosix speed of the node. */
  speed: () => number;
  /** Clock in ms; also times the interval between samples when given. */
  now?: () => number;
}

interface Seen {
  ticks: number;
  user: string;
}

export class Sampler {
  private readonly reader: ProcReader;
  private readonly selfPids: () => number[];
  private readonly speed: () => number;
  private readonly wallClock: () => number;
  /** Monotonic unless a clock is injected, so wall-clock steps cannot distort cpu %. */
  private readonly monoClock: () => number;
  /** Per process, keyed by pid + starttime so a reused PID starts with no history. */
  private seen = new Map<string, Seen>();
  private lastMono: number | undefined;
  private lastLoad: number | undefined;

  constructor(opts: SamplerOptions) {
    this.reader = new ProcReader(opts.procRoot ?? '/');
    this.selfPids = opts.selfPids ?? (() => []);
    this.speed = opts.speed;
    this.wallClock = opts.now ?? Date.now;
    this.monoClock = opts.now ?? (() => performance.now());
  }

  sample(): { sample: NodeSample; procs: ProcInfo[] } {
    const r = this.reader;
    const t = this.wallClock();
    const mono = this.monoClock();
    const dtSec = this.lastMono === undefined ? 0 : (mono - this.lastMono) / 1000;
    const users = r.users();
    const self = new Set(this.selfPids());
    const next = new Map<string, Seen>();
    const procs: ProcInfo[] = [];
    let demand = 0;
    let busy = 0;

    for (const pid of r.listPids()) {
      const st = r.stat(pid);
      if (!st) continue; // gone since readdir
      const args = r.cmdline(pid);
      if (args === undefined) continue;
      if (isKernelThread(st, args)) continue;

      const key = `${pid}:${st.starttime}`;
      const ticks = st.utime + st.stime;
      const prev = this.seen.get(key);
      let user = prev?.user;
      if (user === undefined) {
        // Owner never changes for our purposes, so status is read once per process.
        const status = r.status(pid);
        if (!status) continue;
        user = status.uid === undefined ? '?' : (users.get(status.uid) ?? String(status.uid));
      }
      next.set(key, { ticks, user });

      // A process not seen last time started after that sample, so all its ticks fall
      // inside the interval. On the very first sample there is no interval at all.
      let cpuPerSec = 0;
      if (dtSec > 0) cpuPerSec = Math.max(0, ticks - (prev?.ticks ?? 0)) / CLOCK_TICKS_PER_SECOND / dtSec;

      if (!self.has(pid)) {
        demand += Math.max(st.state === 'R' ? 1 : 0, cpuPerSec);
        busy += cpuPerSec;
      }
      procs.push({
        pid,
        ppid: st.ppid,
        user,
        command: st.comm,
        args,
        state: st.state,
        cpu: round1(100 * cpuPerSec),
        rssKb: (st.rssPages * PAGE_SIZE_BYTES) / 1024,
        nice: st.nice,
        where: 0,
      });
    }

    this.seen = next;
    this.lastMono = mono;
    const load = this.lastLoad === undefined ? demand : smoothLoad(this.lastLoad, demand);
    this.lastLoad = load;
    const cpus = nodeCpus(r, osCpus().length);

    return {
      sample: {
        t,
        hostname: hostname(),
        cpus,
        demand: round3(demand),
        load: round3(load),
        util: round1(Math.min(100, (100 * busy) / cpus)),
        mem: nodeMemory(r),
        speed: this.speed(),
        procCount: procs.length,
      },
      procs,
    };
  }
}

// Rounded for the wire and the eye; ticks are 10 ms, so more digits would be noise.
function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
