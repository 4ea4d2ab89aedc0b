/**
 * Runnable time over an interval, the arithmetic of the node's demand (docs/LOAD-MODEL.md):
 * a process counts the CPU time it used plus the time its threads waited on a run queue,
 * divided by the interval; processes that ended between samples count the CPU time they
 * left in their reaper's children times.
 */
/** Cumulative time on a run queue (ns) of each thread of one process, by TID. */
export type ThreadWaits = Map<number, number>;

/**
 * Waiting (ns) of a process's threads since `base`, each thread at most `capNs`: a thread
 * cannot wait longer than the interval, and the sampler's pass over /proc is not an instant.
 */
export function waitSince(now: ThreadWaits, base: ThreadWaits, capNs: number): number {
  let sum = 0;
  for (const [tid, w] of now) {
    const b = base.get(tid);
    // Not in the base: a thread started since. Below its base: a new thread that took the TID of
    // one that ended. Either way all its waiting falls in the interval.
    sum += Math.min(capNs, b === undefined || w < b ? w : w - b);
  }
  return sum;
}

/**
 * One process's demand: CPU-seconds used plus seconds waited, per second. At most one per
 * live thread, unless the CPU time itself says more (threads that ended kept theirs there).
 */
export function processDemand(cpuPerSec: number, waitPerSec: number, threads: number): number {
  return Math.min(cpuPerSec + waitPerSec, Math.max(1, threads, cpuPerSec));
}

/**
 * CPU-seconds per second of processes that ended in the interval. A reaped process adds its
 * whole life's CPU time (and its reaped children's) to its reaper's cutime + cstime; what the
 * sampler already counted while it lived (its ticks and children ticks at the last sample) is
 * taken off. `gainedSec`: growth of the children times of all live processes (all of it for
 * one that started in the interval); `goneSec`: the ended processes' CPU time + children
 * time at their last sample, both in CPU-seconds. Never below 0 (a process reaped by nobody we see, or reaped without
 * a wait, leaves no trace) and never above `roomCpus`, what the node's CPUs had left over: a
 * child reaped during the pass can show in its reaper while it still counted as alive.
 */
export function endedWork(gainedSec: number, goneSec: number, dtSec: number, roomCpus: number): number {
  if (!(dtSec > 0)) return 0;
  const perSec = Math.max(0, gainedSec - goneSec) / dtSec;
  return Math.min(perSec, Math.max(0, roomCpus));
}
