/**
 * A job whose program could not be run: the shell that starts it exits 127 when the
 * program is not found and 126 when it is found but cannot be executed. mosrun and
 * advanced execution say so, with the program and the job's stderr, instead of "started".
 */
import type { JobRecord } from './job.js';

/** Exit statuses of a shell that could not run the command it was given. */
export const NOT_FOUND = 127;
export const NOT_EXECUTABLE = 126;

export function isStartFailureStatus(status: number | undefined): boolean {
  return status === NOT_FOUND || status === NOT_EXECUTABLE;
}

/** Longest stderr kept in a record: the shell's message, not a program's whole output. */
export const START_ERROR_MAX = 2000;

/**
 * The job's stderr as an admin should read it: the init shell names itself
 * "mosixview-job: 1: " (its $0 and line number), which says nothing to the admin.
 */
export function cleanStartError(stderr: string): string {
  const text = stderr
    .split('\n')
    .map((l) => l.replace(/^mosixview-job: \d+: /, '').trimEnd())
    .filter((l) => l !== '')
    .join('\n');
  return text.length > START_ERROR_MAX ? `...${text.slice(-START_ERROR_MAX)}` : text;
}

const MEANING: Record<number, string> = {
  [NOT_FOUND]: 'command not found',
  [NOT_EXECUTABLE]: 'found but cannot be executed: no permission, a directory, or not a program',
};

/** Why the job's program did not run, in one sentence; undefined when the record says it did. */
export function startFailure(r: Pick<JobRecord, 'argv' | 'state' | 'exitStatus' | 'startError'>): string | undefined {
  if (r.state !== 'exited' || r.startError === undefined || !isStartFailureStatus(r.exitStatus)) return undefined;
  const s = r.exitStatus!;
  return `could not run ${r.argv[0] ?? 'the program'} (exit status ${s}, ${MEANING[s]})${r.startError ? `: ${r.startError}` : ''}`;
}
