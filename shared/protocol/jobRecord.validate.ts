/**
 * Validators of the job records agents send each other (shared/jobs/job.ts): a migration's
 * source sends the whole record, its target answers with one. Every field is checked and an
 * unknown one refused, so a peer's record never puts a field on disk that this agent does not know.
 */
import { JOB_STATES, type JobOwner, type JobRecord, type MigrationRecord } from '../jobs/job.js';
import { absPath, argv, jobRef, MAX_NODE, MAX_PID, nodeId, runMode } from './fields.validate.js';
import { array, bool, int, num, obj, oneOf, optional, refine, show, str, type Validator } from './validate.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const count = int(0, MAX_SAFE, 'a whole number from 0');
const ms = num(0, MAX_SAFE, 'a time in milliseconds (a number from 0)');
/** "here" (0) or a node number. */
const where = int(0, MAX_NODE, `0 (this node) or a node number (1 to ${MAX_NODE})`);

/** "<job key>-<source node>-<ms>": it names a directory under the target's incoming/, so no slash and no "..". */
export const migrationId = refine(str({ min: 1, max: 120, want: 'a migration id of 1 to 120 characters' }), (id) =>
  /^[A-Za-z0-9._-]+$/.test(id) && id !== '.' && id !== '..' ? undefined : { says: `expected a migration id (letters, digits, ".", "_" and "-", as the source made it), got ${show(id)}` },
);

/** Where a migration's freeze went (shared/jobs/job.ts MigrationRecord.phases). */
const freezePhases = obj({ dumpMs: ms, sendMs: ms, restoreMs: ms, commitMs: optional(ms) }, 'the freeze by phase: an object with dumpMs, sendMs, restoreMs, commitMs? (milliseconds)');
const migrationFields = {
  from: nodeId,
  to: nodeId,
  freezeMs: ms,
  bytes: count,
  path: optional(oneOf(['one dump', 'pre-copy'] as const, 'the way the memory went: "one dump" or "pre-copy"')),
  phases: optional(freezePhases),
  by: optional(oneOf(['admin', 'balancer'] as const, 'who started the move: "admin" or "balancer"')),
};
/** A migration as the commit carries it (the target stamps its own time). */
export const unstampedMigration: Validator<Omit<MigrationRecord, 'at'>> = obj(migrationFields);
export const migrationRecord: Validator<MigrationRecord> = obj({ ...migrationFields, at: ms });

const text = str({ max: 65536 });

/** uid_t is 32 bits and (uid_t)-1 means "no change" to the kernel: never an owner. */
export const MAX_UID = 0xfffffffe;
export const jobOwner: Validator<JobOwner> = obj(
  {
    uid: int(0, MAX_UID, `a user ID (a whole number from 0 to ${MAX_UID})`),
    user: refine(str({ min: 1, max: 256, want: 'a user name' }), (u) => (/^[^\s:/]+$/.test(u) ? undefined : { says: `expected a user name (no blanks, ":" or "/"), got ${show(u)}` })),
  },
  'the job\'s owner { uid, user }',
);

export const jobRecord: Validator<JobRecord> = obj(
  {
    ref: jobRef,
    owner: optional(jobOwner),
    argv,
    cwd: absPath,
    mode: runMode,
    // Empty while a remote start is only an intent (pending).
    dir: str({ max: 4096, want: 'the job directory (a path, or empty while the job is pending)' }),
    startedAt: ms,
    state: oneOf(JOB_STATES),
    where,
    pid: optional(int(1, MAX_PID)),
    pidStart: optional(count),
    locked: bool,
    migrations: count,
    lastMigration: optional(migrationRecord),
    exitStatus: optional(int(0, 255, 'an exit status (0 to 255)')),
    startError: optional(text),
    targets: optional(array(nodeId, { max: MAX_NODE })),
    frozenBy: optional(oneOf(['checkpoint', 'restore'] as const)),
    moving: optional(obj({ id: migrationId, from: nodeId, to: nodeId })),
    stateBeforeFreeze: optional(oneOf(['running', 'stopped'] as const)),
    note: optional(text),
    pendingCommit: optional(obj({ to: nodeId, id: migrationId })),
  },
  'a job record (shared/jobs/job.ts JobRecord)',
);
