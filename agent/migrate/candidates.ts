/**
 * The jobs running here as the balancer weighs them: CPU and memory from the last sample,
 * what keeps each from moving (its state and mode, and what the process annotation found:
 * CRIU here missing, too old or broken), and the move that brought it here. A job that just
 * arrived carries the time it started running here, so the node it came to does not send it
 * on at once (docs/LOAD-MODEL.md, "Migration decision"); who made that move is the
 * balancer's to tell (an announced arrival is its own, any other the admin's).
 */
import { jobKey, type ProcInfo } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { JobCandidate } from '../balance/decide.js';
import type { JobMode } from '../balance/jobLoad.js';
import type { RunMode } from '../../shared/jobs/runModes.js';

export function loadMode(mode: RunMode): JobMode {
  return mode.kind === 'cpujob' || mode.kind === 'iojob' || mode.kind === 'nodecay' || mode.kind === 'fastdecay' ? mode.kind : 'slowdecay';
}

/** `cwdProblem`: why a job in that working directory could go nowhere (no other node shares it), as known now. */
export function jobCandidates(records: readonly JobRecord[], procs: readonly ProcInfo[], cwdProblem?: (cwd: string) => string | undefined): JobCandidate[] {
  return records
    .filter((r) => r.where === 0 && (r.state === 'running' || r.state === 'stopped'))
    .map((r) => {
      const mine = procs.filter((p) => p.job && jobKey(p.job) === jobKey(r.ref));
      const annotated = mine.find((p) => p.cantMove)?.cantMove ?? cwdProblem?.(r.cwd);
      return {
        key: jobKey(r.ref),
        home: r.ref.home,
        load: mine.reduce((a, p) => a + p.cpu / 100, 0),
        mode: loadMode(r.mode),
        locked: r.locked,
        ...(annotated ? { cantMove: annotated } : {}),
        ...(r.state === 'stopped' ? { cantMove: 'stopped (SIGSTOP)' } : {}),
        ...(r.mode.kind === 'nomig' || r.mode.kind === 'runhome' ? { cantMove: `started with ${r.mode.kind}` } : {}),
        memKb: mine.reduce((a, p) => a + p.rssKb, 0),
        // Here, the last migration is the one that brought the job (its time is this node's clock).
        ...(r.lastMigration ? { lastDecisionAt: r.lastMigration.at, lastMove: { at: r.lastMigration.at, from: r.lastMigration.from } } : {}),
      };
    });
}
