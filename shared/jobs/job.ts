/** A mosrun job as its agents record it: identity, mode, where it runs, migrations. */
import type { NodeId } from '../domain/node.js';
import type { JobRef } from '../domain/process.js';
import type { RunMode } from './runModes.js';

/** Job IDs for jobs started elsewhere on a home's behalf (runon, parallel): above any Linux PID (pid_max <= 2^22). */
export const REMOTE_ID_BASE = 1 << 22;

export type JobState =
  /** Running here (pid set). */
  | 'running'
  /** Stopped here by SIGSTOP. */
  | 'stopped'
  /** Stopped by a checkpoint or a restore, waiting for the migration to finish. */
  | 'frozen'
  /** Runs on another node (`where`); this node keeps the record as its home or last host. */
  | 'away'
  /** Only an intent so far: a remote start (runon, parallel) the peer channel has not done. */
  | 'pending'
  | 'exited'
  | 'killed'
  /** Gone without an exit status (e.g. its process vanished while the agent was down). */
  | 'lost';

/** Every job state, for checks at run time (a record from a peer, the metrics' labels). */
export const JOB_STATES = ['running', 'stopped', 'frozen', 'away', 'pending', 'exited', 'killed', 'lost'] as const satisfies readonly JobState[];
// A state added to JobState but not to JOB_STATES does not compile.
export const JOB_STATES_COMPLETE: [Exclude<JobState, (typeof JOB_STATES)[number]>] extends [never] ? true : never = true;

/** Who started a move: the admin (migrator, migrate, mosctl expel/bring, the migration monitor) or the balancer. */
export type MoveCause = 'admin' | 'balancer';

export interface MigrationRecord {
  from: NodeId;
  to: NodeId;
  /** ms from the freeze on the source to the resume on the target. */
  freezeMs: number;
  bytes: number;
  at: number;
  /** Way the memory went ('one dump', 'pre-copy'). */
  path?: string;
  /**
   * Where the freeze went, ms: the dump (the memory streaming meanwhile), sending the other
   * images, the target's check and restore, and the commit (the target's log sync and resume).
   */
  phases?: { dumpMs: number; sendMs: number; restoreMs: number; commitMs?: number };
  /** Who started it; absent in records of older agents and of a hand-over settled after a restart. */
  by?: MoveCause;
}

/**
 * Whom a job runs as: the caller who started it, as its home agent identified them
 * (agent/daemon/callerIdentity.ts). Every node it visits runs it with this uid, and looks up
 * the user's groups and home in its own account database (same uids on every node).
 */
export interface JobOwner {
  uid: number;
  /** The user's name at the job's home (for messages and the process list). */
  user: string;
}

/** Jobs recorded before owners were: they ran as the agent's user, root. */
export const ROOT_OWNER: JobOwner = { uid: 0, user: 'root' };

export interface JobRecord {
  ref: JobRef;
  /** Whom the job runs as; absent in records of older agents (root). */
  owner?: JobOwner;
  argv: string[];
  cwd: string;
  mode: RunMode;
  /** Job directory on the shared filesystem: stdout, stderr, exit. */
  dir: string;
  startedAt: number;
  state: JobState;
  /** openMosix "where": 0 = here, else the node it runs on (known at its home and last host). */
  where: NodeId;
  /** PID (this node's namespace) of the job's init, while it is here. */
  pid?: number;
  /** Start time of that PID in clock ticks: guards against PID reuse after a restart. */
  pidStart?: number;
  locked: boolean;
  migrations: number;
  lastMigration?: MigrationRecord;
  /** Exit status as a shell reports it (128 + signal when killed by one). */
  exitStatus?: number;
  /**
   * Set when the program could not be run at all (exit status 126 or 127 before it ever
   * ran): the job's stderr, shortened (shared/jobs/startFailure.ts says it in words).
   */
  startError?: string;
  /** For runon / parallel: the nodes the job is to start on (the peer channel's work). */
  targets?: NodeId[];
  /** While frozen: by a checkpoint here (the source copy) or by a restore here (the target copy). */
  frozenBy?: 'checkpoint' | 'restore';
  /** While frozen: the migration this copy is part of (its id, and the nodes it goes between). */
  moving?: { id: string; from: NodeId; to: NodeId };
  /** The state to go back to when a checkpoint is undone (a SIGSTOPped job stays stopped). */
  stateBeforeFreeze?: 'running' | 'stopped';
  /** Last thing worth telling the admin about this job (a failed migration, ...). */
  note?: string;
  /**
   * Source side, frozen: the target was told to run the job but did not confirm. Until it
   * answers, this copy stays frozen: resuming it could make two running copies.
   */
  pendingCommit?: { to: NodeId; id: string };
}

/** What mosrun and the GUI's advanced execution ask the agent to start. */
export interface JobSpec {
  argv: string[];
  cwd: string;
  mode: RunMode;
  /** The caller's environment; the daemon's own otherwise. */
  env?: Record<string, string>;
  /** Parent directory for the job directory (mosrun -o); the configured default otherwise. */
  jobsDir?: string;
  /** Node IDs known in the cluster (for parallel with invert). */
  nodes?: NodeId[];
  /**
   * Whom to run it as. Never taken from a client: the daemon sets it to the identified
   * caller (agent/daemon/requestGuard.ts); a peer's remote start carries the home's.
   */
  owner?: JobOwner;
}

/** startJobHere's input: the spec plus the identity the home node gave it (remote starts). */
export interface RemoteJobSpec extends JobSpec {
  ref: JobRef;
}
