/**
 * Where a start-up run's CPU went, by kind of process: the machine's total from /proc/stat,
 * and each process's own time plus that of the children it reaped (an sshd's sessions, a
 * daemon's speed checks), grouped by what it is. The nodes' PID namespaces lie below the
 * host's, so their daemons and sshds are seen here too. On 2 cores a cold start of 16 nodes
 * is CPU-bound: this says which part of it is whose.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const CPU_GROUPS = ['agents', 'gui', 'chromium', 'sshd'] as const;
export type CpuGroup = (typeof CPU_GROUPS)[number] | 'other';

export interface ProcCpu {
  group: CpuGroup;
  /** Own user + system time plus that of reaped children, ms. */
  ms: number;
}

export interface CpuSnapshot {
  procs: Map<number, ProcCpu>;
  /** All CPUs' busy time (user, nice, system, irq, softirq), ms. */
  machineMs: number;
}

/** What a process is, by its command name and command line. */
export function groupOf(comm: string, cmdline: string): CpuGroup {
  if (comm.startsWith('chrom')) return 'chromium';
  if (comm === 'sshd') return 'sshd';
  if (cmdline.includes('headless.cjs')) return 'gui';
  // A daemon, an attach relay, or a daemon's speed check (`node - STATEDIR`).
  if (cmdline.includes('mosixview-agent') || /^\S+ - \//.test(cmdline)) return 'agents';
  return 'other';
}

/** Own and reaped children's CPU of one /proc/PID/stat line, ms. */
export function statCpuMs(line: string, ticksPerSecond = 100): number | undefined {
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return Number.isFinite(ticks) ? (ticks * 1000) / ticksPerSecond : undefined;
}

/** The busy time of the first line of /proc/stat, ms. */
export function machineBusyMs(procStat: string, ticksPerSecond = 100): number {
  const f = procStat.split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((f[0]! + f[1]! + f[2]! + f[5]! + f[6]!) * 1000) / ticksPerSecond;
}

export function cpuSnapshot(): CpuSnapshot {
  const procs = new Map<number, ProcCpu>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const line = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ms = statCpuMs(line);
      const comm = line.slice(line.indexOf('(') + 1, line.lastIndexOf(')'));
      const cmdline = readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (ms !== undefined) procs.set(Number(d), { group: groupOf(comm, cmdline), ms });
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
  const out: Record<CpuGroup | 'machine', number> = { machine: after.machineMs - before.machineMs, agents: 0, gui: 0, chromium: 0, sshd: 0, other: 0 };
  for (const [pid, p] of after.procs) out[p.group] += Math.max(0, p.ms - (before.procs.get(pid)?.ms ?? 0));
  return out;
}
