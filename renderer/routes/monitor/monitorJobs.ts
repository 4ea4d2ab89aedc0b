/**
 * What the migration monitor knows of the jobs, from the nodes' job lists (`job.list`) and
 * the records of `job.changed`: each job once, in the node where it runs, and each finished
 * move once. A move is read from the record of the node it landed on: that node runs the
 * job (where 0) and its last migration ends there; its count of migrations names the move,
 * so the same move seen again (a later record of the job there, a poll) is not a new one.
 */
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey, type JobRef } from '../../../shared/domain/process.js';
import type { JobRecord, MoveCause } from '../../../shared/jobs/job.js';

export interface NodeJobs {
  nodeId: NodeId;
  jobs: readonly JobRecord[];
}

export interface MonitorJob {
  key: string;
  ref: JobRef;
  /** The command the admin started, as one line. */
  command: string;
  locked: boolean;
  /** Set while it is frozen for a move: where to. */
  movingTo?: NodeId;
}

export interface MoveEntry {
  /** The job's key and its count of migrations once this move landed. */
  id: string;
  key: string;
  from: NodeId;
  to: NodeId;
  freezeMs: number;
  by?: MoveCause;
  at: number;
}

const RUNS = new Set<JobRecord['state']>(['running', 'stopped', 'frozen']);

function compareRefs(a: JobRef, b: JobRef): number {
  return a.home - b.home || a.id - b.id;
}

/**
 * Every job that runs, in the node it runs on, ordered by home and number. While a job
 * moves, its frozen source copy and its restored target copy both exist: it is shown at
 * the source (marked moving) until the target runs it.
 */
export function jobsByNode(answers: readonly NodeJobs[]): Record<NodeId, MonitorJob[]> {
  const place = new Map<string, { nodeId: NodeId; record: JobRecord }>();
  for (const { nodeId, jobs } of answers) {
    for (const r of jobs) {
      if (r.where !== 0 || !RUNS.has(r.state)) continue;
      const key = jobKey(r.ref);
      const had = place.get(key);
      if (!had || had.record.frozenBy === 'restore') place.set(key, { nodeId, record: r });
    }
  }
  const out: Record<NodeId, MonitorJob[]> = {};
  for (const { nodeId } of answers) out[nodeId] = [];
  for (const [key, { nodeId, record: r }] of place) {
    const job: MonitorJob = { key, ref: r.ref, command: r.argv.join(' '), locked: r.locked };
    if (r.frozenBy === 'checkpoint' && r.moving) job.movingTo = r.moving.to;
    (out[nodeId] ??= []).push(job);
  }
  for (const list of Object.values(out)) list.sort((a, b) => compareRefs(a.ref, b.ref));
  return out;
}

/** The move that brought the job to `nodeId`, if this record (from that node) tells of one. */
export function moveOf(nodeId: NodeId, r: JobRecord): MoveEntry | undefined {
  const m = r.lastMigration;
  if (!m || r.where !== 0 || m.to !== nodeId || r.frozenBy === 'restore' || r.migrations === 0) return undefined;
  const key = jobKey(r.ref);
  return { id: `${key}#${r.migrations}`, key, from: m.from, to: m.to, freezeMs: m.freezeMs, at: m.at, ...(m.by ? { by: m.by } : {}) };
}

/** The moves among the answers not seen before, oldest first. */
export function newMoves(seen: ReadonlySet<string>, answers: readonly NodeJobs[]): MoveEntry[] {
  const found = new Map<string, MoveEntry>();
  for (const { nodeId, jobs } of answers) {
    for (const r of jobs) {
      const m = moveOf(nodeId, r);
      if (m && !seen.has(m.id)) found.set(m.id, m);
    }
  }
  return [...found.values()].sort((a, b) => a.at - b.at);
}

const BY: Record<MoveCause, string> = { admin: 'by the admin', balancer: 'by the balancer' };

/** One line of the log: "Job 1.5: node 1 to node 3, frozen 230 ms, by the balancer". */
export function moveLine(m: MoveEntry): string {
  return `Job ${m.key}: node ${m.from} to node ${m.to}, frozen ${Math.round(m.freezeMs)} ms, ${m.by ? BY[m.by] : 'by whom not recorded (older agent)'}`;
}

/** The freeze as the landing shows it beside the node. */
export function freezeText(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
