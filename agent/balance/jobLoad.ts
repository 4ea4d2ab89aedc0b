/**
 * Per-job load statistics (openMosix /proc/hpc/decay, mosrun's cpujob/iojob/nodecay/
 * slowdecay/fastdecay). A job's load is a decaying average of the CPU demand it showed,
 * in the units of NodeSample.demand (1 = one runnable task), so that a job's load and its
 * node's load can be added and subtracted. Formulas: docs/LOAD-MODEL.md, "Per-job load".
 */
import { DEFAULT_DECAY, type DecayParams } from '../../shared/balancing/types.js';

/** Per-job load mode: mosrun's cpujob, iojob, nodecay, slowdecay and fastdecay. */
export type JobMode = 'cpujob' | 'iojob' | 'nodecay' | 'slowdecay' | 'fastdecay';

export interface JobLoadState {
  mode: JobMode;
  /** The decaying average, in runnable-task units (1.0 = keeps one CPU busy). */
  load: number;
  /** False until the first full interval: a new job has no history to decay. */
  primed: boolean;
  /** Usage accumulated since the last decay step. */
  pendingCpuS: number;
  pendingRunnableS: number;
  pendingS: number;
}

/** What the sampler saw of a job over some wall-clock time. */
export interface JobUsage {
  /** CPU-seconds the job used (all its threads). */
  cpuS: number;
  /** Seconds it was runnable (running or waiting for a CPU). */
  runnableS: number;
  /** Wall-clock seconds observed. */
  elapsedS: number;
}

export function newJobLoad(mode: JobMode = 'slowdecay'): JobLoadState {
  return { mode, load: 0, primed: false, pendingCpuS: 0, pendingRunnableS: 0, pendingS: 0 };
}

/** The factor d applied once per decay interval: 1 means the statistics never change. */
export function decayFactor(mode: JobMode, p: DecayParams = DEFAULT_DECAY): number {
  if (mode === 'nodecay') return 1;
  return (mode === 'fastdecay' ? p.fast : p.slow) / 1000;
}

/** One decay step: the old average keeps weight d, the new interval's sample 1 - d. */
export function decayStep(load: number, sample: number, d: number): number {
  return d * load + (1 - d) * sample;
}

/**
 * The interval's sample u: demand per second, max(cpu, runnable) / elapsed, because a
 * CPU-bound job sharing a CPU uses little CPU but still counts as one runnable task.
 * A cpujob counts fully (at least 1) whatever it was seen doing.
 */
export function usageSample(mode: JobMode, cpuS: number, runnableS: number, elapsedS: number): number {
  const u = elapsedS > 0 ? Math.max(0, cpuS, runnableS) / elapsedS : 0;
  return mode === 'cpujob' ? Math.max(1, u) : u;
}

/** Intervals needed for the average to move half way: ln(1/2) / ln(d). */
export function halfLifeIntervals(d: number): number {
  return d >= 1 ? Infinity : d <= 0 ? 0 : Math.log(0.5) / Math.log(d);
}

/**
 * Feeds usage in; every whole decay interval applies one step (k intervals at once apply
 * d^k). The first interval sets the load to its sample. nodecay keeps the first value.
 */
export function observeJob(s: JobLoadState, usage: JobUsage, p: DecayParams = DEFAULT_DECAY): JobLoadState {
  const next: JobLoadState = {
    ...s,
    pendingCpuS: s.pendingCpuS + Math.max(0, usage.cpuS),
    pendingRunnableS: s.pendingRunnableS + Math.max(0, usage.runnableS),
    pendingS: s.pendingS + Math.max(0, usage.elapsedS),
  };
  const interval = p.intervalS > 0 ? p.intervalS : DEFAULT_DECAY.intervalS;
  // A tiny epsilon so that ten observations of 0.1 s make one 1 s interval despite rounding.
  const k = Math.floor(next.pendingS / interval + 1e-9);
  if (k === 0) return next;
  const u = usageSample(s.mode, next.pendingCpuS, next.pendingRunnableS, next.pendingS);
  const keep = Math.max(0, next.pendingS - k * interval) / next.pendingS;
  next.pendingCpuS *= keep;
  next.pendingRunnableS *= keep;
  next.pendingS = Math.max(0, next.pendingS - k * interval);
  if (!s.primed) {
    next.load = u;
    next.primed = true;
  } else if (s.mode !== 'nodecay') {
    const dk = Math.pow(decayFactor(s.mode, p), k);
    next.load = decayStep(s.load, u, dk);
  }
  return next;
}

/** /proc/hpc/decay/clear: forget the statistics; the next interval starts afresh. */
export function clearJobLoad(s: JobLoadState): JobLoadState {
  return newJobLoad(s.mode);
}

/** Changing mode keeps the statistics: only how they evolve from now on changes. */
export function setJobMode(s: JobLoadState, mode: JobMode): JobLoadState {
  return { ...s, mode };
}

/**
 * The load the balancer uses for a job. An iojob's CPU figure says little about what moving
 * it would gain (its time goes to I/O, which stays tied to its home), so it is never a
 * CPU-balancing candidate; its load still counts in its node's load as the sampler sees it.
 */
export function isCpuCandidate(mode: JobMode): boolean {
  return mode !== 'iojob';
}
