/**
 * The node-local steps of a live migration, for the orchestrator (source) and the target
 * side that drive them over the peer channel. The order that keeps exactly one copy alive:
 *
 *   source: prepareDump (recorded frozen first, then dumped: stopped, still here)
 *   (images travel)
 *   target: restoreHere (restored, stopped, recorded)
 *   source: handOver    (recorded: the target is told to run it; from now on only the
 *                        target's answer may resume this copy)
 *   target: commit      (recorded in its commit log, then resumeRestored: it runs there)
 *   source: killSource  (the frozen copy dies)
 *
 * Any failure before handOver: resumeSource here, discardRestored there. The images are
 * only valid while the source stays frozen: once resumed, its files move on (CRIU then
 * refuses them: "has bad size"), so a retry needs a new dump.
 *
 * Records written before a step that a restart must know about use the registry's
 * write-ahead `put` (a failed write stops the step); records of what already happened use
 * `record` (a failed write is retried, the job is not held back by a full disk).
 */
import { join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import { jobKey, type JobRef } from '../../shared/domain/process.js';
import { criuProblem } from '../jobs/cantMove.js';
import { strangerIn } from '../jobs/jobOwners.js';
import type { TargetFacts } from '../../shared/jobs/targetFacts.js';
import { ROOT_OWNER, type JobRecord, type MigrationRecord } from '../../shared/jobs/job.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { ImageFile } from '../jobs/host.js';
import type { PageChannel, PagesSeen } from '../jobs/pageChannel.js';
import type { JobsService } from '../jobs/jobsService.js';

export interface DumpResult {
  dir: string;
  /** The images left in `dir` to send (with a page channel: all but the memory pages). */
  files: ImageFile[];
  /** Everything the migration moves: the files and the pages streamed. */
  bytes: number;
  /** What went through the page channel, for the target to check. */
  pages?: PagesSeen;
  /** ms (source clock) when the job was frozen. */
  frozenAt: number;
  dumpMs: number;
}

export interface Move {
  id: string;
  from: NodeId;
  to: NodeId;
}

type Running = JobRecord & { pid: number };

export class LocalSteps {
  constructor(
    private readonly jobs: JobsService,
    private readonly now: () => number = Date.now,
  ) {}

  private node(): string {
    const id = this.jobs.nodeId;
    return id ? `node ${id}` : 'this node';
  }

  private async criuReady(): Promise<void> {
    const facts = await this.jobs.criu();
    const problem = criuProblem(0, facts);
    if (problem || !facts.path) throw new RpcError('ENOCRIU', problem ?? 'CRIU is not available on this node');
  }

  /** The job's copy here, if its init still lives. */
  private alive(key: string): Running | undefined {
    const r = this.jobs.registry.get(key);
    return r && r.where === 0 && r.pid && this.jobs.host.alive(r.pid, r.pidStart) ? (r as Running) : undefined;
  }

  private here(key: string): Running {
    const r = this.alive(key);
    if (!r) throw new RpcError('EAWAY', `job ${key} does not run on ${this.node()} now`);
    return r;
  }

  /** What this node offers as a target (the answer to mig.facts). */
  async facts(): Promise<TargetFacts> {
    const c = this.jobs.config;
    return { node: this.jobs.nodeId, criu: await this.jobs.criu(), blocksGuests: c.blockGuests, sharedRoots: c.sharedRoots, localRoots: c.localRoots };
  }

  checkMovable(ref: JobRef, target?: TargetFacts): Promise<string[]> {
    return this.jobs.check({ ref }, target);
  }

  /**
   * A memory pass while the job runs on (only where the kernel tracks dirty pages): the pages
   * dirtied since the pass in `prevDir` (all, for the first) go through `pages` to the target.
   */
  async preDump(key: string, dir: string, prevDir: string | undefined, pages: PageChannel): Promise<{ dir: string; ms: number; pages: PagesSeen }> {
    const r = this.here(key);
    await this.criuReady();
    if (!(await this.jobs.criu()).preDump) {
      throw new RpcError('ENOTSUP', `${this.node()} cannot pre-copy memory (its kernel lacks soft-dirty tracking, CONFIG_MEM_SOFT_DIRTY): migrate with a single dump`);
    }
    this.jobs.files.mkdir(dir);
    const res = await this.jobs.checkpointer.dump(r.pid, dir, { pre: true, pages, ...(prevDir ? { prevDir } : {}) });
    if (!res.pages) throw new RpcError('EDUMP', `the pre-copy on ${this.node()} sent no memory`);
    return { dir, ms: res.ms, pages: res.pages };
  }

  /**
   * Checkpoints the job and leaves it frozen here: resumeSource undoes it, killSource ends
   * it. Recorded as frozen before CRIU touches it, so a restart knows to resume it.
   */
  async prepareDump(key: string, dir: string, move: Move, opts: { prevDir?: string; pages?: PageChannel } = {}): Promise<DumpResult> {
    const r = this.here(key);
    if (r.state === 'frozen') throw new RpcError('EBUSY', `job ${key} is already being migrated`);
    await this.criuReady();
    const before = r.state === 'stopped' ? 'stopped' : 'running';
    try {
      this.jobs.registry.put({ ...this.here(key), state: 'frozen', frozenBy: 'checkpoint', stateBeforeFreeze: before, moving: move });
    } catch (e) {
      throw new RpcError('ESTATE', `job ${key} stays here untouched: ${this.node()} cannot record the migration in its state directory (${(e as Error).message})`);
    }
    const frozenAt = this.now();
    try {
      this.jobs.files.mkdir(dir);
      const res = await this.jobs.checkpointer.dump(r.pid, dir, opts);
      // The logs and stats stay here: they are for this node's admin, not for the restore.
      const files = this.jobs.files.images(dir).filter((f) => !/(^|\/)(.*\.log|stats-dump)$/.test(f.name));
      const local = files.reduce((a, f) => a + f.size, 0);
      return { dir, files, bytes: local + (res.pages?.bytes ?? 0), frozenAt, dumpMs: res.ms, ...(res.pages ? { pages: res.pages } : {}) };
    } catch (e) {
      this.resumeSource(key, (e as Error).message);
      throw new RpcError('EDUMP', (e as Error).message);
    }
  }

  /**
   * The target is about to be told to run the job: from the moment this is on disk, only
   * the target's answer may resume or end this frozen copy. Throws when it cannot be written
   * (then the target must not be told).
   */
  handOver(key: string, to: NodeId, id: string): void {
    this.jobs.registry.update(key, { pendingCommit: { to, id } });
  }

  /** Undoes prepareDump: the job goes on here as before. Safe to call more than once. */
  resumeSource(key: string, note?: string): void {
    const r = this.jobs.registry.get(key);
    if (!r || r.where !== 0) return;
    const back = r.stateBeforeFreeze ?? 'running';
    // Resumed, then recorded: should the agent die in between, its record still says frozen
    // and the restart resumes it again (harmless); the other order could leave it stopped.
    if (back === 'running' && r.pid && this.jobs.host.alive(r.pid, r.pidStart)) this.cont(r.pid);
    const { frozenBy: _f, stateBeforeFreeze: _s, pendingCommit: _c, moving: _m, ...rest } = r;
    this.jobs.registry.record({ ...rest, state: back, ...(note ? { note: `migration failed, the job goes on here: ${note}` } : {}) });
  }

  /** The target runs the job: the frozen copy here dies. Safe to call again after a restart. */
  killSource(key: string, to: NodeId): void {
    const r = this.jobs.registry.get(key);
    if (!r || r.where !== 0) return; // done before
    if (r.frozenBy !== 'checkpoint') throw new RpcError('EBUSY', `job ${key} is not frozen by a checkpoint: refusing to kill it`);
    const { pid, pidStart, frozenBy: _f, stateBeforeFreeze: _b, pendingCommit: _c, moving: _m, ...rest } = r;
    // Killed, then recorded: should the agent die in between, its record still holds the
    // hand-over and the restart asks the target again, then finds the copy gone. (The exit
    // watcher leaves a frozen job to the migration code.)
    if (pid && this.jobs.host.alive(pid, pidStart)) this.jobs.host.signal([pid], 'SIGKILL');
    if (r.ref.home === this.jobs.nodeId) this.jobs.registry.record({ ...rest, state: 'away', where: to, note: `migrated to node ${to}` });
    else this.jobs.registry.remove(key);
  }

  /** Restores images here, stopped, and records it; returns the job's init PID here. */
  async restoreHere(dir: string, meta: JobRecord, move: Move): Promise<{ pid: number; restoreMs: number }> {
    const key = jobKey(meta.ref);
    if (this.alive(key)) throw new RpcError('EEXIST', `job ${key} already runs on ${this.node()}: refusing a second copy`);
    if (this.jobs.config.blockGuests && meta.ref.home !== this.jobs.nodeId) throw new RpcError('EBLOCKED', `${this.node()} blocks guest processes`);
    await this.criuReady();
    const restoreDir = this.jobs.files.list(dir).includes('final') ? join(dir, 'final') : dir;
    let res: { pid: number; ms: number };
    try {
      res = await this.jobs.checkpointer.restore(restoreDir);
    } catch (e) {
      throw new RpcError('ERESTORE', (e as Error).message);
    }
    // CRIU restores the credentials of the images: the copy must run as the owner the
    // record names, never as another uid (images from a source that lied about either).
    const owner = meta.owner ?? ROOT_OWNER;
    const uidOf = this.jobs.host.uidOf;
    const uid = uidOf && strangerIn(this.jobs.host.tree(res.pid).map((p) => uidOf(p)), owner);
    if (uid !== undefined) {
      this.jobs.host.signal([res.pid], 'SIGKILL');
      throw new RpcError('ERESTORE', `the restored copy of job ${key} ran as uid ${uid}, but the job is ${owner.user}'s (uid ${owner.uid}): it was discarded; the source keeps the job`);
    }
    this.jobs.host.adoptAffinity(this.jobs.host.tree(res.pid));
    const start = this.jobs.host.startTime(res.pid);
    const { pid: _p, pidStart: _s, stateBeforeFreeze: _b, pendingCommit: _c, ...rest } = meta;
    try {
      this.jobs.registry.put({
        ...rest, where: 0, pid: res.pid, state: 'frozen', frozenBy: 'restore', moving: move,
        ...(start !== undefined ? { pidStart: start } : {}),
        stateBeforeFreeze: meta.stateBeforeFreeze ?? 'running',
      });
    } catch (e) {
      this.jobs.host.signal([res.pid], 'SIGKILL');
      throw new RpcError('ESTATE', `${this.node()} cannot record the restored job in its state directory (${(e as Error).message}): the restored copy was discarded`);
    }
    return { pid: res.pid, restoreMs: res.ms };
  }

  /** The restored copy is still there, stopped, waiting for the commit. */
  restoredAlive(key: string): boolean {
    const r = this.alive(key);
    return !!r && r.frozenBy === 'restore';
  }

  /**
   * The target's commit is on disk: the restored copy runs (or stays stopped if it was
   * SIGSTOPped before), then that is recorded. Should the agent die in between, the restart
   * finds the commit and the copy still recorded as restored, and resumes it again.
   */
  resumeRestored(key: string, m: Omit<MigrationRecord, 'at'>): JobRecord {
    const r = this.here(key);
    if (r.frozenBy !== 'restore') throw new RpcError('EBUSY', `job ${key} was not restored here`);
    const back = r.stateBeforeFreeze ?? 'running';
    if (back === 'running') this.cont(r.pid);
    const { frozenBy: _f, stateBeforeFreeze: _s, moving: _m, ...rest } = r;
    return this.jobs.registry.record({
      ...rest, state: back, migrations: r.migrations + 1, lastMigration: { ...m, at: this.now() },
      note: `migrated from node ${m.from}`,
    });
  }

  /**
   * The migration was called off: the restored, never-resumed copy here goes. At the job's
   * home node its record goes back to what it was: away, on the node that keeps the job.
   */
  discardRestored(key: string): void {
    const r = this.jobs.registry.get(key);
    if (!r || r.frozenBy !== 'restore') return;
    if (r.pid && this.jobs.host.alive(r.pid, r.pidStart)) this.jobs.host.signal([r.pid], 'SIGKILL');
    const { pid: _p, pidStart: _s, frozenBy: _f, stateBeforeFreeze: _b, moving, ...rest } = r;
    if (r.ref.home === this.jobs.nodeId && moving) this.jobs.registry.record({ ...rest, state: 'away', where: moving.from });
    else this.jobs.registry.remove(key);
  }

  /** At the home node: the job, away, ended on node `on`; its record says how (mosrun waits for this). */
  noteEnded(ref: JobRef, on: NodeId, state: 'exited' | 'killed' | 'lost', exitStatus?: number): void {
    const r = this.jobs.registry.get(ref);
    if (!r || r.where === 0) return; // ours runs here (or never left): this news is not about it
    this.jobs.registry.record({ ...r, state, where: on, ...(exitStatus !== undefined ? { exitStatus } : {}), note: `ended on node ${on}` });
  }

  /** At the home node: the job moved between two other nodes. */
  noteMoved(ref: JobRef, where: NodeId, m?: MigrationRecord): void {
    const r = this.jobs.registry.get(ref);
    if (!r || r.where === 0) return;
    this.jobs.registry.record({ ...r, state: 'away', where, ...(m ? { migrations: r.migrations + 1, lastMigration: m } : {}) });
  }

  /** After a restart: a checkpointed source whose target was never told to run it goes on here. */
  recover(): void {
    for (const r of this.jobs.registry.list()) {
      // A copy whose target was told to run the job waits for the orchestrator to ask it.
      if (r.pendingCommit) continue;
      if (r.state === 'frozen' && r.frozenBy === 'checkpoint') this.resumeSource(jobKey(r.ref), 'the agent restarted during the migration');
    }
  }

  private cont(pid: number): void {
    const { host } = this.jobs;
    const pids = host.tree(pid);
    host.signal(pids, 'SIGCONT');
    // A SIGCONT that raced a stop is sent again; a still-stopped job would look lost.
    const left = host.stopped(pids);
    if (left.length) host.signal(left, 'SIGCONT');
  }
}
