/**
 * Per-job load from the sampler's process list: each job's processes (ProcInfo.job) give
 * its CPU use and whether it was runnable over the last sample interval, which feeds the
 * decaying average of agent/balance/jobLoad.ts. Used when the migration service's
 * candidates carry no load figure of their own.
 */
import { jobKey, type ProcInfo } from '../../shared/domain/process.js';
import { newJobLoad, observeJob, setJobMode, type JobLoadState, type JobMode } from './jobLoad.js';
import type { DecayParams } from '../../shared/balancing/types.js';

/** CPU-seconds and runnable-seconds per job over `elapsedS`, from one process list. */
export function jobUsage(procs: readonly ProcInfo[], elapsedS: number): Map<string, { cpuS: number; runnableS: number }> {
  const out = new Map<string, { cpuS: number; runnableS: number }>();
  for (const p of procs) {
    if (!p.job) continue;
    const k = jobKey(p.job);
    const u = out.get(k) ?? { cpuS: 0, runnableS: 0 };
    u.cpuS += (Math.max(0, p.cpu) / 100) * elapsedS;
    if (p.state === 'R') u.runnableS += elapsedS;
    out.set(k, u);
  }
  return out;
}

export class JobTracker {
  private readonly jobs = new Map<string, JobLoadState>();
  /** Modes told before the job's first sample: its very first figure already follows them. */
  private readonly modes = new Map<string, JobMode>();
  private lastAt: number | undefined;

  /** Feeds one process list taken at `now` (ms); jobs no longer seen are forgotten. */
  observe(procs: readonly ProcInfo[], now: number, decay: DecayParams): void {
    const elapsedS = this.lastAt === undefined ? 0 : Math.min(10, Math.max(0, (now - this.lastAt) / 1000));
    this.lastAt = now;
    const usage = jobUsage(procs, elapsedS);
    for (const k of [...this.jobs.keys()]) if (!usage.has(k)) this.jobs.delete(k);
    for (const k of [...this.modes.keys()]) if (!usage.has(k) && !this.jobs.has(k)) this.modes.delete(k);
    const fresh = (k: string) => newJobLoad(this.modes.get(k));
    if (elapsedS === 0) {
      for (const k of usage.keys()) if (!this.jobs.has(k)) this.jobs.set(k, fresh(k));
      return;
    }
    for (const [k, u] of usage) {
      const s = this.jobs.get(k) ?? fresh(k);
      this.jobs.set(k, observeJob(s, { cpuS: u.cpuS, runnableS: u.runnableS, elapsedS }, decay));
    }
  }

  /** The job's mode as its runner set it (cpujob, iojob, ...): changes how it decays from now on. */
  setMode(key: string, mode: JobMode): void {
    this.modes.set(key, mode);
    const s = this.jobs.get(key);
    if (s && s.mode !== mode) this.jobs.set(key, setJobMode(s, mode));
  }

  load(key: string): number {
    return this.jobs.get(key)?.load ?? 0;
  }

  get size(): number {
    return this.jobs.size;
  }
}
