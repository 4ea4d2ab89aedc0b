/**
 * The node sampler: one pass over the processes this node can see gives the node's
 * sample and its process list. Load and utilisation come from the processes, not from
 * /proc/loadavg or /proc/stat: on the test cluster every node is a PID namespace on one
 * shared kernel, so those global files would be the same on every node.
 */
import { cpus as osCpus, hostname } from 'node:os';
import type { DemandSource, NodeSample, SpeedSource } from '../../shared/domain/node.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import { smoothLoad } from '../../shared/loadFigures.js';
import { cgroupPlace, nodeCpus, nodeMemory } from './cgroup.js';
import { NodeIoSampler } from './nodeIo.js';
import { ProcReader } from './procfs.js';
import { isKernelThread } from './procText.js';
import { endedWork, processDemand, waitSince, type ThreadWaits } from './runnable.js';

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
  /** Whether that speed was calibrated or set by the admin. */
  speedSource?: () => SpeedSource;
  /** Clock in ms; also times the interval between samples when given. */
  now?: () => number;
}

interface Seen {
  pid: number;
  /** utime + stime, and cutime + cstime, at the last sample (clock ticks). */
  ticks: number;
  childTicks: number;
  user: string;
  /**
   * Each thread's cumulative waiting at the last read of its schedstat. Empty for a process
   * that started after the sample before it was first seen (all its waiting is new);
   * undefined when no read has set a base yet.
   */
  waits?: ThreadWaits;
  /** It ran or waited in the last interval: read it again even if it looks idle now. */
  active: boolean;
}

const NO_THREADS: ThreadWaits = new Map();

export class Sampler {
  private readonly reader: ProcReader;
  private readonly io: NodeIoSampler;
  private readonly selfPids: () => number[];
  private readonly speed: () => number;
  private readonly speedSource: (() => SpeedSource) | undefined;
  private readonly wallClock: () => number;
  /** Monotonic unless a clock is injected, so wall-clock steps cannot distort cpu %. */
  private readonly monoClock: () => number;
  /** Per process, keyed by pid + starttime so a reused PID starts with no history. */
  private seen = new Map<string, Seen>();
  private lastMono: number | undefined;
  private lastLoad: number | undefined;
  /** Decided by the first sample that sees a process: does this kernel have schedstat? */
  private source: DemandSource | undefined;

  constructor(opts: SamplerOptions) {
    this.reader = new ProcReader(opts.procRoot ?? '/');
    this.io = new NodeIoSampler(this.reader);
    this.selfPids = opts.selfPids ?? (() => []);
    this.speed = opts.speed;
    this.speedSource = opts.speedSource;
    this.wallClock = opts.now ?? Date.now;
    this.monoClock = opts.now ?? (() => performance.now());
  }

  sample(): { sample: NodeSample; procs: ProcInfo[] } {
    const r = this.reader;
    const t = this.wallClock();
    const mono = this.monoClock();
    const first = this.lastMono === undefined;
    const dtSec = first ? 0 : (mono - this.lastMono!) / 1000;
    const capNs = dtSec * 1e9;
    // Read where the interval is timed: the process walk below takes longer with more processes.
    const io = this.io.sample(dtSec);
    const users = r.users();
    const self = new Set(this.selfPids());
    const next = new Map<string, Seen>();
    const procs: ProcInfo[] = [];
    // Until the first sample has looked, every process is read to find out.
    const timed = this.source !== 'state';
    let readSched = false;
    // Both estimates are summed; which one is the node's is known after the loop.
    let demandTimed = 0;
    let demandNow = 0;
    let busy = 0;
    let gainedChildTicks = 0;
    const vanished = new Set<number>();

    for (const pid of r.listPids()) {
      const st = r.stat(pid);
      const args = st && r.cmdline(pid);
      if (!st || args === undefined) {
        vanished.add(pid); // ending right now: see the accounting of ended processes below
        continue;
      }
      if (isKernelThread(st, args)) continue;

      const key = `${pid}:${st.starttime}`;
      const ticks = st.utime + st.stime;
      const childTicks = st.cutime + st.cstime;
      const prev = this.seen.get(key);
      let user = prev?.user;
      if (user === undefined) {
        // Owner never changes for our purposes, so status is read once per process.
        const status = r.status(pid);
        if (!status) continue;
        user = status.uid === undefined ? '?' : (users.get(status.uid) ?? String(status.uid));
      }

      // A process not seen last time started after that sample, so all its ticks fall
      // inside the interval. On the very first sample there is no interval at all.
      let cpuPerSec = 0;
      if (!first) {
        cpuPerSec = Math.max(0, ticks - (prev?.ticks ?? 0)) / CLOCK_TICKS_PER_SECOND / dtSec;
        gainedChildTicks += Math.max(0, childTicks - (prev?.childTicks ?? 0));
      }

      let waits = prev ? prev.waits : first ? undefined : NO_THREADS;
      let waitPerSec = 0;
      const isSelf = self.has(pid);
      // Reading every thread's schedstat every second would cost; one that used no CPU and is
      // not runnable has nothing to add, and its base stays, so no waiting is ever lost.
      if (timed && !isSelf && (first || st.state === 'R' || cpuPerSec > 0 || prev?.active)) {
        const now = r.threadWaits(pid, st.threads);
        if (now) {
          readSched = true;
          if (waits && !first) waitPerSec = waitSince(now, waits, capNs) / 1e9 / dtSec;
          waits = now;
        }
      }
      next.set(key, { pid, ticks, childTicks, user, waits, active: cpuPerSec > 0 || waitPerSec > 0 });

      if (!isSelf) {
        const runnableNow = st.state === 'R' ? 1 : 0;
        // The first sample has no interval to measure (0 until the next: the load rises at once).
        if (!first) demandTimed += processDemand(cpuPerSec, waitPerSec, st.threads);
        demandNow += Math.max(runnableNow, cpuPerSec);
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

    // A process that was listed but could not be read is ending now: its reaper may not show
    // it yet, so it counts as ended only at the next sample.
    let goneTicks = 0;
    for (const [key, s] of this.seen) {
      if (next.has(key)) continue;
      if (vanished.has(s.pid)) next.set(key, s);
      else goneTicks += s.ticks + s.childTicks;
    }
    const place = cgroupPlace(r);
    const cpus = nodeCpus(r, () => osCpus().length, place);
    if (this.source === undefined && procs.length > 0) this.source = readSched ? 'schedstat' : 'state';
    const ended = endedWork(gainedChildTicks / CLOCK_TICKS_PER_SECOND, goneTicks / CLOCK_TICKS_PER_SECOND, dtSec, cpus - busy);
    const demand = (this.source === 'schedstat' ? demandTimed : demandNow) + ended;
    busy += ended;
    this.seen = next;
    this.lastMono = mono;
    const load = this.lastLoad === undefined ? demand : smoothLoad(this.lastLoad, demand);
    this.lastLoad = load;

    return {
      sample: {
        t,
        hostname: hostname(),
        cpus,
        demand: round3(demand),
        load: round3(load),
        util: round1(Math.min(100, (100 * busy) / cpus)),
        mem: nodeMemory(r, place),
        speed: this.speed(),
        ...(this.speedSource ? { speedSource: this.speedSource() } : {}),
        ...(this.source ? { demandSource: this.source } : {}),
        procCount: procs.length,
        ...(io ? { io } : {}),
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
