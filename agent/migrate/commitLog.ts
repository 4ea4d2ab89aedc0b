/**
 * The target's durable record of every migration it committed to run, synced to disk
 * before the commit is answered. After a restart it is the only truthful answer to the
 * source's "do you run it?": the job registry cannot say, because a guest that has since
 * exited or moved on leaves no record there, and "no" would make the source resume a second
 * copy of a job that did run here.
 *
 * One line per commit, `<migration id> <ms>`, appended and fsynced. A torn last line (a crash
 * mid-append) was never answered, so it is not a commit. Kept for RETAIN_MS; an id older than
 * what the log still holds is answered "unknown", never "no".
 */
import { join } from 'node:path';
import type { StateFiles } from '../jobs/host.js';

export const COMMIT_LOG = 'migrations-committed.log';
/** How long a commit is remembered: a source down for longer must ask the admin. */
export const RETAIN_MS = 60 * 24 * 3600_000;
/** Compacted when it holds more lines than this. */
const COMPACT_AT = 20_000;

/** Migration ids are "<job key>-<source node>-<ms by the source's clock>". */
export function idTime(id: string): number | undefined {
  const t = Number(id.split('-').at(-1));
  return Number.isSafeInteger(t) && t > 0 ? t : undefined;
}

export class CommitLog {
  private readonly ids = new Map<string, number>();
  /** Commits before this time (ms) may have been dropped by compaction. */
  private horizon = 0;
  readonly path: string;

  constructor(
    stateDir: string,
    private readonly files: StateFiles,
    private readonly now: () => number,
  ) {
    this.path = join(stateDir, COMMIT_LOG);
    const text = files.read(this.path) ?? '';
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.split('\n')) {
      const [id, at] = line.split(' ');
      if (id === '#horizon') this.horizon = Number(at) || 0;
      else if (id && Number(at) > 0) this.ids.set(id, Number(at));
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** True when the log can no longer tell whether `id` was committed (older than it keeps). */
  forgotten(id: string): boolean {
    const t = idTime(id);
    if (t === undefined) return true;
    // Nothing was ever dropped before the first compaction. A day's margin for the source's
    // clock being ahead of ours.
    return this.horizon > 0 && t < this.horizon + 24 * 3600_000;
  }

  /** Durable when it returns; throws when the disk does not take it (then nothing was committed). */
  add(id: string): void {
    if (this.ids.has(id)) return;
    const at = this.now();
    this.files.append(this.path, `${id} ${at}\n`);
    this.ids.set(id, at);
    if (this.ids.size > COMPACT_AT) this.compact();
  }

  private compact(): void {
    const cutoff = this.now() - RETAIN_MS;
    const keep = [...this.ids].filter(([, at]) => at >= cutoff);
    const horizon = Math.max(this.horizon, cutoff);
    try {
      this.files.write(this.path, `#horizon ${horizon}\n${keep.map(([id, at]) => `${id} ${at}\n`).join('')}`);
    } catch {
      return; // the whole log stays; compaction is tried again at the next commit
    }
    this.horizon = horizon;
    this.ids.clear();
    for (const [id, at] of keep) this.ids.set(id, at);
  }
}
