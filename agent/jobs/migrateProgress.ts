/**
 * `migrate PID N` on a terminal: one updating line with the migration's phase, bytes and
 * rate, as the agent reports them; then the result with the way the memory went and why.
 * Not on a terminal (a script, a log): only the result.
 */
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { describeProgress, type MigrationProgress } from '../../shared/jobs/migrationProgress.js';
import type { DaemonClient } from '../cli/daemonClient.js';

export interface ProgressWatch {
  /** The way the memory went and why, if the agent said so. */
  path(): string | undefined;
  stop(): void;
}

/** Follows the migration of job `key` (any, when unknown) through the local agent's events. */
export async function watchProgress(d: DaemonClient, key: string | undefined, tty: NodeJS.WriteStream | undefined): Promise<ProgressWatch> {
  let path: string | undefined;
  let shown = false;
  const off = d.on('jobs.progress', (p: MigrationProgress) => {
    if (key && jobKey(p.ref) !== key) return;
    if (p.path) path = `${p.path}: ${p.why}`;
    if (tty) {
      tty.write(`\r\x1b[K${describeProgress(p)}`);
      shown = true;
    }
  });
  await d.request('subscribe', { on: true }).catch(() => undefined);
  return {
    path: () => path,
    stop: () => {
      off();
      if (shown) tty!.write('\r\x1b[K');
    },
  };
}

/** The job `migrate PID` means: the one running here with that PID, or ours away with it as its ID. */
export function jobOfPid(jobs: readonly JobRecord[], pid: number): JobRecord | undefined {
  return jobs.find((r) => r.pid === pid && r.where === 0) ?? jobs.find((r) => r.ref.id === pid && r.where !== 0);
}
