/**
 * The source's half of a migration, and the one place that decides the order of steps:
 *
 *   check -> target begins -> dump (frozen here) -> images -> target restores (stopped)
 *   -> commit: target runs it -> the frozen copy here dies
 *
 * Until the commit, any failure resumes the job here and the target discards its copy.
 * If the commit's answer is lost, the copy here stays frozen (never a second running
 * instance) until the target says whether it runs the job (then this copy dies) or not
 * (then it resumes).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import { jobKey, type JobRef } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { ProcTarget } from '../../shared/protocol/agentJobs.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { JobsApi } from '../jobs/index.js';
import type { PeerNet } from '../peer/peerNet.js';

export type Destination = NodeId | 'home' | 'best';

export interface OrchestratorDeps {
  api: JobsApi;
  stateDir: string;
  net(): PeerNet | undefined;
  /** The balancing core's choice for "best"; undefined when it has no view. */
  bestNode(job: JobRecord): NodeId | undefined;
  /** How long to wait for a restore (CRIU's own limit plus margin). */
  restoreTimeoutMs: number;
  log(message: string): void;
}

const SETTLE_RETRY_MS = 2000;

export class Orchestrator {
  private readonly settling = new Set<string>();

  constructor(private readonly d: OrchestratorDeps) {}

  private net(): PeerNet {
    const net = this.d.net();
    if (!net) throw new RpcError('ENOCLUSTER', 'this node is not in a cluster yet (no cluster key or map): open the cluster in Mosixview, or run setpe -w -f MAP');
    return net;
  }

  /** `migrate PID {N|home|best}` and the migrator window, for a job here or away. */
  async migrate(target: ProcTarget, to: Destination): Promise<JobRecord> {
    const { service } = this.d.api;
    const job = 'ref' in target ? service.job(target.ref) : this.jobOfHomePid(target.pid);
    if (!job) throw new RpcError('ENOTJOB', `process ${'pid' in target ? target.pid : ''} was not started with mosrun: only mosrun jobs can migrate`);
    if (job.where !== 0) {
      if (job.state === 'pending') throw new RpcError('EBUSY', `job ${jobKey(job.ref)} has not started yet`);
      if (job.state !== 'away') throw new RpcError('EGONE', `job ${jobKey(job.ref)} is ${job.state}`);
      // The home node forwards to the node the job runs on, as openMosix's deputy would.
      return this.net().request(job.where, 'mig.migrate', { ref: job.ref, to }, this.d.restoreTimeoutMs + 60_000);
    }
    return this.moveHere(job, this.resolve(job, to));
  }

  /** As openMosix's deputy kept it: at its home node a job keeps its PID while it runs elsewhere. */
  private jobOfHomePid(pid: number): JobRecord | undefined {
    const { service } = this.d.api;
    return service.jobOfPid(pid) ?? service.registry.list().find((r) => r.ref.home === service.nodeId && r.ref.id === pid && r.where !== 0);
  }

  resolve(job: JobRecord, to: Destination): NodeId {
    const self = this.net().selfId;
    const node = to === 'home' ? job.ref.home : to === 'best' ? this.d.bestNode(job) : to;
    if (node === undefined) throw new RpcError('ENOBEST', 'no better node is known: the load exchange has no view of other nodes yet');
    if (node === self) throw new RpcError('EALREADY', `job ${jobKey(job.ref)} already runs on node ${self}${to === 'best' ? ' (it is the best node now)' : ''}`);
    if (!this.net().nodes.some((n) => n.id === node)) throw new RpcError('ENONODE', `there is no node ${node} in the cluster map`);
    return node;
  }

