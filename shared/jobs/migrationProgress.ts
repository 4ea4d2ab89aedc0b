/**
 * How a migration is getting on, as the source agent reports it while it moves a job: the
 * migrator window and `migrate` on a terminal show it, and the process box marks the job.
 */
import type { NodeId } from '../domain/node.js';
import type { JobRef } from '../domain/process.js';

export type MigrationPhase =
  /** Asking the target, checking the job can move there, choosing the way. */
  | 'checking'
  /** A pre-copy round: memory copied while the job runs on (`round` counts them). */
  | 'pre-copy'
  /** The job is frozen and CRIU dumps it; its memory streams to the target meanwhile. */
  | 'dumping'
  /** The rest of the images (not the memory) go to the target. */
  | 'sending'
  | 'restoring'
  | 'committing'
  | 'done'
  | 'failed';

export interface MigrationProgress {
  ref: JobRef;
  from: NodeId;
  to: NodeId;
  phase: MigrationPhase;
  /** 'one dump' or 'pre-copy', and why (said once the choice is made). */
  path?: string;
  why?: string;
  round?: number;
  /** Memory (or images) moved so far in this phase, and the job's size as last sampled. */
  bytes?: number;
  totalBytes?: number;
  /** Over the phase so far. */
  bytesPerS?: number;
  /** When done: how long the job was frozen. When failed: what happened, in the admin's words. */
  freezeMs?: number;
  message?: string;
  at: number;
}

const MiB = 1024 * 1024;

/** One line, as the migrator and `migrate` show it: "sending 120 of 1024 MiB at 340 MiB/s". */
export function describeProgress(p: MigrationProgress): string {
  const mib = (n: number) => `${Math.round(n / MiB)}`;
  const amount = p.bytes === undefined ? '' : ` ${mib(p.bytes)}${p.totalBytes ? ` of ${mib(p.totalBytes)}` : ''} MiB${p.bytesPerS ? ` at ${mib(p.bytesPerS)} MiB/s` : ''}`;
  switch (p.phase) {
    case 'checking':
      return p.path ? `checking node ${p.to}: ${p.path} (${p.why})` : `checking node ${p.to}`;
    case 'pre-copy':
      return `pre-copy round ${p.round ?? 1}: copying memory while the job runs${amount}`;
    case 'dumping':
      return `frozen, dumping: memory to node ${p.to}${amount}`;
    case 'sending':
      return `sending the rest of the images${amount}`;
    case 'restoring':
      return `restoring on node ${p.to}`;
    case 'committing':
      return `handing over to node ${p.to}`;
    case 'done':
      return `moved to node ${p.to}${p.freezeMs !== undefined ? `, frozen ${p.freezeMs} ms` : ''}`;
    case 'failed':
      return `failed: ${p.message ?? 'see the job\'s note'}`;
  }
}
