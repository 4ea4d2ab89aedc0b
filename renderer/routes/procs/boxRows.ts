/**
 * The rows of a node's process box, from its process list and job records: a job is one
 * row (the user's command; its internals only on request), a job of this node that runs
 * elsewhere is one row with the node it runs on, and guests, computed here for other
 * nodes, are rows of their own table: the node column means 0 = here, N = on node N.
 */
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey, type ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { groupJobs, internalPids, jobAsProcess, type JobMembers } from '../../../shared/jobs/jobView.js';

export type InternalRole = 'unshare' | 'init' | 'command' | 'child';

export type BoxRow =
  | { kind: 'proc'; p: ProcInfo }
  /** A job running here (own or guest), as one process. */
  | { kind: 'job'; key: string; p: ProcInfo; record?: JobRecord }
  /** One process of a job, shown with "show job internals". */
  | { kind: 'internal'; key: string; role: InternalRole; p: ProcInfo }
  /** A job of this node that runs elsewhere, or is still to be started there. */
  | { kind: 'away'; r: JobRecord; user?: string };

export interface BoxRows {
  own: BoxRow[];
  guests: BoxRow[];
}

function roleOf(m: JobMembers, p: ProcInfo): InternalRole {
  return p === m.unshare ? 'unshare' : p === m.init ? 'init' : p === m.command ? 'command' : 'child';
}

function jobRows(m: JobMembers, record: JobRecord | undefined, internals: boolean): BoxRow[] {
  const row: BoxRow = { kind: 'job', key: m.key, p: jobAsProcess(m, record), ...(record ? { record } : {}) };
  if (!internals) return [row];
  return [row, ...m.all.map((p): BoxRow => ({ kind: 'internal', key: m.key, role: roleOf(m, p), p }))];
}

export function boxRows(procs: readonly ProcInfo[], jobs: readonly JobRecord[], internals: boolean, nodeId: NodeId): BoxRows {
  const records = new Map(jobs.map((r) => [jobKey(r.ref), r]));
  const grouped = groupJobs(procs);
  const inJobs = internalPids(grouped);
  // Ordered by PID, a job at its init's PID.
  const here: { pid: number; rows: BoxRow[]; guest: boolean }[] = [];
  for (const p of procs) {
    // A job away has its own row from the job list; its deputy in the process list says less.
    if (p.away || inJobs.has(p.pid)) continue;
    here.push({ pid: p.pid, rows: [{ kind: 'proc', p }], guest: false });
  }
  for (const m of grouped.values()) {
    here.push({ pid: m.init.pid, rows: jobRows(m, records.get(m.key), internals), guest: m.init.guestFrom !== undefined });
  }
  here.sort((a, b) => a.pid - b.pid);
  // Only this node's own jobs: a guest that moved on leaves a record here too.
  // Its user comes from its deputy in the process list (the record does not keep one).
  const deputyUser = new Map(procs.filter((p) => p.away).map((p) => [jobKey(p.away!), p.user]));
  const away = jobs
    .filter((r) => r.ref.home === nodeId && r.where > 0 && (r.state === 'away' || r.state === 'pending'))
    .map((r): BoxRow => {
      const user = deputyUser.get(jobKey(r.ref));
      return { kind: 'away', r, ...(user ? { user } : {}) };
    });
  return {
    own: [...here.filter((x) => !x.guest).flatMap((x) => x.rows), ...away],
    guests: here.filter((x) => x.guest).flatMap((x) => x.rows),
  };
}

/** Rows an admin counts: internals are parts of a job, not more of them. */
export function countRows(rows: readonly BoxRow[]): number {
  return rows.filter((r) => r.kind !== 'internal').length;
}