  private async moveHere(job: JobRecord, to: NodeId): Promise<JobRecord> {
    const { migration } = this.d.api;
    const net = this.net();
    const key = jobKey(job.ref);
    const untouched = (e: unknown) =>
      new RpcError((e as RpcError).code ?? 'EMIGRATE', `job ${key} stays here on node ${net.selfId}, untouched: ${(e as Error).message}`);
    const facts = await net.request(to, 'mig.facts', null).catch((e) => Promise.reject(untouched(e)));
    const reasons = await migration.checkMovable(job.ref, facts);
    if (reasons.length) throw new RpcError('ECANTMOVE', `job ${key} cannot move to node ${to}: ${reasons.join('; ')}`);
    const id = `${key}-${net.selfId}-${Date.now()}`;
    const dir = join(this.d.stateDir, 'outgoing', id);
    await net.request(to, 'mig.begin', { id, job }).catch((e) => Promise.reject(untouched(e)));
    let dump;
    try {
      dump = await migration.prepareDump(key, dir);
    } catch (e) {
      void net.request(to, 'mig.abort', { id }).catch(() => undefined);
      throw e; // prepareDump has resumed the job already
    }
    try {
      await net.sendFiles(to, id, dump.files.map((f) => join(dir, f.name)));
      await net.request(to, 'mig.restore', { id, job: this.d.api.service.job(key) }, this.d.restoreTimeoutMs);
    } catch (e) {
      const why = `${(e as Error).message}`;
      migration.resumeSource(key, `node ${to}: ${why}`);
      void net.request(to, 'mig.abort', { id }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      throw new RpcError('EMIGRATE', `moving job ${key} to node ${to} failed, so it goes on here on node ${net.selfId}: ${why}`);
    }
    this.d.api.service.registry.update(key, { pendingCommit: { to, id } });
    const freezeMs = () => Date.now() - dump.frozenAt;
    const record = { from: net.selfId, to, bytes: dump.bytes };
    let moved: JobRecord;
    try {
      moved = await net.request(to, 'mig.commit', { id, migration: { ...record, freezeMs: freezeMs() } });
    } catch (e) {
      this.d.log(`job ${key}: no answer to the commit from node ${to} (${(e as Error).message}); keeping it frozen until node ${to} says whether it runs it`);
      void this.settle(key, to, id);
      throw new RpcError('EUNCERTAIN', `job ${key} was handed to node ${to}, which did not confirm: the copy here stays frozen until node ${to} answers, so it never runs twice`);
    }
    this.finish(key, to, dir, { ...record, freezeMs: freezeMs(), at: Date.now() }, job.ref);
    // Seen from here, the job now runs on `to` (the target's own record says 0: "here").
    return { ...moved, where: to, state: 'away' };
  }

  private finish(key: string, to: NodeId, dir: string, m: { from: NodeId; to: NodeId; bytes: number; freezeMs: number; at: number }, ref: JobRef): void {
    this.d.api.migration.killSource(key, to);
    rmSync(dir, { recursive: true, force: true });
    const net = this.d.net();
    if (net && ref.home !== net.selfId && ref.home !== to) {
      void net.request(ref.home, 'mig.moved', { ref, where: to, migration: m }).catch((e: Error) => this.d.log(`could not tell home node ${ref.home} that job ${key} moved: ${e.message}`));
    }
  }

  /** Asks the target until it says whether it runs the job; only then this copy dies or resumes. */
  async settle(key: string, to: NodeId, id: string): Promise<void> {
    if (this.settling.has(key)) return;
    this.settling.add(key);
    try {
      for (;;) {
        const net = this.d.net();
        const phase = net ? await net.request(to, 'mig.status', { id }, 5000).then((r) => r.phase).catch(() => undefined) : undefined;
        const dir = join(this.d.stateDir, 'outgoing', id);
        if (phase === 'running') {
          const r = this.d.api.service.job(key);
          this.finish(key, to, dir, { from: net!.selfId, to, bytes: 0, freezeMs: 0, at: Date.now() }, r.ref);
          this.d.log(`job ${key}: node ${to} confirmed it runs the job; the frozen copy here is gone`);
          return;
        }
        if (phase === 'none') {
          this.d.api.migration.resumeSource(key, `node ${to} did not take the job`);
          rmSync(dir, { recursive: true, force: true });
          return;
        }
        if (phase === 'restored' && net) {
          // The commit itself was lost: send it again.
          await net.request(to, 'mig.commit', { id, migration: { from: net.selfId, to, bytes: 0, freezeMs: 0 } }).catch(() => undefined);
          continue;
        }
        await new Promise((r) => setTimeout(r, SETTLE_RETRY_MS));
      }
    } finally {
      this.settling.delete(key);
    }
  }

  /** After a restart: settle every job frozen here with a commit outstanding. */
  resumePending(): void {
    for (const r of this.d.api.service.registry.list()) {
      if (r.pendingCommit) void this.settle(jobKey(r.ref), r.pendingCommit.to, r.pendingCommit.id);
    }
  }
}
