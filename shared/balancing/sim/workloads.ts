/** The benchmark's workload shapes, each generated from a seed. */
import { exponential, pareto, pick, seededRng } from '../rng.js';
import type { SimJobSpec, SimNodeSpec, SimNoise, Workload } from './model.js';

const GB = 1024 * 1024;

function equalNodes(n: number, speed = 10000): SimNodeSpec[] {
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, speed, cpus: 1, memTotalKb: 4 * GB }));
}

function uniform(r: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * r();
}

/** Memory of a job: 20..200 MB, so freezes last about 0.3..2.1 s at 100 MB/s. */
function memKb(r: () => number): number {
  return Math.round(uniform(r, 20, 200) * 1024);
}

/** 8 CPU-bound jobs started at once on node 1 of 4 equal nodes (the test). */
export function burst(seed: number, jobs = 8): Workload {
  const r = seededRng(seed);
  const js: SimJobSpec[] = Array.from({ length: jobs }, (_, i) => ({ id: i + 1, home: 1, arrival: 0, work: Math.round(uniform(r, 60, 180)), memKb: memKb(r) }));
  return { name: 'burst', description: `${jobs} jobs (60-180 s) started at once on node 1 of 4 equal nodes`, nodes: equalNodes(4), jobs: js };
}

/** Poisson arrivals at random nodes, ~70% of capacity, exponential sizes (mean 30 s). */
export function poisson(seed: number, jobs = 60): Workload {
  const r = seededRng(seed);
  const nodes = equalNodes(4);
  const meanWork = 30;
  const gap = meanWork / (0.7 * nodes.length);
  let t = 0;
  const js: SimJobSpec[] = [];
  for (let i = 1; i <= jobs; i++) {
    js.push({ id: i, home: pick(r, nodes).id, arrival: Math.round(t * 10) / 10, work: Math.max(1, Math.round(exponential(r, meanWork))), memKb: memKb(r) });
    t += exponential(r, gap);
  }
  return { name: 'poisson', description: `${jobs} jobs, Poisson arrivals at random nodes of 4, ~70% load, exponential sizes (mean ${meanWork} s)`, nodes, jobs: js };
}

/** Pareto sizes (alpha 1.5, from 10 s, capped at 1200 s), arriving in bursts on random nodes. */
export function heavyTail(seed: number, jobs = 40): Workload {
  const r = seededRng(seed);
  const nodes = equalNodes(4);
  let t = 0;
  const js: SimJobSpec[] = [];
  for (let i = 1; i <= jobs; i++) {
    js.push({ id: i, home: pick(r, nodes).id, arrival: Math.round(t * 10) / 10, work: Math.round(Math.min(1200, pareto(r, 10, 1.5))), memKb: memKb(r) });
    t += exponential(r, 8);
  }
  return { name: 'heavy-tail', description: `${jobs} jobs, Pareto sizes (alpha 1.5, 10-1200 s), Poisson arrivals (mean gap 8 s) at random nodes of 4`, nodes, jobs: js };
}

/** Mixed nodes (one 2x speed, one with 2 CPUs) and a burst of 10 jobs on the slow node 1. */
export function heterogeneous(seed: number, jobs = 10): Workload {
  const r = seededRng(seed);
  const nodes: SimNodeSpec[] = [
    { id: 1, speed: 10000, cpus: 1, memTotalKb: 4 * GB },
    { id: 2, speed: 10000, cpus: 1, memTotalKb: 4 * GB },
    { id: 3, speed: 10000, cpus: 2, memTotalKb: 8 * GB },
    { id: 4, speed: 20000, cpus: 1, memTotalKb: 4 * GB },
  ];
  const js: SimJobSpec[] = Array.from({ length: jobs }, (_, i) => ({ id: i + 1, home: 1, arrival: 0, work: Math.round(uniform(r, 60, 180)), memKb: memKb(r) }));
  return { name: 'heterogeneous', description: `${jobs} jobs (60-180 s) at once on node 1; nodes: 1x1, 1x1, 2 CPUs x1, 1x2 speed`, nodes, jobs: js };
}

export const SHAPES: readonly ((seed: number) => Workload)[] = [burst, poisson, heavyTail, heterogeneous];

/**
 * Issue 13's noise: bursts of 1-2 unmovable runnable processes lasting 0.5-3 s, a mean 4 s
 * apart, on nodes 2-4, and on every node a one-in-four chance per sample that some process
 * (ssh, ps, cron) is runnable at the sampling instant.
 */
export const NOISY: SimNoise = Object.freeze({ burstNodes: [2, 3, 4], meanGapS: 4, burstS: [0.5, 3], tasks: [1, 2], blip: 0.25 }) as SimNoise;

/** The cluster and noise of noisyHogs, in words (the benchmark's heading). */
export const NOISY_SETTING =
  '4 equal 1-CPU nodes, otherwise idle; bursts of 1-2 unmovable processes (0.5-3 s, mean gap 4 s) on nodes 2-4, a runnable process at 1 sample in 4 on every node';

/** `hogs` CPU-bound jobs that outlive the run, started on node 1 of 4 equal nodes, with NOISY background work. */
export function noisyHogs(seed: number, hogs: number): Workload {
  const r = seededRng(seed);
  const js: SimJobSpec[] = Array.from({ length: hogs }, (_, i) => ({ id: i + 1, home: 1, arrival: 0, work: 100_000, memKb: memKb(r) }));
  return {
    name: `noisy-${hogs}-hog${hogs === 1 ? '' : 's'}`,
    description: `${hogs} CPU hog${hogs === 1 ? '' : 's'} started on node 1; ${NOISY_SETTING}`,
    nodes: equalNodes(4),
    jobs: js,
    noise: NOISY,
  };
}
