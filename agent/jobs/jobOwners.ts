/**
 * Jobs and their owners on this node: whose a job or process is (for the permission rule,
 * agent/daemon/requestAccess.ts), and the account a job runs as here.
 */
import { join } from 'node:path';
import { jobKey, type JobRef } from '../../shared/domain/process.js';
import { ROOT_OWNER, type JobOwner, type JobRecord } from '../../shared/jobs/job.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ErrorCode } from '../../shared/protocol/errorCodes.js';
import type { Owned } from '../daemon/requestAccess.js';
import { lookupAccount, userName, type Account } from './accounts.js';

export interface OwnerLookup {
  /** The job a request names: by ref, or by a PID of it (or the PID mosrun printed, at its home). */
  jobOf(t: { ref?: JobRef; pid?: number }): JobRecord | undefined;
  uidOf(pid: number): number | undefined;
}

/** Whose job or process the request's parameters name; undefined for one unknown here. */
export function ownedBy(params: unknown, look: OwnerLookup, name: (uid: number) => string = userName): Owned | undefined {
  const t = (params ?? {}) as { ref?: JobRef; pid?: number };
  const job = look.jobOf(t);
  if (job) {
    const o = job.owner ?? ROOT_OWNER;
    return { what: `job ${jobKey(job.ref)}`, uid: o.uid, user: o.user };
  }
  if (typeof t.pid !== 'number') return undefined;
  const uid = look.uidOf(t.pid);
  return uid === undefined ? undefined : { what: `process ${t.pid}`, uid, user: name(uid) };
}

/** Someone other than the agent's own user: the job needs its own uid, groups and home. */
export function runsAsOther(owner: JobOwner | undefined, agentUid = process.getuid?.() ?? 0): owner is JobOwner {
  return owner !== undefined && owner.uid !== agentUid;
}

/**
 * The owner's account on this node, or an error that says what to do: a job runs as the same
 * uid on every node, so each node must know it (same uids everywhere, as NFS homes need).
 */
export function accountHere(owner: JobOwner, node: string, code: ErrorCode = 'EPERM', look: (uid: number) => Account | undefined = lookupAccount): Account {
  const a = look(owner.uid);
  if (!a) {
    throw new RpcError(code, `${node} has no account with uid ${owner.uid} (${owner.user} at the job's home): give ${owner.user} the same uid on every node (the same passwd, LDAP or NIS)`);
  }
  return a;
}

/** Where a job of another user puts its directory by default: that user's home, shared on most clusters. */
export function ownJobsDir(a: Account): string {
  return join(a.home, '.mosixview', 'jobs');
}

/**
 * The uid in a restored job's tree (init first) that does not fit its owner, or undefined:
 * CRIU restores the images' credentials, so a source that lied about either is caught here.
 * The init is the agent's (runAsUser.ts); every other process is the owner's. A job of the
 * agent's own user (root) may run anything, as it could have started it so.
 */
export function strangerIn(uids: readonly (number | undefined)[], owner: JobOwner, agentUid = process.getuid?.() ?? 0): number | undefined {
  if (owner.uid === agentUid) return undefined;
  const [init, ...rest] = uids;
  if (init !== undefined && init !== agentUid && init !== owner.uid) return init;
  return rest.find((u) => u !== undefined && u !== owner.uid);
}
