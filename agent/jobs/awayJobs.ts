/**
 * This node's jobs that run elsewhere, as the home sees them: a row each in the process
 * list (openMosix's deputy), and their end, read from the job directory on the shared
 * filesystem when no peer told it (a remote start that could not run its program, a guest
 * node that went away).
 */
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import type { ProcInfo } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { cleanStartError, isStartFailureStatus } from '../../shared/jobs/startFailure.js';
import type { StateFiles } from './host.js';
import { START_FAILED_FILE } from './spawnJob.js';

/** Jobs run as the agent's user. */
export function agentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}

/** The row of a job away in its home's process list. */
export function deputyRow(r: JobRecord, user: string): ProcInfo {
  return {
    pid: r.ref.id, ppid: 0, user: r.owner?.user ?? user, command: basename(r.argv[0] ?? '?'), args: r.argv.join(' '),
    state: 'M', cpu: 0, rssKb: 0, nice: 0, where: r.where, away: r.ref,
  };
}

/** Own jobs that run on another node now. */
export function awayHere(records: readonly JobRecord[], here: NodeId): JobRecord[] {
  return records.filter((r) => r.state === 'away' && r.where !== 0 && r.ref.home === here);
}

/**
 * The record of a job away once its exit file says it ended; undefined while it runs (or
 * the directory is not visible here). A start that could not run its program left a marker.
 */
export function endedAway(r: JobRecord, files: Pick<StateFiles, 'read'>): JobRecord | undefined {
  if (r.state !== 'away' || !r.dir) return undefined;
  const t = files.read(join(r.dir, 'exit'))?.trim();
  if (!t || !/^\d+$/.test(t)) return undefined;
  const status = Number(t);
  const out: JobRecord = { ...r, state: 'exited', exitStatus: status, note: `ended on node ${r.where}` };
  if (isStartFailureStatus(status) && files.read(join(r.dir, START_FAILED_FILE)) !== undefined) {
    out.startError = cleanStartError(files.read(join(r.dir, 'stderr')) ?? '');
  }
  return out;
}
