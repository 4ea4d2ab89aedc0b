/**
 * The jobs this node knows: its own (wherever they run now) and its guests. One JSON file
 * per job under <stateDir>/jobs/, written atomically, so the registry survives a daemon
 * restart while the jobs themselves keep running.
 *
 * Two ways to change a record, because a full disk must not cost a job:
 * - `put` (and `update`) is write-ahead: the record counts only once it is on disk, and a
 *   failed write throws and changes nothing. The migration protocol uses it before a step
 *   that a restart must know about (freezing a job, handing it over).
 * - `record` (and `note`) tells what already happened (a job resumed, exited, moved): it
 *   counts at once; a failed write is logged and retried by `flush` (once a second).
 */
import { join } from 'node:path';
import { jobKey, type JobRef } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { StateFiles } from './host.js';
import { realStateFiles } from './realHost.js';
import { log as agentLog } from '../log/log.js';

const keyOf = (ref: JobRef | string) => (typeof ref === 'string' ? ref : jobKey(ref));

export class JobRegistry {
  private readonly jobs = new Map<string, JobRecord>();
  /** Records whose file is behind memory: undefined = its file is still to be removed. */
  private readonly unsaved = new Map<string, JobRecord | undefined>();
  private lastProblem: string | undefined;

  constructor(
    readonly dir: string,
    private readonly onChange: (r: JobRecord) => void = () => {},
    private readonly files: StateFiles = realStateFiles,
    private readonly log: (m: string) => void = (m) => agentLog.warn(m),
  ) {
    files.mkdir(dir);
    for (const name of files.list(dir)) {
      if (!/^\d+\.\d+\.json$/.test(name)) continue;
      try {
        const r = JSON.parse(files.read(join(dir, name)) ?? '') as JobRecord;
        this.jobs.set(jobKey(r.ref), r);
      } catch (e) {
        this.log(`skipping unreadable job record ${name}: ${(e as Error).message}`);
      }
    }
  }

  list(): JobRecord[] {
    return [...this.jobs.values()];
  }

  get(ref: JobRef | string): JobRecord | undefined {
    return this.jobs.get(keyOf(ref));
  }

  /** The job whose init has this PID here. */
  byPid(pid: number): JobRecord | undefined {
    for (const r of this.jobs.values()) if (r.pid === pid && r.where === 0) return r;
    return undefined;
  }

  /** On disk, then in memory; throws (changing nothing) when it cannot be written. */
  put(r: JobRecord): JobRecord {
    const key = jobKey(r.ref);
    this.write(key, r);
    this.unsaved.delete(key);
    return this.set(key, r);
  }

  update(ref: JobRef | string, patch: Partial<JobRecord>): JobRecord {
    return this.put({ ...this.must(ref), ...patch });
  }

  /** In memory at once; on disk now, or by `flush` once the disk takes it again. */
  record(r: JobRecord): JobRecord {
    const key = jobKey(r.ref);
    this.set(key, r);
    this.unsaved.set(key, r);
    this.flushOne(key);
    return r;
  }

  note(ref: JobRef | string, patch: Partial<JobRecord>): JobRecord {
    return this.record({ ...this.must(ref), ...patch });
  }

  remove(ref: JobRef | string): void {
    const key = keyOf(ref);
    this.jobs.delete(key);
    this.unsaved.set(key, undefined);
    this.flushOne(key);
  }

  /** Writes what a failed write left behind; true when nothing is left. */
  flush(): boolean {
    for (const key of [...this.unsaved.keys()]) this.flushOne(key);
    return this.unsaved.size === 0;
  }

  /** Why the last write failed, while some record is still not on disk. */
  problem(): string | undefined {
    return this.unsaved.size ? this.lastProblem : undefined;
  }

  private flushOne(key: string): void {
    if (!this.unsaved.has(key)) return;
    const r = this.unsaved.get(key);
    try {
      if (r) this.write(key, r);
      else this.files.remove(this.path(key));
      this.unsaved.delete(key);
      if (this.lastProblem && this.unsaved.size === 0) {
        this.log(`job records are written again in ${this.dir}`);
        this.lastProblem = undefined;
      }
    } catch (e) {
      const why = (e as Error).message;
      // Once per kind of failure, not once a second.
      if (why !== this.lastProblem) this.log(`cannot write job records in ${this.dir} (${why}): the agent keeps them in memory and retries; free space or fix the directory`);
      this.lastProblem = why;
    }
  }

  private write(key: string, r: JobRecord): void {
    this.files.write(this.path(key), JSON.stringify(r, null, 1) + '\n');
  }

  private path(key: string): string {
    return join(this.dir, `${key}.json`);
  }

  private set(key: string, r: JobRecord): JobRecord {
    this.jobs.set(key, r);
    this.onChange(r);
    return r;
  }

  private must(ref: JobRef | string): JobRecord {
    const r = this.get(ref);
    if (!r) throw new Error(`no job ${keyOf(ref)} on this node`);
    return r;
  }
}
