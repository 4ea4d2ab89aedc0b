/**
 * The source's half of a migration, and the one place that decides the order of steps:
 *
 *   check -> target begins -> dump (frozen here) -> images -> target restores (stopped)
 *   -> hand-over recorded here -> commit: target records it, runs it -> the frozen copy dies
 *
 * Until the hand-over is on disk, any failure resumes the job here and the target discards
 * its copy. Once the target may have been told to run it, the copy here stays frozen (never
 * a second running instance) until the target says whether it runs the job (then this copy
 * dies) or not (then it resumes); across restarts of either side.
 */
import { join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import { jobKey, type JobRef } from '../../shared/domain/process.js';
import type { JobRecord, MoveCause } from '../../shared/jobs/job.js';
import type { ProcTarget } from '../../shared/protocol/agentJobs.js';
import { movingRefusal } from '../jobs/moving.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { JobsService } from '../jobs/jobsService.js';
import type { LocalSteps } from './localSteps.js';
import type { Clock, Log, PeerLink } from './ports.js';
import { noFailpoints, type Failpoint } from './failpoints.js';
import { copyJob, handToTarget, type CopyJob, type Report } from './copyJob.js';
import type { MigrationProgress } from '../../shared/jobs/migrationProgress.js';

export type Destination = NodeId | 'home' | 'best';

export interface OrchestratorDeps {
  jobs: JobsService;
  steps: LocalSteps;
  stateDir: string;
  link(): PeerLink | undefined;
  clock: Clock;
  /** The balancing core's choice for "best"; undefined when it has no view. */
  bestNode(job: JobRecord): NodeId | undefined;
  /** How long to wait for a restore (CRIU's own limit plus margin). */
  restoreTimeoutMs: number;
  log: Log;
  failpoint?: Failpoint;
  /** Told how each move started here ended (the agent's metrics count them). */
  onOutcome?: (o: MoveOutcome) => void;
  /** Where progress goes (the GUI's sessions and the migrate tool). */
  progress?: (p: MigrationProgress) => void;
  /** The job's memory as last sampled (for the choice of way, and progress). */
  jobBytes?: (key: string) => number | undefined;
}

/** moved: runs on the target, frozen freezeMs; uncertain: handed over, not confirmed yet. */
export type MoveOutcome = { outcome: 'moved'; freezeMs: number } | { outcome: 'failed' | 'uncertain' };

export const SETTLE_RETRY_MS = 2000;
type Phase = 'receiving' | 'restored' | 'running' | 'discarded' | 'none' | 'unknown' | undefined;

export class Orchestrator {
  private readonly settling = new Set<string>();
  /** Jobs this node is moving now: a second move of one of them waits its turn. */
  private readonly moving = new Set<string>();

  constructor(private readonly d: OrchestratorDeps) {}

  private link(): PeerLink {
    const link = this.d.link();
    if (!link) throw new RpcError('ENOCLUSTER', 'this node is not in a cluster yet (no cluster key or map): open the cluster in Mosixview, or run setpe -w -f MAP');
    return link;
  }

  /** `migrate PID {N|home|best}` and the migrator window, for a job here or away; the balancer says `by`. */
  async migrate(target: ProcTarget, to: Destination, by: MoveCause = 'admin'): Promise<JobRecord> {
    const { jobs } = this.d;
    const job = 'ref' in target ? jobs.job(target.ref) : this.jobOfHomePid(target.pid);
    if (!job) throw new RpcError('ENOTJOB', `process ${'pid' in target ? target.pid : ''} was not started with mosrun: only mosrun jobs can migrate`);
    if (job.where !== 0) {
      if (job.state === 'pending') throw new RpcError('EBUSY', `job ${jobKey(job.ref)} has not started yet`);
      if (job.state !== 'away') throw new RpcError('EGONE', `job ${jobKey(job.ref)} is ${job.state}`);
      // The home node forwards to the node the job runs on, as openMosix's deputy would.
      return this.link().request(job.where, 'mig.migrate', { ref: job.ref, to }, this.d.restoreTimeoutMs + 60_000);
    }
    const key = jobKey(job.ref);
    const dest = this.resolve(job, to);
    if (this.moving.has(key)) throw new RpcError('EBUSY', `job ${key} is being moved already: wait until that move has finished`);
    // A job frozen by an unconfirmed hand-over is refused before any target hears of it: a
    // mig.begin there would discard the first move's restored copy and undo that move.
    const frozen = movingRefusal(job, 'move');
    if (frozen) throw frozen;
    this.moving.add(key);
    try {
      return await this.moveHere(job, dest, by);
    } catch (e) {
      this.d.onOutcome?.({ outcome: (e as RpcError).code === 'EUNCERTAIN' ? 'uncertain' : 'failed' });
      throw e;
    } finally {
      this.moving.delete(key);
    }
  }

  /** As openMosix's deputy kept it: at its home node a job keeps its PID while it runs elsewhere. */
  private jobOfHomePid(pid: number): JobRecord | undefined {
    const { jobs } = this.d;
    return jobs.jobOfPid(pid) ?? jobs.registry.list().find((r) => r.ref.home === jobs.nodeId && r.ref.id === pid && r.where !== 0);
  }

  resolve(job: JobRecord, to: Destination): NodeId {
    const self = this.link().selfId;
    const node = to === 'home' ? job.ref.home : to === 'best' ? this.d.bestNode(job) : to;
    if (node === undefined) throw new RpcError('ENOBEST', 'no better node is known: the load exchange has no view of other nodes yet');
    if (node === self) throw new RpcError('EALREADY', `job ${jobKey(job.ref)} already runs on node ${self}${to === 'best' ? ' (it is the best node now)' : ''}`);
    if (!this.link().nodes.some((n) => n.id === node)) throw new RpcError('ENONODE', `there is no node ${node} in the cluster map`);
    return node;
  }

  private async moveHere(job: JobRecord, to: NodeId, by: MoveCause): Promise<JobRecord> {
    const { steps, jobs, clock } = this.d;
    const link = this.link();
    const self = link.selfId;
    const key = jobKey(job.ref);
    const report = this.reporter(job, to);
    const untouched = (e: unknown) =>
      new RpcError(e instanceof RpcError ? e.code : 'EMIGRATE', `job ${key} stays here on node ${self}, untouched: ${(e as Error).message}`);
    const failed = (e: RpcError) => {
      report({ phase: 'failed', message: e.message });
      return e;
    };
    report({ phase: 'checking' });
    const facts = await link.request(to, 'mig.facts', null).catch((e) => Promise.reject(failed(untouched(e))));
    const reasons = await steps.checkMovable(job.ref, facts);
    if (reasons.length) throw failed(new RpcError('ECANTMOVE', `job ${key} cannot move to node ${to}: ${reasons.join('; ')}`));
    const id = `${key}-${self}-${clock.now()}`;
    const dir = join(this.d.stateDir, 'outgoing', id);
    await link.request(to, 'mig.begin', { id, job }).catch((e) => Promise.reject(failed(untouched(e))));
    const abort = () => link.request(to, 'mig.abort', { id }).catch(() => undefined);
    const copy: CopyJob = {
      jobs, steps, link, clock, report, key, job, to, id, dir,
      fp: this.d.failpoint ?? noFailpoints,
      restoreTimeoutMs: this.d.restoreTimeoutMs,
      jobBytes: this.d.jobBytes?.(key),
    };
    let copied;
    try {
      copied = await copyJob(copy);
    } catch (e) {
      void abort();
      this.removeImages(dir);
      // Not frozen yet (a pre-copy round, the page channel), or prepareDump resumed it already.
      throw failed(e instanceof RpcError && e.code === 'EDUMP' ? new RpcError('EDUMP', `moving job ${key} to node ${to} failed at its checkpoint, so it goes on here on node ${self}: ${(e as Error).message}`) : untouched(e));
    }
    const { dump } = copied;
    let handed;
    try {
      handed = await handToTarget(copy, dump, copied.pages);
    } catch (e) {
      const why = `${(e as Error).message}`;
      steps.resumeSource(key, `node ${to}: ${why}`);
      void abort();
      this.removeImages(dir);
      throw failed(new RpcError('EMIGRATE', `moving job ${key} to node ${to} failed, so it goes on here on node ${self}: ${why}`));
    }
    await copy.fp('before-commit');
    report({ phase: 'committing' });
    const phases = { dumpMs: copied.dumpedAt - dump.frozenAt, sendMs: handed.sentAt - copied.dumpedAt, restoreMs: handed.restoredAt - handed.sentAt };
    const record = { from: self, to, bytes: dump.bytes, path: copied.path, phases, by };
    const freezeMs = () => clock.now() - dump.frozenAt;
    let moved: JobRecord;
    try {
      moved = await link.request(to, 'mig.commit', { id, migration: { ...record, freezeMs: freezeMs() } });
    } catch (e) {
      // Lost, refused or answered from an earlier commit: the target's status decides.
      const phase = await this.askStatus(to, id);
      if (phase === 'none') {
        steps.resumeSource(key, `node ${to} did not take it (${(e as Error).message})`);
        this.removeImages(dir);
        throw failed(new RpcError('EMIGRATE', `moving job ${key} to node ${to} failed, so it goes on here on node ${self}: ${(e as Error).message}`));
      }
      if (phase !== 'running') {
        this.d.log(`job ${key}: no answer to the commit from node ${to} (${(e as Error).message}); keeping it frozen until node ${to} says whether it runs it`);
        void this.settle(key, to, id);
        throw failed(new RpcError(
          'EUNCERTAIN',
          `job ${key} was handed to node ${to}, which did not confirm: the copy here stays frozen until node ${to} answers, so it never runs twice (it settles by itself; mps shows where it runs)`,
        ));
      }
      moved = jobs.registry.get(key) ?? job;
    }
    // The freeze as the source sees it, the commit's answer included.
    const frozen = freezeMs();
    this.finish(key, to, dir, { ...record, freezeMs: frozen, at: clock.now() }, job.ref);
    this.d.onOutcome?.({ outcome: 'moved', freezeMs: frozen });
    report({ phase: 'done', freezeMs: frozen });
    // Seen from here, the job now runs on `to` (the target's own record says 0: "here").
    return { ...moved, where: to, state: 'away', ...(moved.lastMigration ? { lastMigration: { ...moved.lastMigration, freezeMs: frozen } } : {}) };
  }

  /** Progress of one migration of `job` to `to`, as events for the GUI and the migrate tool. */
  private reporter(job: JobRecord, to: NodeId): Report {
    const from = this.link().selfId;
    return (p) => this.d.progress?.({ ...p, ref: job.ref, from, to, at: this.d.clock.now() });
  }

  private askStatus(to: NodeId, id: string): Promise<Phase> {
    const link = this.d.link();
    return link ? link.request(to, 'mig.status', { id }, 5000).then((r) => r.phase as Phase, () => undefined) : Promise.resolve(undefined);
  }

  private removeImages(dir: string): void {
    try {
      this.d.jobs.files.remove(dir);
    } catch (e) {
      this.d.log(`could not remove checkpoint images in ${dir}: ${(e as Error).message}`);
    }
  }

  private finish(key: string, to: NodeId, dir: string, m: { from: NodeId; to: NodeId; bytes: number; freezeMs: number; at: number; by?: MoveCause }, ref: JobRef): void {
    this.d.steps.killSource(key, to);
    this.removeImages(dir);
    const link = this.d.link();
    if (link && ref.home !== link.selfId && ref.home !== to) {
      void link.request(ref.home, 'mig.moved', { ref, where: to, migration: m }).catch((e: Error) => this.d.log(`could not tell home node ${ref.home} that job ${key} moved: ${e.message}`));
    }
  }

  /** Asks the target until it says whether it runs the job; only then this copy dies or resumes. */
  async settle(key: string, to: NodeId, id: string): Promise<void> {
    if (this.settling.has(key)) return;
    this.settling.add(key);
    const { jobs, steps, clock } = this.d;
    const dir = join(this.d.stateDir, 'outgoing', id);
    let told = false;
    try {
      for (;;) {
        const r = jobs.registry.get(key);
        if (!r || r.pendingCommit?.id !== id) return; // settled meanwhile
        const phase = await this.askStatus(to, id);
        if (phase === 'running') {
          this.finish(key, to, dir, { from: jobs.nodeId, to, bytes: 0, freezeMs: 0, at: clock.now() }, r.ref);
          this.d.log(`job ${key}: node ${to} confirmed it runs the job; the frozen copy here is gone`);
          return;
        }
        if (phase === 'none') {
          steps.resumeSource(key, `node ${to} did not take the job`);
          this.removeImages(dir);
          this.d.log(`job ${key}: node ${to} did not take the job; it goes on here`);
          return;
        }
        if (phase === 'restored') {
          // The commit itself was lost: send it again. A resend that fails (at once, if the
          // target refuses connections) waits like any other retry instead of spinning.
          const link = this.d.link();
          const sent = link ? await link.request(to, 'mig.commit', { id, migration: { from: link.selfId, to, bytes: 0, freezeMs: 0 } }).then(() => true, () => false) : false;
          if (sent) continue;
          await clock.sleep(SETTLE_RETRY_MS);
          continue;
        }
        if (phase === 'unknown' && !told) {
          told = true;
          jobs.registry.note(key, { note: `node ${to} no longer knows whether it took this job (migration ${id} is older than its commit log): it stays frozen here; check node ${to}'s process list` });
        }
        await clock.sleep(SETTLE_RETRY_MS);
      }
    } catch (e) {
      this.d.log(`job ${key}: settling its hand-over to node ${to} stopped: ${(e as Error).message}`);
    } finally {
      this.settling.delete(key);
    }
  }

  /** After a restart: settle every job frozen here with a hand-over outstanding. */
  resumePending(): void {
    for (const r of this.d.jobs.registry.list()) {
      if (r.pendingCommit) void this.settle(jobKey(r.ref), r.pendingCommit.to, r.pendingCommit.id);
    }
  }
}
