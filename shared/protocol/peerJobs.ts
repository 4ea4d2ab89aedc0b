/**
 * Peer requests of live migration and remote job starts. A migration, source -> target:
 *   mig.facts, mig.begin, (images: a bulk transfer named by the migration id), mig.restore
 *   (target restores, stopped), mig.commit (target runs it) then the source kills its frozen
 *   copy; mig.abort on failure; mig.status settles a commit whose answer was lost.
 */
import type { NodeId } from '../domain/node.js';
import type { JobRef } from '../domain/process.js';
import type { FileStamp, ShareMarker, TargetFacts } from '../jobs/targetFacts.js';
import type { JobRecord, MigrationRecord, RemoteJobSpec } from '../jobs/job.js';
import type { JobSignal } from './agentJobs.js';

export type MigrationPhase = 'receiving' | 'restored' | 'running' | 'discarded';

/**
 * The part of a migration a page channel or transfer carries, after "--" in its name: none
 * (one dump), a pre-copy round ("pre1".."pre99"), the final dump after pre-copy.
 */
export const PAGE_PART = /^(|final|pre[1-9][0-9]?)$/;

export type PeerJobRequests = {
  'mig.facts': { req: null; res: TargetFacts };
  'mig.begin': { req: { id: string; job: JobRecord }; res: null };
  /**
   * `pages`: what the source sent through each of the migration's page channels ('' for a
   * single dump; 'pre1'.., 'final' with pre-copy), for the target to check before it restores.
   */
  'mig.restore': { req: { id: string; job: JobRecord; pages?: Record<string, { bytes: number }> }; res: { pid: number; restoreMs: number } };
  'mig.commit': { req: { id: string; migration: Omit<MigrationRecord, 'at'> }; res: JobRecord };
  'mig.abort': { req: { id: string }; res: null };
  /**
   * 'none': the target never had it, or discarded it; it will never run there. 'running':
   * the target committed to it (it may have ended or moved on since). 'unknown': older than
   * the target's commit log reaches back; the source must not resume on its own.
   * `pagesError`: why a page server of the migration failed there (a source's CRIU only sees
   * its page server go away).
   */
  'mig.status': { req: { id: string }; res: { phase: MigrationPhase | 'none' | 'unknown'; pagesError?: string } };
  /** To the home node: its job moved between two other nodes. */
  'mig.moved': { req: { ref: JobRef; where: NodeId; migration?: MigrationRecord }; res: null };
  /** To the home node: its job ended on node `on` (told until the home answers). */
  'jobs.ended': { req: { ref: JobRef; on: NodeId; state: 'exited' | 'killed' | 'lost'; exitStatus?: number }; res: null };
  /** To the node a job runs on: migrate it (the home node's `migrate PID N` for a job away). */
  'mig.migrate': { req: { ref: JobRef; to: NodeId | 'home' | 'best' }; res: JobRecord };
  /** The home node's kill/stop/cont/renice for its job running on the node asked. */
  'mig.signal': { req: { ref: JobRef; signal: JobSignal }; res: null };
  'mig.renice': { req: { ref: JobRef; nice: number }; res: null };
  /**
   * What is shared between the asking node and this one: whether each marker file it wrote
   * is seen here (same name, same token), and each file's stamp here (null: not here).
   */
  'share.look': { req: { markers: ShareMarker[]; files: string[] }; res: { markers: boolean[]; files: (FileStamp | null)[] } };
  /** runon / parallel: start this job here, with the identity its home node gave it. */
  'jobs.startRemote': { req: RemoteJobSpec; res: JobRecord };
};
