/**
 * Whether CRIU on this node may checkpoint a process of another uid than the agent's own.
 * CRIU reads every task's limits with prlimit(2), which for another uid needs
 * CAP_SYS_RESOURCE; a container may drop it even from root (this project's build machines
 * do), and then the dump of another user's job fails with "Can't get rlimit". Said before a
 * move is tried, like every other reason a job cannot move.
 */
import { readFileSync } from 'node:fs';
import type { JobOwner } from '../../shared/jobs/job.js';
import { runsAsOther } from './jobOwners.js';

export const CAP_SYS_RESOURCE = 24n;

/** From the text of /proc/PID/status: whether the effective set holds CAP_SYS_RESOURCE. */
export function checkpointsOtherUids(status: string = readSelfStatus()): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return !!m && ((BigInt(`0x${m[1]}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
}

export function otherUidReason(owner: JobOwner): string {
  return `CRIU on this node may not checkpoint a job of another user (${owner.user}, uid ${owner.uid}): the agent lacks CAP_SYS_RESOURCE (a container may drop it); run the agent as root with every capability`;
}

let selfMay: boolean | undefined;

/** This agent's answer; its capabilities do not change while it runs, so /proc is read once. */
export function selfCheckpointsOtherUids(): boolean {
  return (selfMay ??= checkpointsOtherUids());
}

/** The reason a job of `owner` cannot move from here, if any. */
export function otherUidProblem(owner: JobOwner | undefined): string | undefined {
  return runsAsOther(owner) && !selfCheckpointsOtherUids() ? otherUidReason(owner) : undefined;
}

function readSelfStatus(): string {
  try {
    return readFileSync('/proc/self/status', 'utf8');
  } catch {
    return '';
  }
}
