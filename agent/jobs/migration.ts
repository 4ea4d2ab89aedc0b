/**
 * The node-local steps of a live migration, for the orchestrator that drives them over
 * the peer channel. The order that keeps exactly one instance alive:
 *
 *   source: checkMovable -> [preDump ...] -> prepareDump (frozen, still here)
 *   (images travel)
 *   target: restoreHere (restored, still stopped)
 *   source: killSource          <- only now does the source copy die
 *   target: resumeRestored      <- only now does the target copy run
 *
 * Any failure before killSource: resumeSource on the source, discardRestored on the
 * target. The images are only valid while the source stays frozen: once resumed, its
 * files move on (CRIU then refuses them: "has bad size"), so a retry needs a new dump.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import { jobKey, type JobRef } from '../../shared/domain/process.js';
import { criuProblem, type TargetFacts } from '../../shared/jobs/cantMove.js';
import type { JobRecord, MigrationRecord } from '../../shared/jobs/job.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { dump, restore } from './criu.js';
import type { JobsService } from './jobsService.js';
import { processTree, readStat, sameProcess, signalPids, stoppedIn } from './procTree.js';
import { readSmallFile } from '../sampler/procfs.js';

export interface ImageFile {
  /** Relative to the dump directory. */
  name: string;
  size: number;
}

export interface DumpResult {
  dir: string;
  files: ImageFile[];
  bytes: number;
  /** ms since the epoch (source clock) when the job was frozen. */
  frozenAt: number;
  dumpMs: number;
}

function listImages(dir: string, prefix = ''): ImageFile[] {
  const out: ImageFile[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isFile()) out.push({ name, size: statSync(join(dir, name)).size });
    else if (e.isDirectory()) out.push(...listImages(dir, name));
  }
  return out;
}

export class Migration {
  constructor(private readonly jobs: JobsService) {}

  private node(): string {
    const id = this.jobs.nodeId;
    return id ? `node ${id}` : 'this node';
  }

  private async criuPath(): Promise<string> {
    const facts = await this.jobs.criu();
    const problem = criuProblem(0, facts);
    if (problem || !facts.path) throw new RpcError('ENOCRIU', problem ?? 'CRIU is not available on this node');
    return facts.path;
  }

  private here(key: string): JobRecord & { pid: number } {
    const r = this.jobs.job(key);
    if (r.where !== 0 || !r.pid || !sameProcess(r.pid, r.pidStart)) {
      throw new RpcError('EAWAY', `job ${key} does not run on ${this.node()} now`);
    }
    return r as JobRecord & { pid: number };
  }

  /** What this node offers as a target (the answer to jobs.facts). */
  async facts(): Promise<TargetFacts> {
    const c = this.jobs.config;
    return { node: this.jobs.nodeId, criu: await this.jobs.criu(), blocksGuests: c.blockGuests, sharedRoots: c.sharedRoots, localRoots: c.localRoots };
  }

  checkMovable(ref: JobRef, target?: TargetFacts): Promise<string[]> {
    return this.jobs.check({ ref }, target);
  }

  /** A memory pass while the job runs on; only where the kernel tracks dirty pages. */
  async preDump(key: string, dir: string, prevDir?: string): Promise<{ dir: string; bytes: number; ms: number }> {
    const r = this.here(key);
    const criu = await this.criuPath();
    if (!(await this.jobs.criu()).preDump) {
      throw new RpcError('ENOTSUP', `${this.node()} cannot pre-copy memory (its kernel lacks soft-dirty tracking, CONFIG_MEM_SOFT_DIRTY): migrate with a single dump`);
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const res = await dump(criu, { pid: r.pid, dir, pre: true, timeoutMs: this.jobs.config.criuTimeoutMs, node: this.node(), ...(prevDir ? { prevDir } : {}) });
    return { dir, bytes: listImages(dir).reduce((a, f) => a + f.size, 0), ms: res.ms };
  }

  /** Checkpoints the job and leaves it frozen here: resumeSource undoes it, killSource ends it. */
  async prepareDump(key: string, dir: string, opts: { prevDir?: string } = {}): Promise<DumpResult> {
    const r = this.here(key);
    if (r.state === 'frozen') throw new RpcError('EBUSY', `job ${key} is already being migrated`);
    const criu = await this.criuPath();
    const before = r.state === 'stopped' ? 'stopped' : 'running';
    this.jobs.registry.update(key, { state: 'frozen', frozenBy: 'checkpoint', stateBeforeFreeze: before });
    const frozenAt = Date.now();
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const res = await dump(criu, { pid: r.pid, dir, timeoutMs: this.jobs.config.criuTimeoutMs, node: this.node(), ...opts });
      const files = listImages(dir);
      return { dir, files, bytes: files.reduce((a, f) => a + f.size, 0), frozenAt, dumpMs: res.ms };
    } catch (e) {
      this.resumeSource(key, (e as Error).message);
      throw new RpcError('EDUMP', (e as Error).message);
    }
  }

  /** Undoes prepareDump: the job goes on here as before. Safe to call more than once. */
  resumeSource(key: string, note?: string): JobRecord {
    const r = this.here(key);
    const back = r.stateBeforeFreeze ?? 'running';
    if (back === 'running') this.cont(r.pid);
    const { frozenBy: _f, stateBeforeFreeze: _s, pendingCommit: _c, ...rest } = r;
    return this.jobs.registry.put({ ...rest, state: back, ...(note ? { note: `migration failed, the job goes on here: ${note}` } : {}) });
  }

