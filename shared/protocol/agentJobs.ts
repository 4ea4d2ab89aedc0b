/** Agent requests and events for mosrun jobs and their live migration (issue: live process migration). */
import type { NodeId } from '../domain/node.js';
import type { JobRef } from '../domain/process.js';
import type { JobRecord, JobSpec } from '../jobs/job.js';
import type { MigrationPrecheck, SharedWorkdir, TargetFacts } from '../jobs/targetFacts.js';
import type { MigrationProgress } from '../jobs/migrationProgress.js';

/** A job's process by its job identity, or any process of this node by PID. */
export type ProcTarget = { ref: JobRef } | { pid: number };

export type JobSignal = 'KILL' | 'STOP' | 'CONT';

export type JobAgentRequests = {
  /** mosrun / advanced execution: starts the job here, or records the remote starts to do. */
  'jobs.start': { req: JobSpec; res: JobRecord[] };
  'jobs.list': { req: null; res: JobRecord[] };
  'jobs.get': { req: { ref: JobRef }; res: JobRecord };
  /** KILL, STOP, CONT: for a job, every process in it; otherwise the one PID. */
  'jobs.signal': { req: ProcTarget & { signal: JobSignal }; res: null };
  /** Nice -20..19, for every thread of the job (or of the one process). */
  'jobs.renice': { req: ProcTarget & { nice: number }; res: null };
  /** By job identity, or by a PID of the job (the one mosrun printed stays the job's at home). */
  'jobs.lock': { req: ProcTarget & { locked: boolean }; res: JobRecord };
  /** This node as a migration target: CRIU, whether it takes guests, what it shares. */
  'jobs.facts': { req: null; res: TargetFacts };
  /** Why the process cannot move (to the target, when given); empty when it can. */
  'jobs.check': { req: ProcTarget & { target?: TargetFacts }; res: { reasons: string[] } };
  /** Before a start: what would keep a job started so from moving (its mode, CRIU, files not shared). */
  'jobs.precheck': { req: Pick<JobSpec, 'argv' | 'cwd' | 'mode'>; res: MigrationPrecheck };
  /** The agent user's home, and whether the other nodes see it (a job's default working directory). */
  'jobs.workdir': { req: null; res: SharedWorkdir };
  /** This node's ID for job identities, until the cluster map gives it one. */
  'jobs.setNodeId': { req: { node: NodeId }; res: { node: NodeId } };
  /** migrate PID {N|home|best}: done by the cluster-wide orchestrator (peer channel). */
  'jobs.migrate': { req: ProcTarget & { to: NodeId | 'home' | 'best' }; res: JobRecord };
  /**
   * Forgets finished jobs (exited, killed, lost) from the registry; a job away only with
   * `unreachable` (the admin says the node it ran on is gone).
   */
  'jobs.forget': { req: { ref: JobRef; unreachable?: boolean }; res: null };
};

export type JobAgentEvents = {
  /** A job's record changed (started, stopped, exited, migrated ...). */
  'jobs.changed': JobRecord;
  /** A migration this node drives got on (phase, bytes moved, freeze time when done). */
  'jobs.progress': MigrationProgress;
};
