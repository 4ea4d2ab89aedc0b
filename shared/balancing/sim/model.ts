/**
 * Simulator data and metrics. Work is measured in standard CPU-seconds: a job of work W
 * runs W seconds alone on a free CPU of speed STANDARD_SPEED, and W * STANDARD_SPEED / s
 * on one of speed s. docs/LOAD-MODEL.md, "Simulator", states the metrics.
 */
import { STANDARD_SPEED, type NodeId } from '../../domain/node.js';

export interface SimNodeSpec {
  id: NodeId;
  speed: number;
  cpus: number;
  memTotalKb: number;
}

export interface SimJobSpec {
  id: number;
  /** Node the job is started on (its home). */
  home: NodeId;
  /** Arrival time, s. */
  arrival: number;
  /** Work, standard CPU-seconds. */
  work: number;
  memKb: number;
}

/**
 * Unmovable work beside the jobs, as on a node that is also busy with other things: bursts
 * of runnable processes (a CPU loop started over ssh, a compile) on some nodes, and on every
 * node the odd process that happens to be runnable at the sampling instant (ssh, ps, cron).
 */
export interface SimNoise {
  /** Nodes with bursts of unmovable CPU work. */
  burstNodes: NodeId[];
  /** Mean gap between the end of one burst and the start of the next, s (exponential). */
  meanGapS: number;
  /** Burst length, s, uniform in [lo, hi]. */
  burstS: [number, number];
  /** Runnable processes during a burst, a whole number uniform in [lo, hi]. */
  tasks: [number, number];
  /** Chance per node and sample that one more process is runnable at the sampling instant. */
  blip: number;
}

export interface Workload {
  name: string;
  description: string;
  nodes: SimNodeSpec[];
  jobs: SimJobSpec[];
  noise?: SimNoise;
}

export type Policy = 'balance' | 'none' | 'roundrobin';

export interface JobOutcome {
  id: number;
  arrival: number;
  finish: number;
  work: number;
  migrations: number;
  /** Node it finished on. */
  node: NodeId;
}

export interface SimResult {
  workload: string;
  policy: Policy;
  seed: number;
  /** Last finish - first arrival, s. */
  makespan: number;
  lowerBound: number;
  meanSlowdown: number;
  /** Migrations of every job that arrived, finished or not. */
  migrations: number;
  /** Per job that arrived (finished or not): its migrations, by job id. */
  migrationsPerJob: Record<number, number>;
  /** False when the time limit struck before every job finished. */
  complete: boolean;
  /** The jobs that finished. */
  jobs: JobOutcome[];
}

/** Standard CPUs' worth of the node: cpus * speed / STANDARD_SPEED. */
export function capacity(n: Pick<SimNodeSpec, 'cpus' | 'speed'>): number {
  return (n.cpus * n.speed) / STANDARD_SPEED;
}

/**
 * No schedule, however clairvoyant and free of migration cost, finishes sooner than
 *   max( sum W / sum capacity , max_j (a_j - a_min + W_j / f) )
 * with f = fastest single core, max speed / STANDARD_SPEED: the cluster cannot do more
 * than its capacity, and a job cannot run faster than on the fastest core from its arrival.
 */
export function lowerBound(w: Pick<Workload, 'nodes' | 'jobs'>): number {
  if (w.jobs.length === 0 || w.nodes.length === 0) return 0;
  const first = Math.min(...w.jobs.map((j) => j.arrival));
  const total = w.jobs.reduce((a, j) => a + j.work, 0);
  const cap = w.nodes.reduce((a, n) => a + capacity(n), 0);
  const fastest = Math.max(...w.nodes.map((n) => n.speed)) / STANDARD_SPEED;
  const longest = Math.max(...w.jobs.map((j) => j.arrival - first + j.work / fastest));
  return Math.max(total / cap, longest);
}

/**
 * Slowdown of a job: turnaround / W, i.e. against its run time alone on a free standard
 * CPU. 1 is that ideal; below 1 is possible on a node faster than standard.
 */
export function slowdown(j: Pick<JobOutcome, 'arrival' | 'finish' | 'work'>): number {
  return j.work > 0 ? (j.finish - j.arrival) / j.work : 1;
}

export function summarise(w: Workload, policy: Policy, seed: number, jobs: JobOutcome[], complete: boolean, migrationsPerJob: Record<number, number>): SimResult {
  const first = w.jobs.length ? Math.min(...w.jobs.map((j) => j.arrival)) : 0;
  const last = jobs.length ? Math.max(...jobs.map((j) => j.finish)) : first;
  return {
    workload: w.name,
    policy,
    seed,
    makespan: last - first,
    lowerBound: lowerBound(w),
    meanSlowdown: jobs.length ? jobs.reduce((a, j) => a + slowdown(j), 0) / jobs.length : 0,
    migrations: Object.values(migrationsPerJob).reduce((a, b) => a + b, 0),
    migrationsPerJob,
    complete,
    jobs,
  };
}
