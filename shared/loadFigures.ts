/**
 * The load figures the main window shows, defined once for agent and renderer.
 * docs/LOAD-MODEL.md explains them.
 */
import { STANDARD_SPEED, type DemandSource, type NodeSample, type NodeView, type SpeedSource } from './domain/node.js';

/** openMosix's exported load: rises at once, falls slowly (an upper estimate). */
export function smoothLoad(previous: number, sample: number): number {
  return sample >= previous ? sample : (7 * previous + sample) / 8;
}

/** Load bar %: exported load per CPU; 100% = every CPU has one runnable task. */
export function loadPercent(s: Pick<NodeSample, 'load' | 'cpus'>): number {
  return loadPercentOf(s.load, s.cpus);
}

/** loadPercent of the two numbers: no object for a caller that has them apart (a day of summaries decodes 180,000 pairs). */
export function loadPercentOf(load: number, cpus: number): number {
  return cpus > 0 ? (100 * load) / cpus : 0;
}

/** Load normalised by CPUs and by speed relative to the standard speed 10000. */
export function normalisedLoad(s: Pick<NodeSample, 'load' | 'cpus' | 'speed'>): number {
  if (s.cpus <= 0 || s.speed <= 0) return 0;
  return (s.load / s.cpus) * (STANDARD_SPEED / s.speed);
}

/** Memory bar %: used share of total (total - available). */
export function memoryUsedPercent(s: Pick<NodeSample, 'mem'>): number {
  const { totalKb, availableKb } = s.mem;
  return totalKb > 0 ? Math.min(100, Math.max(0, (100 * (totalKb - availableKb)) / totalKb)) : 0;
}

/**
 * Balance efficiency (the main window's "N% balanced"), docs/LOAD-MODEL.md: of the runnable
 * tasks that could have a CPU somewhere in the cluster, min(sum L, sum c), the share that
 * has one where it is, sum min(L, c), in %. A cluster where no task waits for a CPU is
 * balanced, however its idle nodes' loads jitter; undefined without nodes.
 */
export function balanceEfficiency(nodes: readonly Pick<NodeSample, 'load' | 'cpus'>[]): number | undefined {
  if (nodes.length === 0) return undefined;
  let tasks = 0;
  let cpus = 0;
  let running = 0;
  for (const n of nodes) {
    const load = Math.max(0, n.load);
    tasks += load;
    cpus += n.cpus;
    running += Math.min(load, n.cpus);
  }
  const couldRun = Math.min(tasks, cpus);
  return couldRun <= 1e-9 ? 100 : Math.min(100, (100 * running) / couldRun);
}

export function clusterEfficiency(nodes: readonly NodeView[]): number | undefined {
  const up: NodeSample[] = [];
  for (const n of nodes) if (n.status === 'up' && n.sample) up.push(n.sample);
  return balanceEfficiency(up);
}

/** How a node's speed came about, in the configuration window and `mosctl status`. */
export function speedSourceLabel(s: SpeedSource): string {
  return s === 'admin' ? 'set by the admin' : s === 'provisional' ? 'provisional: being calibrated' : 'calibrated';
}

/** Where a node's demand comes from, in `mosctl status`. */
export function demandSourceLabel(s: DemandSource): string {
  return s === 'schedstat'
    ? 'runnable time of each process over each second (/proc/PID/schedstat)'
    : 'processes runnable at the instant of each sample (this kernel has no /proc/PID/schedstat)';
}

export function formatKb(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GB`;
  if (kb >= 1024) return `${Math.round(kb / 1024)} MB`;
  return `${kb} kB`;
}
