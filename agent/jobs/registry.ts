/**
 * The jobs this node knows: its own (wherever they run now) and its guests. One JSON file
 * per job under <stateDir>/jobs/, written atomically, so the registry survives a daemon
 * restart while the jobs themselves keep running.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { jobKey, type JobRef } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { writeAtomic } from '../stateDir.js';

export class JobRegistry {
  private readonly jobs = new Map<string, JobRecord>();

  constructor(
    readonly dir: string,
    private readonly onChange: (r: JobRecord) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(dir)) {
      if (!/^\d+\.\d+\.json$/.test(name)) continue;
      try {
        const r = JSON.parse(readFileSync(join(dir, name), 'utf8')) as JobRecord;
        this.jobs.set(jobKey(r.ref), r);
      } catch (e) {
        process.stderr.write(`mosixview-agent: skipping unreadable job record ${name}: ${(e as Error).message}\n`);
      }
    }
  }

  list(): JobRecord[] {
    return [...this.jobs.values()];
  }

  get(ref: JobRef | string): JobRecord | undefined {
    return this.jobs.get(typeof ref === 'string' ? ref : jobKey(ref));
  }

  /** The job whose init has this PID here. */
  byPid(pid: number): JobRecord | undefined {
    for (const r of this.jobs.values()) if (r.pid === pid && r.where === 0) return r;
    return undefined;
  }

  put(r: JobRecord): JobRecord {
    const key = jobKey(r.ref);
    writeAtomic(join(this.dir, `${key}.json`), JSON.stringify(r, null, 1) + '\n');
    this.jobs.set(key, r);
    this.onChange(r);
    return r;
  }

  update(ref: JobRef | string, patch: Partial<JobRecord>): JobRecord {
    const r = this.get(ref);
    if (!r) throw new Error(`no job ${typeof ref === 'string' ? ref : jobKey(ref)} on this node`);
    return this.put({ ...r, ...patch });
  }

  remove(ref: JobRef | string): void {
    const key = typeof ref === 'string' ? ref : jobKey(ref);
    rmSync(join(this.dir, `${key}.json`), { force: true });
    this.jobs.delete(key);
  }
}