  /** The target has the job restored: the frozen copy here dies. */
  killSource(key: string, to: NodeId): void {
    const r = this.here(key);
    if (r.frozenBy !== 'checkpoint') throw new RpcError('EBUSY', `job ${key} is not frozen by a checkpoint: refusing to kill it`);
    const { pid: _p, pidStart: _s, frozenBy: _f, stateBeforeFreeze: _b, pendingCommit: _c, ...rest } = r;
    // Recorded before the kill, so the exit watcher does not take it for an exit.
    if (r.ref.home === this.jobs.nodeId) this.jobs.registry.put({ ...rest, state: 'away', where: to, note: `migrated to node ${to}` });
    else this.jobs.registry.remove(key);
    signalPids([r.pid], 'SIGKILL');
  }

  /** Restores images here, stopped; returns the job's init PID in this node's namespace. */
  async restoreHere(dir: string, meta: JobRecord): Promise<{ pid: number; restoreMs: number }> {
    const key = jobKey(meta.ref);
    const existing = this.jobs.registry.get(key);
    if (existing?.where === 0 && existing.pid && sameProcess(existing.pid, existing.pidStart)) {
      throw new RpcError('EEXIST', `job ${key} already runs on ${this.node()}: refusing a second copy`);
    }
    if (this.jobs.config.blockGuests && meta.ref.home !== this.jobs.nodeId) throw new RpcError('EBLOCKED', `${this.node()} blocks guest processes`);
    const criu = await this.criuPath();
    const restoreDir = dirHasFinal(dir) ? join(dir, 'final') : dir;
    let res: { pid: number; ms: number };
    try {
      res = await restore(criu, restoreDir, this.jobs.config.criuTimeoutMs, this.node());
    } catch (e) {
      throw new RpcError('ERESTORE', (e as Error).message);
    }
    adoptAffinity(processTree(res.pid));
    const start = readStat(res.pid)?.starttime;
    const { pid: _p, pidStart: _s, stateBeforeFreeze: _b, ...rest } = meta;
    this.jobs.registry.put({
      ...rest, where: 0, pid: res.pid, state: 'frozen', frozenBy: 'restore',
      ...(start !== undefined ? { pidStart: start } : {}),
      stateBeforeFreeze: meta.stateBeforeFreeze ?? 'running',
    });
    return { pid: res.pid, restoreMs: res.ms };
  }

  /** The source copy is dead: the restored copy runs (stays stopped if it was SIGSTOPped). */
  resumeRestored(key: string, m: Omit<MigrationRecord, 'at'>): JobRecord {
    const r = this.here(key);
    if (r.frozenBy !== 'restore') throw new RpcError('EBUSY', `job ${key} was not restored here`);
    const back = r.stateBeforeFreeze ?? 'running';
    if (back === 'running') this.cont(r.pid);
    const { frozenBy: _f, stateBeforeFreeze: _s, ...rest } = r;
    return this.jobs.registry.put({
      ...rest, state: back, migrations: r.migrations + 1, lastMigration: { ...m, at: Date.now() },
      note: `migrated from node ${m.from}`,
    });
  }

  /** The migration was called off: the restored, never-resumed copy here goes. */
  discardRestored(key: string): void {
    const r = this.jobs.registry.get(key);
    if (!r || r.frozenBy !== 'restore') return;
    if (r.pid && sameProcess(r.pid, r.pidStart)) signalPids([r.pid], 'SIGKILL');
    this.jobs.registry.remove(key);
  }

  /** At the home node: the job, away, ended on node `on`; its record says how (mosrun waits for this). */
  noteEnded(ref: JobRef, on: NodeId, state: 'exited' | 'killed' | 'lost', exitStatus?: number): void {
    const r = this.jobs.registry.get(ref);
    if (!r || r.where === 0) return; // ours runs here (or never left): this news is not about it
    this.jobs.registry.put({ ...r, state, where: on, ...(exitStatus !== undefined ? { exitStatus } : {}), note: `ended on node ${on}` });
  }

  /** At the home node: the job moved between two other nodes. */
  noteMoved(ref: JobRef, where: NodeId, m?: MigrationRecord): void {
    const r = this.jobs.registry.get(ref);
    if (!r || r.where === 0) return;
    this.jobs.registry.put({ ...r, state: 'away', where, ...(m ? { migrations: r.migrations + 1, lastMigration: m } : {}) });
  }

  /** After a daemon restart: a checkpointed source that never got killed goes on running. */
  recover(): void {
    for (const r of this.jobs.registry.list()) {
      // A copy whose target was told to run the job waits for the orchestrator to ask it.
      if (r.pendingCommit) continue;
      if (r.state === 'frozen' && r.frozenBy === 'checkpoint' && r.pid && sameProcess(r.pid, r.pidStart)) {
        this.resumeSource(jobKey(r.ref), 'the agent restarted during the migration');
      }
    }
  }

  private cont(pid: number): void {
    const pids = processTree(pid);
    signalPids(pids, 'SIGCONT');
    // A SIGCONT that raced a stop is sent again; a still-stopped job would look lost.
    const left = stoppedIn(pids);
    if (left.length) signalPids(left, 'SIGCONT');
  }
}

function dirHasFinal(dir: string): boolean {
  try {
    return statSync(join(dir, 'final')).isDirectory();
  } catch {
    return false;
  }
}

/** CPU affinity is restored from the source; the job should use this node's CPUs. */
function adoptAffinity(pids: number[]): void {
  const list = /Cpus_allowed_list:\s*(\S+)/.exec(readSmallFile('/proc/self/status') ?? '')?.[1];
  if (!list) return;
  for (const p of pids) {
    try {
      execFileSync('taskset', ['-a', '-c', '-p', list, String(p)], { stdio: 'ignore', timeout: 5000 });
    } catch {
      /* best effort: without taskset the job keeps the source's CPU mask */
    }
  }
}
