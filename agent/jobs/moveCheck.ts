/**
 * The full check before a move and for the migrator: the job's open files, what other nodes
 * really share of them, CRIU on both ends and, for another user's job, whether CRIU here may
 * checkpoint it. The facts are gathered here; cantMove.ts decides.
 */
import type { TargetFacts } from '../../shared/jobs/targetFacts.js';
import type { ProcTarget } from '../../shared/protocol/agentJobs.js';
import { cantMoveReasons } from './cantMove.js';
import type { JobsService } from './jobsService.js';
import { runsAsOther } from './jobOwners.js';
import { selfCheckpointsOtherUids } from './otherUids.js';
import { filesSeen, type ShareDetector } from './shareDetector.js';

export async function checkMove(jobs: JobsService, shares: Pick<ShareDetector, 'towards' | 'anywhere'> | undefined, t: ProcTarget, target?: TargetFacts): Promise<string[]> {
  const criu = await jobs.criu();
  let resolved: ReturnType<JobsService['resolve']>;
  try {
    resolved = jobs.resolve(t);
  } catch (e) {
    return [(e as Error).message];
  }
  const { job, pids } = resolved;
  const source = { node: jobs.nodeId, criu, sharedRoots: jobs.config.sharedRoots, localRoots: jobs.config.localRoots };
  if (!job) return cantMoveReasons({ isJob: false, locked: false, source, files: [] });
  const files = jobs.host.openFiles(pids);
  const seen = shares && (await filesSeen(shares, files, job.cwd, target?.node));
  return cantMoveReasons({
    isJob: true, locked: job.locked, mode: job.mode, home: job.ref.home, source, files,
    ...(target ? { target } : {}), ...(seen ? { seen } : {}),
    ...(runsAsOther(job.owner) ? { otherOwner: job.owner, checkpointsOtherUids: selfCheckpointsOtherUids() } : {}),
  });
}
