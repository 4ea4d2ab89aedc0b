/** Renderer -> main API for mosrun jobs and their live migration (issue: live process migration). */
import type { NodeId } from '../domain/node.js';
import type { JobRef, ProcInfo } from '../domain/process.js';
import type { JobRecord } from '../jobs/job.js';
import type { RunMode } from '../jobs/runModes.js';
import type { MigrationPrecheck, SharedWorkdir } from '../jobs/targetFacts.js';
import type { JobSignal } from './agentJobs.js';
import type { DirEntry } from './agentFiles.js';
import type { MigrationProgress } from '../jobs/migrationProgress.js';

/**
 * One process of the cluster: a PID on node `nodeId`, or a job by its identity. A job is
 * looked for where it runs now (`nodeId` is only the first guess): its PID changes when it
 * migrates, its identity does not, so a window that follows a job sends the ref.
 */
export type ApiProcTarget = { nodeId: NodeId } & ({ pid: number } | { ref: JobRef });

export type MigrateTo = NodeId | 'home' | 'best';

/** What the migrator shows of one process. */
export interface ProcStatus {
  /** The node it runs on now (for a job that moved: no longer the one asked). */
  nodeId: NodeId;
  /**
   * As that node lists it (a job as one process: the user's command, its state, the CPU and
   * memory of all its processes); undefined when it is not in the node's process list.
   */
  proc?: ProcInfo;
  /** The job's record from the node it runs on (or its home, once it ended). */
  job?: JobRecord;
  /** Why it cannot move (jobs.check); empty when it can. */
  reasons: string[];
  /** Set when the job's last record says it runs on a node that cannot be reached now. */
  unreachable?: { node: NodeId; why: string };
}

export interface JobStartRequest {
  /** The node whose agent starts the job (its home node). */
  nodeId: NodeId;
  /** Program and arguments, passed as they are: no shell ever parses them. */
  argv: string[];
  /** Absolute working directory on that node. */
  cwd: string;
  mode: RunMode;
}

export type JobApiRequests = {
  /** The jobs a node keeps a record of: its own (also those away) and its guests. */
  'job.list': { req: { nodeId: NodeId }; res: JobRecord[] };
  /** Advanced execution: one record per started (or, for remote nodes, pending) copy. */
  'job.start': { req: JobStartRequest; res: JobRecord[] };
  /** Advanced execution's "Can it migrate?", asked of the start node's agent before Execute. */
  'job.precheck': { req: JobStartRequest; res: MigrationPrecheck };
  /** The default working directory: the node's agent user's home, where the other nodes share it. */
  'node.workdir': { req: { nodeId: NodeId }; res: SharedWorkdir };
  'job.signal': { req: ApiProcTarget & { signal: JobSignal }; res: null };
  /** Nice -20..19. */
  'job.renice': { req: ApiProcTarget & { nice: number }; res: null };
  'job.lock': { req: ApiProcTarget & { locked: boolean }; res: JobRecord };
  'job.migrate': { req: ApiProcTarget & { to: MigrateTo }; res: JobRecord };
  'job.status': { req: ApiProcTarget; res: ProcStatus };
  /**
   * Forgets a job that no longer runs, by its home's record: one that ended, or one away on a
   * node that cannot be reached (the admin says it is gone); refused while that node is up.
   */
  'job.forget': { req: { nodeId: NodeId; ref: JobRef }; res: null };
  /** Processes now running on the node as guests of other nodes (ProcInfo.guestFrom set). */
  'node.guests': { req: { nodeId: NodeId }; res: ProcInfo[] };
  /** A directory of the node ("~" = the agent user's home), for the program chooser. */
  'node.files': { req: { nodeId: NodeId; path: string }; res: { path: string; entries: DirEntry[] } };
};

export type JobApiEvents = {
  /** A job's record changed on node `nodeId` (started, stopped, exited, migrated ...). */
  'job.changed': { nodeId: NodeId; record: JobRecord };
  /** A migration driven by node `nodeId` got on. */
  'job.progress': { nodeId: NodeId; progress: MigrationProgress };
};

/** Runtime list of this feature's channels, checked complete against the map. */
export const JOB_API_CHANNELS = Object.keys({
  'job.list': 1,
  'job.start': 1,
  'job.precheck': 1,
  'node.workdir': 1,
  'job.signal': 1,
  'job.renice': 1,
  'job.lock': 1,
  'job.migrate': 1,
  'job.status': 1,
  'job.forget': 1,
  'node.guests': 1,
  'node.files': 1,
} satisfies Record<keyof JobApiRequests, 1>) as (keyof JobApiRequests)[];
export const JOB_API_EVENTS = Object.keys({ 'job.changed': 1, 'job.progress': 1 } satisfies Record<keyof JobApiEvents, 1>) as (keyof JobApiEvents)[];
