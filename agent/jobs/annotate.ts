/** The process list's job column: which process belongs to which job, guests, and why a process cannot move. */
import { copyWith } from '../copyWith.js';
import type { NodeId } from '../../shared/domain/node.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { NOT_A_JOB, criuProblem, summarizeReasons } from './cantMove.js';
import type { CriuFacts } from '../../shared/jobs/targetFacts.js';
import { modeForbidsMigration } from '../../shared/jobs/runModes.js';
import { descendantsIn } from './procTree.js';
import { awayHere, deputyRow } from './awayJobs.js';

export interface AnnotateFacts {
  records: JobRecord[];
  /** This node's ID. */
  here: NodeId;
  /** The agent's user, whom the jobs run as. */
  user: string;
  /** Undefined until the first CRIU probe ends. */
  criu: CriuFacts | undefined;
  /** Why a job in that working directory could go nowhere (no other node shares it), as known now. */
  cwdProblem?: (cwd: string) => string | undefined;
  /** Why a job of this owner cannot move from here (another user's, and CRIU may not checkpoint it). */
  ownerProblem?: (owner: JobRecord['owner']) => string | undefined;
}

/**
 * Marks job processes and guests; every other process says why it cannot move. Jobs of
 * this node that run elsewhere are added, under their PID, with the node they run on.
 */
export function annotateJobs(procs: ProcInfo[], { records, here, user, criu: facts, cwdProblem, ownerProblem }: AnnotateFacts): ProcInfo[] {
  const deputies = awayHere(records, here).map((r) => deputyRow(r, user));
  const running = records.filter((r) => r.where === 0 && r.pid);
  const owner = descendantsIn(procs, running.map((r) => r.pid!));
  const byInit = new Map(running.map((r) => [r.pid!, r]));
  const criu = facts && criuProblem(0, facts);
  const shared = new Map(running.map((r) => [r.pid!, cwdProblem?.(r.cwd)]));
  return procs.map((p) => {
    const init = owner.get(p.pid);
    const r = init === undefined ? undefined : byInit.get(init);
    // Every process at every sample: copyWith, not a spread (copyWith.ts).
    if (!r) return copyWith(p, { cantMove: NOT_A_JOB });
    const q: ProcInfo = copyWith(p, { job: r.ref, where: 0 as const });
    if (r.ref.home !== here) q.guestFrom = r.ref.home;
    if (r.state === 'frozen' && r.moving) q.moving = { from: r.moving.from, to: r.moving.to };
    const why = summarizeReasons([modeForbidsMigration(r.mode), r.locked ? 'it is locked' : undefined, criu, ownerProblem?.(r.owner), shared.get(init!)].filter((s): s is string => !!s));
    if (why) q.cantMove = why;
    return q;
  }).concat(deputies);
}
