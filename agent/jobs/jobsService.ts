/**
 * The node-local side of mosrun jobs: start, registry, signals, nice, lock, exit
 * detection and the process-list annotation. Migration steps live in migration.ts.
 */
import { join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import { jobKey, type JobRef, type ProcInfo } from '../../shared/domain/process.js';
import { REMOTE_ID_BASE, type JobRecord, type JobSpec, type RemoteJobSpec } from '../../shared/jobs/job.js';
import type { CriuFacts, TargetFacts } from '../../shared/jobs/targetFacts.js';
import { remoteTargets } from '../../shared/jobs/runModes.js';
import type { ProcTarget, JobSignal } from '../../shared/protocol/agentJobs.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { loadJobsConfig, readNodeId, writeNodeId, type JobsConfig } from './config.js';
import { JobRegistry } from './registry.js';
import { spawnJob } from './spawnJob.js';
import type { Checkpointer, ProcessHost, StateFiles } from './host.js';
import { realCheckpointer, realProcessHost, realStateFiles } from './realHost.js';
import { movingRefusal } from './moving.js';
import { agentUser, endedAway } from './awayJobs.js';
import { annotateJobs } from './annotate.js';
import { startNodesProblem } from './startNodes.js';
import { log } from '../log/log.js';
import type { ShareDetector } from './shareDetector.js';
import { checkMove } from './moveCheck.js';
import { otherUidProblem } from './otherUids.js';
import { accountHere, ownedBy, ownJobsDir, runsAsOther } from './jobOwners.js';
import type { Owned } from '../daemon/requestAccess.js';

export { REMOTE_ID_BASE };

export interface JobsServiceOptions {
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  /** The cluster map's ID for this node, when the peer layer knows one. */
  mapNodeId?: () => number | null | undefined;
  /** The node IDs of the cluster map; none (or undefined) while this node has no map. */
  clusterNodes?: () => NodeId[] | undefined;
  onChange?: (r: JobRecord) => void;
  /** The node's processes, CRIU and state files; the real ones unless a simulation gives its own. */
  host?: ProcessHost;
  files?: StateFiles;
  checkpointer?: Checkpointer;
  config?: JobsConfig;
  log?: (m: string) => void;
  /** What other nodes really share (the peer layer's); without it, only configured roots count. */
  shares?: Pick<ShareDetector, 'towards' | 'anywhere' | 'cwdProblem'>;
}

export class JobsService {
  readonly registry: JobRegistry;
  readonly config: JobsConfig;
  readonly host: ProcessHost;
  readonly files: StateFiles;
  readonly checkpointer: Checkpointer;
  /** Undefined until the first probe ends: "not installed" would be a guess before that. */
  private criuFacts: CriuFacts | undefined;
  /** Jobs we told to die: their init leaves no exit status. */
  private readonly killedByUs = new Set<string>();
  /** The agent's user: the owner shown for jobs recorded before owners were. */
  private readonly user = agentUser();

  constructor(private readonly opts: JobsServiceOptions) {
    this.config = opts.config ?? loadJobsConfig(opts.stateDir, opts.env);
    this.host = opts.host ?? realProcessHost;
    this.files = opts.files ?? realStateFiles;
    this.checkpointer =
      opts.checkpointer ??
      realCheckpointer({ configured: this.config.criu, env: opts.env, timeoutMs: this.config.criuTimeoutMs, node: () => (this.nodeId ? `node ${this.nodeId}` : 'this node') });
    this.registry = new JobRegistry(join(opts.stateDir, 'jobs'), opts.onChange, this.files, opts.log);
  }

  get nodeId(): NodeId {
    return readNodeId(this.opts.stateDir, this.opts.mapNodeId?.(), this.opts.env);
  }

  setNodeId(node: NodeId): NodeId {
    writeNodeId(this.opts.stateDir, node);
    return this.nodeId;
  }

  /** CRIU's facts, probed once (and again after `refresh`); never throws. */
  async criu(refresh = false): Promise<CriuFacts> {
    return (this.criuFacts = await this.checkpointer.facts(refresh));
  }

  /** Last known CRIU facts without waiting (the per-second annotation uses them). */
  criuNow(): CriuFacts | undefined {
    return this.criuFacts;
  }

  /** mosrun: starts here, or records the remote starts for the peer channel to carry out. */
  async start(spec: JobSpec): Promise<JobRecord[]> {
    const here = this.nodeId;
    // The map is the truth about which nodes exist; the GUI's node list stands in without one.
    const map = this.opts.clusterNodes?.() ?? [];
    const known = map.length ? map : spec.nodes ?? [];
    const problem = startNodesProblem(spec.mode, known);
    if (problem) throw new RpcError('EINVAL', problem);
    const targets = remoteTargets(spec.mode, here, known);
    const startsHere = spec.mode.kind === 'parallel' ? targets.includes(here) : targets.length === 0;
    const out: JobRecord[] = [];
    if (startsHere) out.push(await this.startJobHere(spec));
    for (const node of targets.filter((n) => n !== here)) {
      const id = this.nextRemoteId();
      out.push(
        this.registry.put({
          ref: { home: here, id }, ...(spec.owner ? { owner: spec.owner } : {}), argv: [...spec.argv], cwd: spec.cwd, mode: spec.mode, dir: '', startedAt: Date.now(),
          state: 'pending', where: node, locked: false, migrations: 0, targets: [node],
          note: `to be started on node ${node} through the cluster channel`,
        }),
      );
    }
    return out;
  }

  /** Starts a job on this node; the peer handler calls it on the target of runon / parallel. */
  async startJobHere(spec: JobSpec | RemoteJobSpec): Promise<JobRecord> {
    const here = this.nodeId;
    const given = 'ref' in spec ? spec.ref : undefined;
    const freeId = (pid: number) => (pid > 0 && !this.registry.get({ home: here, id: pid }) ? pid : this.nextRemoteId());
    // Another user's job runs as them, with their groups and home, its files in their home.
    const runAs = runsAsOther(spec.owner) ? accountHere(spec.owner, `node ${here}`) : undefined;
    const jobsDir = spec.jobsDir ?? (runAs ? ownJobsDir(runAs) : this.config.jobsDir);
    const { record, unshare } = await spawnJob(spec, here, jobsDir, given, freeId, runAs);
    const key = jobKey(record.ref);
    // Our child while we live: learn of its end at once, not at the next sample.
    unshare?.once('exit', () => {
      try {
        this.reap(key);
      } catch (e) {
        log.error(`job ${key} ended, but recording it failed: ${(e as Error).message}`);
      }
    });
    // It runs already (or ran): recorded whatever the disk says (a failed write is retried).
    return this.registry.record(given && given.home !== here ? { ...record, note: `guest from node ${given.home}` } : record);
  }

  private nextRemoteId(): number {
    const ids = this.registry.list().map((r) => r.ref.id).filter((id) => id >= REMOTE_ID_BASE);
    return Math.max(REMOTE_ID_BASE, ...ids) + 1;
  }

  /** A job known here, or a clear error; a job away whose directory says it ended is recorded so first. */
  job(ref: JobRef | string): JobRecord {
    const r = this.registry.get(ref);
    if (!r) throw new RpcError('ENOTFOUND', `there is no job ${typeof ref === 'string' ? ref : jobKey(ref)} on this node`);
    const ended = endedAway(r, this.files);
    return ended ? this.registry.record(ended) : r;
  }

  /**
   * The job running here that the process belongs to (its init or any descendant), or the
   * job of this node that was started with that PID: as under openMosix, the PID mosrun
   * printed stays the job's at its home, even after a round trip gave it another one.
   */
  jobOfPid(pid: number): JobRecord | undefined {
    const direct = this.registry.byPid(pid);
    if (direct) return direct;
    const here = this.registry.list().filter((r) => r.where === 0 && r.pid);
    for (const r of here) if (this.host.tree(r.pid!).includes(pid)) return r;
    const home = this.nodeId;
    return here.find((r) => r.ref.home === home && r.ref.id === pid);
  }

  /** Whose job or process a request names (the permission rule's question); undefined for one unknown here. */
  ownerOf(params: unknown): Owned | undefined {
    return ownedBy(params, { jobOf: (t) => (t.ref ? this.registry.get(t.ref) : t.pid === undefined ? undefined : this.jobNamed(t.pid)), uidOf: (pid) => this.host.uidOf?.(pid) });
  }

  /** The job of a PID here, or of the PID mosrun printed at its home (also while it is away). */
  private jobNamed(pid: number): JobRecord | undefined {
    const home = this.nodeId;
    return this.jobOfPid(pid) ?? this.registry.list().find((x) => x.ref.home === home && x.ref.id === pid);
  }

  /** PIDs a request acts on: the whole job when it is one, else the process alone. */
  resolve(t: ProcTarget): { job?: JobRecord; pids: number[] } {
    const job = 'ref' in t ? this.job(t.ref) : this.jobOfPid(t.pid);
    if (job) {
      if (job.where !== 0 || !job.pid) throw new RpcError('EAWAY', `job ${jobKey(job.ref)} does not run on this node now${job.where ? ` (it runs on node ${job.where})` : ` (it is ${job.state})`}`);
      if (!this.host.alive(job.pid, job.pidStart)) throw new RpcError('EGONE', `job ${jobKey(job.ref)} has ended`);
      return { job, pids: this.host.tree(job.pid) };
    }
    const pid = (t as { pid: number }).pid;
    if (this.host.startTime(pid) === undefined) throw new RpcError('ENOTFOUND', `there is no process ${pid} on this node`);
    return { pids: [pid] };
  }

  /**
   * KILL, STOP, CONT from the admin. A job in the middle of a migration takes none: its
   * frozen copy may be the only one or may be one of two, and only the protocol knows.
   */
  signal(t: ProcTarget, sig: JobSignal): void {
    const { job, pids } = this.resolve(t);
    const moving = job && movingRefusal(job, `send SIG${sig} to`);
    if (moving) throw moving;
    if (sig === 'KILL' && job) {
      this.killedByUs.add(jobKey(job.ref));
      // SIGKILL to a PID namespace's init takes every process in it along.
      this.host.signal([job.pid!], 'SIGKILL');
      return;
    }
    const n = this.host.signal(sig === 'STOP' ? [...pids].reverse() : pids, `SIG${sig}`);
    if (n === 0) throw new RpcError('ENOTFOUND', 'the process is gone');
    if (job) this.registry.note(job.ref, { state: sig === 'STOP' ? 'stopped' : 'running' });
  }

  /** `nice` is checked where requests come in (agent and peer validators, shared/protocol/). */
  renice(t: ProcTarget, nice: number): void {
    const { job, pids } = this.resolve(t);
    const moving = job && movingRefusal(job, 'renice');
    if (moving) throw moving;
    try {
      this.host.renice(pids, nice);
    } catch (e) {
      throw new RpcError('EPERM', (e as Error).message);
    }
  }

  lock(ref: JobRef, locked: boolean): JobRecord {
    return this.registry.update(this.job(ref).ref, { locked });
  }

  /** `migrate PID lock`: by job identity, or by a PID of the job (the one mosrun printed too). */
  lockTarget(t: ProcTarget, locked: boolean): JobRecord {
    const r = 'ref' in t ? this.job(t.ref) : this.jobOfPid(t.pid) ?? [this.jobNamed(t.pid)].find((x) => x?.state === 'away');
    if (!r) throw new RpcError('ENOTJOB', `process ${'pid' in t ? t.pid : ''} is not a mosrun job on this node: only jobs can be locked`);
    if (r.where !== 0) {
      throw new RpcError('EAWAY', `job ${jobKey(r.ref)} runs on node ${r.where} now: lock it there (in the migrator of the job, or with "migrate PID lock" on node ${r.where})`);
    }
    return this.lock(r.ref, locked);
  }

  /**
   * Forgets a job that no longer runs. A job away is forgotten only when the admin says its
   * node is gone (`unreachable`): its home cannot tell whether it still runs there.
   */
  forget(ref: JobRef, opts: { unreachable?: boolean } = {}): void {
    const r = this.job(ref);
    if (r.state === 'away' && !opts.unreachable) {
      throw new RpcError('EBUSY', `job ${jobKey(ref)} runs on node ${r.where}: kill it there, or forget it only once node ${r.where} is gone for good`);
    }
    if (!['exited', 'killed', 'lost', 'pending', 'away'].includes(r.state)) throw new RpcError('EBUSY', `job ${jobKey(ref)} is still ${r.state}: kill it first`);
    this.registry.remove(ref);
  }

  /** Called when a job's init may have ended: records how. */
  reap(key: string): void {
    const r = this.registry.get(key);
    if (!r || r.where !== 0 || !r.pid || this.host.alive(r.pid, r.pidStart)) return;
    if (r.state === 'frozen') return; // the migration code owns it now
    const t = this.files.read(join(r.dir, 'exit'))?.trim();
    const status = t && /^\d+$/.test(t) ? Number(t) : undefined;
    const byUs = this.killedByUs.delete(key);
    const state = status !== undefined ? 'exited' : byUs ? 'killed' : 'lost';
    const { pid: _pid, pidStart: _start, ...rest } = r;
    this.registry.record({ ...rest, state, ...(status !== undefined ? { exitStatus: status } : {}) });
  }

  /**
   * Once a second: jobs whose init is gone (also those that ended while the agent was down),
   * and records that say running or stopped where the job is the other (a stop or resume
   * whose record a crash or a full disk kept from being written).
   */
  poll(): void {
    for (const r of this.registry.list()) {
      if (r.state === 'away') {
        const ended = endedAway(r, this.files);
        if (ended) this.registry.record(ended);
        continue;
      }
      if (r.where !== 0 || !r.pid) continue;
      this.reap(jobKey(r.ref));
      if (r.state !== 'running' && r.state !== 'stopped') continue;
      if (!this.host.alive(r.pid, r.pidStart)) continue;
      const now = this.host.stopped([r.pid]).length ? 'stopped' : 'running';
      if (now !== r.state) this.registry.record({ ...r, state: now });
    }
    this.registry.flush();
  }

  /**
   * Marks job processes and guests; every other process says why it cannot move. Jobs of
   * this node that run elsewhere are added, under their PID, with the node they run on.
   */
  annotate(procs: ProcInfo[]): ProcInfo[] {
    return annotateJobs(procs, { records: this.registry.list(), here: this.nodeId, user: this.user, criu: this.criuFacts, cwdProblem: (cwd) => this.cwdProblem(cwd), ownerProblem: otherUidProblem });
  }

  /** Why a job in `cwd` could go nowhere, as far as is known now (the balancer's candidates; never waits). */
  cwdProblem(cwd: string): string | undefined {
    return this.opts.shares?.cwdProblem(cwd);
  }

  /** Full check with open files, for the migrator and before a migration (moveCheck.ts). */
  check(t: ProcTarget, target?: TargetFacts): Promise<string[]> {
    return checkMove(this, this.opts.shares, t, target);
  }
}
