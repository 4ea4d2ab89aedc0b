/**
 * The copy half of a migration, on the source: from the target's "begin" until the target
 * holds a restored, stopped copy and the hand-over is recorded here. Any failure on the way
 * resumes the job here and tells the target to discard its copy (the caller does both).
 *
 *   [pre-copy rounds: memory copied while the job runs, where the kernel allows it]
 *   dump (frozen here; the memory streams to the target's page server meanwhile)
 *   -> the other images -> the target checks every byte and restores (stopped)
 *   -> hand-over recorded here
 */
import { join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { MigrationProgress } from '../../shared/jobs/migrationProgress.js';
import type { PagesSeen } from '../jobs/pageChannel.js';
import type { JobsService } from '../jobs/jobsService.js';
import type { DumpResult, LocalSteps } from './localSteps.js';
import type { Clock, PeerLink } from './ports.js';
import type { Failpoint } from './failpoints.js';
import { anotherRound, choosePath } from './precopy.js';
import { RpcError } from '../../shared/protocol/rpc.js';

export type Report = (p: Omit<MigrationProgress, 'ref' | 'from' | 'to' | 'at'>) => void;

export interface CopyJob {
  jobs: JobsService;
  steps: LocalSteps;
  link: PeerLink;
  clock: Clock;
  fp: Failpoint;
  report: Report;
  key: string;
  job: JobRecord;
  to: NodeId;
  /** The migration's id, and its image directory here. */
  id: string;
  dir: string;
  restoreTimeoutMs: number;
  /** The job's memory as last sampled, for the choice of way and for progress. */
  jobBytes: number | undefined;
}

/** The page channel of a pre-copy round or of the final dump: "<id>--pre1", "<id>--final". */
export const subChannel = (id: string, sub: string): string => (sub ? `${id}--${sub}` : id);

/** Reports bytes as they pass, at most every quarter of a second. */
function meter(c: CopyJob, phase: 'pre-copy' | 'dumping', extra: { round?: number } = {}): (bytes: number) => void {
  const t0 = c.clock.now();
  let last = 0;
  return (bytes) => {
    const now = c.clock.now();
    if (now - last < 250) return;
    last = now;
    const s = (now - t0) / 1000;
    c.report({ phase, bytes, ...(c.jobBytes ? { totalBytes: c.jobBytes } : {}), ...(s > 0 ? { bytesPerS: bytes / s } : {}), ...extra });
  };
}

/**
 * Copies the job's memory to the target: pre-copy rounds if chosen, then the dump (the job
 * stays frozen from there). Resolves with the dump and what went through each page channel.
 */
export async function copyJob(c: CopyJob): Promise<{ dump: DumpResult; pages: Record<string, PagesSeen>; path: string; dumpedAt: number }> {
  const { steps, link, to, id, dir, key } = c;
  const self = link.selfId;
  const choice = choosePath(await c.jobs.criu(), self, c.jobBytes);
  c.report({ phase: 'checking', path: choice.path, why: choice.why });
  const sent: Record<string, PagesSeen> = {};
  let prevDir: string | undefined;
  if (choice.path === 'pre-copy') {
    const rounds: number[] = [];
    for (let n = 1; anotherRound(rounds); n++) {
      const pages = await link.openPages(to, subChannel(id, `pre${n}`), meter(c, 'pre-copy', { round: n }));
      c.report({ phase: 'pre-copy', round: n });
      const r = await steps.preDump(key, join(dir, `pre-${n}`), prevDir, pages).catch((e) => withTargetsReason(c, e));
      sent[`pre${n}`] = r.pages;
      rounds.push(r.pages.bytes);
      prevDir = join(dir, `pre-${n}`);
    }
  }
  const final = choice.path === 'pre-copy' ? 'final' : '';
  const pages = await link.openPages(to, subChannel(id, final), meter(c, 'dumping'));
  c.report({ phase: 'dumping', ...(c.jobBytes ? { totalBytes: c.jobBytes } : {}) });
  const dump = await steps
    .prepareDump(key, final ? join(dir, final) : dir, { id, from: self, to }, { pages, ...(prevDir ? { prevDir } : {}) })
    .catch((e) => withTargetsReason(c, e));
  if (dump.pages) sent[final] = dump.pages;
  return { dump, pages: sent, path: choice.path, dumpedAt: c.clock.now() };
}

/**
 * A dump that streamed its memory failed: if the target's page server failed first (its disk
 * full, say), that is the reason to give, not the source's CRIU losing its page server.
 */
async function withTargetsReason(c: CopyJob, e: unknown): Promise<never> {
  const there = await c.link.request(c.to, 'mig.status', { id: c.id }, 5000).catch(() => undefined);
  if (!there?.pagesError) throw e;
  const why = (e as Error).message;
  throw new RpcError(e instanceof RpcError ? e.code : 'EDUMP', `${there.pagesError}; so ${why.charAt(0).toLowerCase()}${why.slice(1)}`);
}

/**
 * After the dump: the other images, the target's check and restore, then the hand-over.
 * Resolves with when the images were sent and the restore done (for the freeze's phases).
 */
export async function handToTarget(c: CopyJob, dump: DumpResult, pages: Record<string, PagesSeen>): Promise<{ sentAt: number; restoredAt: number }> {
  const { link, to, id, key } = c;
  await c.fp('after-dump');
  c.report({ phase: 'sending', bytes: dump.files.reduce((a, f) => a + f.size, 0) });
  await link.sendFiles(to, subChannel(id, dump.dir.endsWith('/final') ? 'final' : ''), dump.files.map((f) => join(dump.dir, f.name)));
  const sentAt = c.clock.now();
  await c.fp('after-transfer');
  c.report({ phase: 'restoring' });
  await link.request(to, 'mig.restore', { id, job: c.jobs.job(key), pages }, c.restoreTimeoutMs);
  const restoredAt = c.clock.now();
  c.steps.handOver(key, to, id);
  return { sentAt, restoredAt };
}
