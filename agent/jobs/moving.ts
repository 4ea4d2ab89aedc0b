/**
 * A job in the middle of a migration takes no signal, renice or second migration from the
 * admin: its frozen copy may be the only one or one of two, and only the migration protocol
 * may resume or end it. Said in the admin's words, with when it will be settled.
 */
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { RpcError } from '../../shared/protocol/rpc.js';

export function movingRefusal(job: JobRecord, what: string): RpcError | undefined {
  if (job.state !== 'frozen' && !job.pendingCommit) return undefined;
  const key = jobKey(job.ref);
  if (job.pendingCommit) {
    const to = job.pendingCommit.to;
    return new RpcError(
      'EMOVING',
      `cannot ${what} job ${key}: it was handed to node ${to}, which has not confirmed it yet. The copy here stays frozen until node ${to} answers, so the job never runs twice; it settles by itself as soon as node ${to} is reachable`,
    );
  }
  const m = job.moving;
  if (job.frozenBy === 'restore') {
    return new RpcError('EMOVING', `cannot ${what} job ${key}: it is arriving here${m ? ` from node ${m.from}` : ''} and does not run here yet; try again once the move has finished (a few seconds)`);
  }
  return new RpcError('EMOVING', `cannot ${what} job ${key}: it is being moved${m ? ` to node ${m.to}` : ''} and is frozen meanwhile; try again once the move has finished or failed (a few seconds)`);
}
