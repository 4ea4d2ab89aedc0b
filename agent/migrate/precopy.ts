/**
 * Which way a job's memory moves, and for how many rounds: pure decisions of the
 * orchestrator, said in the admin's words (the migrator and `migrate` show them).
 *
 * - one dump: the job is frozen while CRIU dumps it; its memory streams to the target
 *   meanwhile. Always possible.
 * - pre-copy: where the source's kernel tracks dirty pages (CRIU's mem_dirty_track), the job
 *   keeps running while its memory is copied in rounds (`criu pre-dump`), each round only
 *   what changed since the last; the final dump, with the job frozen, copies the rest. Worth
 *   it for a job big enough that a dump takes noticeably long.
 */
import type { CriuFacts } from '../../shared/jobs/targetFacts.js';

export type MovePath = 'one dump' | 'pre-copy';

export interface PathChoice {
  path: MovePath;
  why: string;
}

const MiB = 1024 * 1024;
/** Below this, one dump freezes the job for a fraction of a second anyway. */
export const PRECOPY_MIN_BYTES = 256 * MiB;
/** A round this small is left to the final dump. */
export const FINAL_BYTES = 16 * MiB;
/** A round must copy at most this share of the one before, or rounds stop: the job dirties memory too fast. */
export const SHRINK = 0.6;
export const MAX_ROUNDS = 6;

export function choosePath(source: CriuFacts, sourceNode: number, jobBytes: number | undefined): PathChoice {
  if (!source.preDump) {
    return { path: 'one dump', why: `node ${sourceNode}'s kernel does not track dirty pages (CONFIG_MEM_SOFT_DIRTY), so the job stays frozen while its memory is copied` };
  }
  if (jobBytes === undefined || jobBytes < PRECOPY_MIN_BYTES) {
    const size = jobBytes === undefined ? 'an unknown amount of' : `${Math.round(jobBytes / MiB)} MiB of`;
    return { path: 'one dump', why: `the job holds ${size} memory: one dump is quicker than rounds of copying` };
  }
  return { path: 'pre-copy', why: `node ${sourceNode} tracks dirty pages: the memory is copied while the job runs, then only what changed since` };
}

/** After pre-copy rounds that copied `rounds` bytes each: another round, or the final dump now? */
export function anotherRound(rounds: readonly number[]): boolean {
  const last = rounds.at(-1);
  if (last === undefined) return true;
  if (rounds.length >= MAX_ROUNDS || last <= FINAL_BYTES) return false;
  const before = rounds.at(-2);
  return before === undefined || last <= before * SHRINK;
}
