/**
 * The rows of the cluster processes window: every process of every node that answered, a
 * job as one row (its command, as the process box shows it) on the node it runs on. A job
 * that migrated is listed once, where it runs: its home's deputy (openMosix's stand-in in
 * the home's process list) is left out, and a job two nodes list at once (the instant of a
 * migration) is listed once.
 */
import type { NodeId, NodeView } from '../../../shared/domain/node.js';
import { jobKey, type JobRef, type ProcInfo } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import { groupJobs, internalPids, jobAsProcess } from '../../../shared/jobs/jobView.js';

/** What one node answered: its process list and (when its agent has them) its job records. */
export interface NodeAnswer {
  nodeId: NodeId;
  procs: readonly ProcInfo[];
  jobs: readonly JobRecord[];
}

/** A node whose processes are not in the table, and why, in words an admin can act on. */
export interface MissingNode {
  nodeId: NodeId;
  why: string;
}

export interface JobFacts {
  ref: JobRef;
  key: string;
  /** openMosix "where" from the home's side: 0 = at its home node, N = running on node N. */
  where: NodeId;
  /** Set while it is being migrated. */
  moving?: { from: NodeId; to: NodeId };
  /** From its record; undefined when no node that answered keeps one. */
  migrations?: number;
  locked: boolean;
  /** Why it cannot move (the agent's summary, "it is locked" included); undefined when it can. */
  cantMove?: string;
}

export interface ClusterRow {
  /** Stable across updates: a job by identity (it keeps its key when it moves), a process by node and PID. */
  key: string;
  /** The node it runs on. */
  nodeId: NodeId;
  pid: number;
  /** Its parent's PID on the same node, for the tree view (a job's: the parent of its unshare). */
  parentPid: number;
  user: string;
  state: string;
  cpu: number;
  rssKb: number;
  nice: number;
  command: string;
  job?: JobFacts;
}

/** Why a node's processes cannot be asked for; undefined when it is up. */
export function nodeAbsence(view: NodeView | undefined): string | undefined {
  if (!view) return 'not known yet';
  if (view.status === 'up') return undefined;
  if (view.status === 'connecting') return 'still connecting';
  return view.reason ? `down: ${view.reason}` : 'down';
}

/** The row's accessible name: "Job 1.4321", or "Process 812 on node 2". */
export function rowLabel(r: ClusterRow): string {
  return r.job ? `Job ${r.job.key}` : `Process ${r.pid} on node ${r.nodeId}`;
}

function jobFacts(p: ProcInfo, ref: JobRef, nodeId: NodeId, record: JobRecord | undefined): JobFacts {
  return {
    ref,
    key: jobKey(ref),
    where: ref.home === nodeId ? 0 : nodeId,
    ...(p.moving ? { moving: p.moving } : {}),
    ...(record ? { migrations: record.migrations } : {}),
    locked: record?.locked ?? false,
    ...(p.cantMove ? { cantMove: p.cantMove } : {}),
  };
}

function baseRow(p: ProcInfo, nodeId: NodeId): Omit<ClusterRow, 'key' | 'parentPid'> {
  return { nodeId, pid: p.pid, user: p.user, state: p.state, cpu: p.cpu, rssKb: p.rssKb, nice: p.nice, command: p.args || p.command };
}

/** The record of a job: the node it runs on knows it best, then its home. */
function recordFinder(answers: readonly NodeAnswer[]) {
  const byNode = new Map(answers.map((a) => [a.nodeId, new Map(a.jobs.map((r) => [jobKey(r.ref), r]))]));
  return (key: string, nodeId: NodeId, home: NodeId) => byNode.get(nodeId)?.get(key) ?? byNode.get(home)?.get(key);
}

/** The rows of every node that answered, in node order and by PID within a node. */
export function clusterRows(answers: readonly NodeAnswer[]): ClusterRow[] {
  const recordOf = recordFinder(answers);
  const rows: ClusterRow[] = [];
  const jobAt = new Map<string, number>();
  for (const a of [...answers].sort((x, y) => x.nodeId - y.nodeId)) {
    const grouped = groupJobs(a.procs);
    const inJobs = internalPids(grouped);
    const here: ClusterRow[] = [];
    for (const p of a.procs) {
      // A job away is listed by the node it runs on; its deputy here says less.
      if (p.away || inJobs.has(p.pid)) continue;
      here.push({ key: `p${a.nodeId}:${p.pid}`, parentPid: p.ppid, ...baseRow(p, a.nodeId) });
    }
    for (const m of grouped.values()) {
      const ref = m.init.job!;
      const record = recordOf(m.key, a.nodeId, ref.home);
      const p = jobAsProcess(m, record);
      here.push({ key: `j${m.key}`, parentPid: (m.unshare ?? m.init).ppid, ...baseRow(p, a.nodeId), job: jobFacts(p, ref, a.nodeId, record) });
    }
    here.sort((x, y) => x.pid - y.pid);
    for (const r of here) {
      const seen = r.job ? jobAt.get(r.key) : undefined;
      if (seen === undefined) {
        if (r.job) jobAt.set(r.key, rows.length);
        rows.push(r);
      } else if (rows[seen]!.job?.moving && !r.job?.moving) {
        // Mid-migration both ends may list it: the copy that is not frozen is the one that runs.
        rows[seen] = r;
      }
    }
  }
  return rows;
}

/** Every user in the rows, sorted, for the user filter. */
export function usersOf(rows: readonly ClusterRow[]): string[] {
  return [...new Set(rows.map((r) => r.user))].sort((a, b) => a.localeCompare(b));
}
