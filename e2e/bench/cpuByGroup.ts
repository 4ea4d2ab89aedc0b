/**
 * Where a start-up run's CPU went, by kind of process: the machine's total from /proc/stat,
 * and each process's own time plus that of the children it reaped (an sshd's sessions, a
 * daemon's speed checks, counted with the checks), grouped by what it is. The nodes' PID namespaces lie below the
 * host's, so their daemons and sshds are seen here too. On 2 cores a cold start of 16 nodes
 * is CPU-bound: this says which part of it is whose.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const CPU_GROUPS = ['daemons', 'speedChecks', 'gui', 'chromium', 'sshd'] as const;
export type CpuGroup = (typeof CPU_GROUPS)[number] | 'other';

export interface ProcCpu {
  group: CpuGroup;
  /** Own user + system time plus that of reaped children, ms. */
  ms: number;
}

export interface CpuSnapshot {
  /** By PID; a daemon's reaped children (its finished speed checks) under `PID/reaped`. */
  procs: Map<string, ProcCpu>;
  /** All CPUs' busy time (user, nice, system, irq, softirq), ms. */
  machineMs: number;
}

/** What a process is, by its command name and command line. */
export function groupOf(comm: string, cmdline: string): CpuGroup {
  if (comm.startsWith('chrom')) return 'chromium';
  if (comm === 'sshd') return 'sshd';
  if (cmdline.includes('headless.cjs')) return 'gui';
  // A daemon's speed check is `node - STATEDIR` (agent/speed/speedWorker.ts).
  if (/^\S+ - \//.test(cmdline)) return 'speedChecks';
  // A daemon or an attach relay.
  if (cmdline.includes('mosixview-agent')) return 'daemons';
  return 'other';
}

/** Own and reaped children's CPU of one /proc/PID/stat line, ms. */
export function statCpuMs(line: string, ticksPerSecond = 100): number | undefined {
  const parts = statCpuParts(line, ticksPerSecond);
  return parts && parts.own + parts.reaped;
}

/** Own CPU and that of reaped children, apart, of one /proc/PID/stat line, ms. */
export function statCpuParts(line: string, ticksPerSecond = 100): { own: number; reaped: number } | undefined {
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ').map(Number);
  const own = f[11]! + f[12]!;
  const reaped = f[13]! + f[14]!;
  return Number.isFinite(own + reaped) ? { own: (own * 1000) / ticksPerSecond, reaped: (reaped * 1000) / ticksPerSecond } : undefined;
}

/** The busy time of the first line of /proc/stat, ms. */
export function machineBusyMs(procStat: string, ticksPerSecond = 100): number {
  const f = procStat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((f[0]! + f[1]! + f[2]! + f[5]! + f[6]!) * 1000) / ticksPerSecond;
}

export function cpuSnapshot(): CpuSnapshot {
  const procs = new Map<string, ProcCpu>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const line = readFileSync(`/proc/${d}/stat`, 'utf8');
      const parts = statCpuParts(line);
      const comm = line.slice(line.indexOf('(') + 1, line.lastIndexOf(')'));
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!parts) continue;
      const group = groupOf(comm, cmdline);
      // What a daemon reaped is its speed checks, which should count as such once finished.
      if (group === 'daemons') {
        procs.set(d, { group, ms: parts.own });
        procs.set(`${d}/reaped`, { group: 'speedChecks', ms: parts.reaped });
      } else procs.set(d, { group, ms: parts.own + parts.reaped });
    } catch {
      // Ended while we looked.
    }
  }
  return { procs, machineMs: machineBusyMs(readFileSync('/proc/stat', 'utf8')) };
}

/**
 * CPU spent between two snapshots, by group: a process seen in both counts its growth, a new
 * one all of its time. A process that began and ended in between counts where it was reaped.
 */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): Record<CpuGroup | 'machine', number> {
  const out: Record<CpuGroup | 'machine', number> = { machine: after.machineMs - before.machineMs, daemons: 0, speedChecks: 0, gui: 0, chromium: 0, sshd: 0, other: 0 };
  for (const [pid, p] of after.procs) out[p.group] += Math.max(0, p.ms - (before.procs.get(pid)?.ms ?? 0));
  return out;
}
