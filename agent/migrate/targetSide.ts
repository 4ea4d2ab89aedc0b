/**
 * The target's half of a migration. A restored copy stays stopped until the source
 * commits; the commit is written to the commit log (synced) before the copy resumes and
 * before the answer goes back, so this node can always say whether it took the job. Without
 * a commit a restored copy is discarded, and a discarded migration never runs here, even if a
 * late commit arrives: the source then resumes its own copy.
 */
import { join } from 'node:path';
import type { NodeId } from '../../shared/domain/node.js';
import { jobKey } from '../../shared/domain/process.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import type { MigrationPhase, PeerJobRequests } from '../../shared/protocol/peerJobs.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { Handlers } from '../../shared/rpc/rpcEndpoint.js';
import type { JobsService } from '../jobs/jobsService.js';
import { CommitLog } from './commitLog.js';
import type { LocalSteps } from './localSteps.js';
import type { Clock, Log } from './ports.js';
import type { PageChannel, PagesSeen } from '../jobs/pageChannel.js';
import { noFailpoints, type Failpoint } from './failpoints.js';
import { checkPages, PAGE_PART, splitPart } from './incomingPages.js';
import { accountHere, runsAsOther } from '../jobs/jobOwners.js';

/** How long a restored copy waits for the source's commit before it is discarded. */
export const COMMIT_WAIT_MS = 30_000;
const RECEIVE_WAIT_MS = 10 * 60_000;
const SAFE_ID = /^[A-Za-z0-9._-]{1,120}$/;

type Phase = MigrationPhase | 'restoring';

interface Incoming {
  key: string;
  from: NodeId;
  phase: Phase;
  cancel?: () => void;
  /** What each page server received, once it ended: '' for a single dump, 'pre1'.., 'final'. */
  pages: Map<string, Promise<PagesSeen>>;
  /** Why a page server failed: the source's CRIU only sees it go away, and asks. */
  pagesError?: string;
}

/** How long a status question waits for page servers that may be exiting just then. */
const PAGES_SETTLE_MS = 2000;

export type TargetRequests = Pick<PeerJobRequests, 'mig.begin' | 'mig.restore' | 'mig.commit' | 'mig.abort' | 'mig.status'>;

export interface TargetDeps {
  jobs: JobsService;
  steps: LocalSteps;
  stateDir: string;
  clock: Clock;
  blocksGuests(): boolean;
  log: Log;
  commitWaitMs?: number;
  failpoint?: Failpoint;
}

/** Migration ids are "<job key>-<source node>-<ms>"; job keys ("1.496") hold no dash. */
export function keyOfMigration(id: string): string {
  return id.split('-')[0] ?? id;
}

export function sourceOfMigration(id: string): NodeId {
  return Number(id.split('-')[1]) || 0;
}

export class TargetSide {
  private readonly incoming = new Map<string, Incoming>();
  readonly commits: CommitLog;

  constructor(private readonly d: TargetDeps) {
    this.commits = new CommitLog(d.stateDir, d.jobs.files, () => d.clock.now());
  }

  /**
   * Where a transfer puts its images: only for a migration begun here and still waiting for
   * them. Images for any other id would stay on disk until the next restart (nothing here
   * would remove them), or replace the images of a restore under way.
   */
  dirOf(id: string): string {
    const dir = this.pathOf(id);
    if (this.incoming.get(id)?.phase !== 'receiving') {
      throw new RpcError('ENOMIGRATION', `no migration ${id} is waiting for its images on node ${this.d.jobs.nodeId} (was it begun, or did the agent restart since?)`);
    }
    return dir;
  }

  private pathOf(id: string): string {
    if (!SAFE_ID.test(id)) throw new RpcError('EINVAL', `bad migration id "${id}"`);
    return join(this.d.stateDir, 'incoming', id);
  }

  /**
   * After a restart: a restored copy whose commit is in the log runs (the restart came
   * between the commit and its resume); any other is discarded. A restore that finished
   * while this agent was down left a stopped process it never recorded (its PID is in the
   * images' directory): that goes too, and so do the images.
   */
  recover(): void {
    const { jobs, steps } = this.d;
    for (const r of jobs.registry.list()) {
      if (r.frozenBy !== 'restore') continue;
      const key = jobKey(r.ref);
      const m = r.moving;
      if (!m || !this.commits.has(m.id)) {
        steps.discardRestored(key);
      } else if (steps.restoredAlive(key)) {
        steps.resumeRestored(key, { from: m.from, to: m.to, bytes: 0, freezeMs: 0 });
        this.d.log(`job ${key}: its migration from node ${m.from} was committed before the agent restarted; it runs here now`);
      } else {
        jobs.registry.record({ ...r, state: 'lost', note: `its restored copy was gone after the agent restarted (migration from node ${m.from})` });
      }
    }
    this.sweepLeftovers();
  }

  private sweepLeftovers(): void {
    const { jobs, clock } = this.d;
    const root = join(this.d.stateDir, 'incoming');
    const known = new Set(jobs.registry.list().map((r) => r.pid));
    let busy = false;
    for (const d of jobs.files.list(root)) {
      if (this.incoming.has(d)) continue;
      const dir = join(root, d);
      // After pre-copy the restore ran in final/.
      const pid = Number((jobs.files.read(join(dir, 'restored.pid')) ?? jobs.files.read(join(dir, 'final', 'restored.pid')))?.trim());
      if (pid > 0 && !known.has(pid) && jobs.host.alive(pid) && jobs.host.stopped([pid]).length) jobs.host.signal([pid], 'SIGKILL');
      // A restore still running (log written in the last minute) is looked at again later.
      if (!pid && clock.now() - Math.max(jobs.files.mtime(join(dir, 'restore.log')), jobs.files.mtime(join(dir, 'final', 'restore.log'))) < 60_000) {
        busy = true;
        continue;
      }
      jobs.files.remove(dir);
    }
    if (busy) clock.timer(() => this.sweepLeftovers(), 60_000);
  }

  handlers(): Handlers<TargetRequests> {
    return {
      'mig.begin': ({ id, job }) => this.begin(id, job),
      'mig.restore': ({ id, job, pages }) => this.restore(id, job, pages),
      'mig.commit': ({ id, migration }) => this.commit(id, migration),
      'mig.abort': ({ id }) => (this.discard(id), null),
      'mig.status': ({ id }) => this.statusReport(id),
    };
  }

  private begin(id: string, job: JobRecord): null {
    this.pathOf(id);
    const { jobs } = this.d;
    if (this.d.blocksGuests() && job.ref.home !== jobs.nodeId) throw new RpcError('EBLOCKED', `node ${jobs.nodeId} blocks guest processes (mosctl block)`);
    // The job runs as its owner here too: this node must know that uid before images come.
    if (runsAsOther(job.owner)) accountHere(job.owner, `node ${jobs.nodeId}`, 'ECANTMOVE');
    const key = jobKey(job.ref);
    // A new migration of the job means its source settled every earlier one: those are dead.
    for (const [other, m] of this.incoming) if (m.key === key && other !== id) this.discard(other);
    // A source that dies mid-transfer never calls back: drop its half-sent images later.
    this.incoming.set(id, { key, from: sourceOfMigration(id), phase: 'receiving', pages: new Map(), cancel: this.d.clock.timer(() => this.discard(id), RECEIVE_WAIT_MS) });
    return null;
  }

  /**
   * A page channel of a migration that began here ("<id>" for a single dump, "<id>--preN" and
   * "<id>--final" with pre-copy): CRIU's page server writes the pages into the migration's
   * directory (pre-N and final: each round over the one before) as the source dumps them.
   * Resolves once it runs.
   */
  async acceptPages(channelId: string, from: NodeId, channel: PageChannel): Promise<void> {
    const { id, part: sub } = splitPart(channelId);
    const m = this.incoming.get(id);
    if (!m || m.phase !== 'receiving' || m.from !== from) throw new RpcError('ENOMIGRATION', `no migration ${id} from node ${from} is waiting for its memory here`);
    if (!PAGE_PART.test(sub) || m.pages.has(sub)) throw new RpcError('EINVAL', `unexpected page channel ${channelId}`);
    const dir = this.subDir(id, sub);
    const rounds = [...m.pages.keys()].filter((k) => k.startsWith('pre')).map((k) => Number(k.slice(3)));
    const prev = sub === 'final' || sub.startsWith('pre') ? Math.max(0, ...rounds.filter((n) => sub === 'final' || n < Number(sub.slice(3)))) : 0;
    this.d.jobs.files.mkdir(dir);
    const r = this.d.jobs.checkpointer.pageServer(dir, channel, prev ? { prevDir: this.subDir(id, `pre${prev}`) } : {}).then((x) => x.pages);
    r.catch((e: Error) => void (m.pagesError ??= e.message));
    m.pages.set(sub, r);
  }

  /** Where a page channel's or transfer's images go: the migration's directory, or its pre-N / final part. */
  subDir(id: string, sub: string): string {
    return sub === '' ? this.pathOf(id) : join(this.pathOf(id), sub === 'final' ? 'final' : `pre-${sub.slice(3)}`);
  }

  /** The directory of a transfer named after a page channel ("<id>--final" goes into final/). */
  transferDir(name: string): string {
    const { id, part: sub } = splitPart(name);
    this.dirOf(id);
    if (!PAGE_PART.test(sub)) throw new RpcError('EINVAL', `unexpected transfer ${name}: after "--" only final or preN`);
    return this.subDir(id, sub);
  }

  private async restore(id: string, job: JobRecord, sent?: Record<string, PagesSeen>): Promise<{ pid: number; restoreMs: number }> {
    const m = this.incoming.get(id);
    if (!m || m.phase !== 'receiving') throw new RpcError('ENOMIGRATION', `no migration ${id} is waiting for its restore here`);
    m.cancel?.();
    m.phase = 'restoring';
    let r: { pid: number; restoreMs: number };
    try {
      if (sent || m.pages.size) await checkPages(id, { from: m.from, here: this.d.jobs.nodeId }, m.pages, sent ?? {});
      r = await this.d.steps.restoreHere(this.pathOf(id), job, { id, from: m.from, to: this.d.jobs.nodeId });
    } catch (e) {
      this.discard(id);
      throw e;
    }
    if (m.phase !== 'restoring') {
      // Called off (aborted, superseded) while CRIU was restoring.
      this.d.steps.discardRestored(m.key);
      throw new RpcError('ENOMIGRATION', `migration ${id} was called off during its restore`);
    }
    m.phase = 'restored';
    m.cancel = this.d.clock.timer(() => this.discard(id), this.d.commitWaitMs ?? COMMIT_WAIT_MS);
    return r;
  }

  private async commit(id: string, record: PeerJobRequests['mig.commit']['req']['migration']): Promise<JobRecord> {
    const fp = this.d.failpoint ?? noFailpoints;
    await fp('target-before-commit');
    const committing = this.d.clock.now();
    const m = this.incoming.get(id);
    const { jobs, steps } = this.d;
    if (!m && this.commits.has(id)) {
      // Answered before (the answer was lost); the job may have ended or moved on since.
      const r = jobs.registry.get(keyOfMigration(id));
      if (r) return r;
      throw new RpcError('ECOMMITTED', `migration ${id} was committed here earlier`);
    }
    if (!m || m.phase !== 'restored') throw new RpcError('ENOMIGRATION', `migration ${id} is not waiting here (discarded or unknown): the source keeps the job`);
    if (!steps.restoredAlive(m.key)) {
      this.discard(id);
      throw new RpcError('EGONE', `the restored copy of job ${m.key} is gone from node ${jobs.nodeId}: the source keeps the job`);
    }
    try {
      this.commits.add(id);
    } catch (e) {
      this.discard(id);
      throw new RpcError('ESTATE', `node ${jobs.nodeId} cannot record the commit in its state directory (${(e as Error).message}): the source keeps the job`);
    }
    m.cancel?.();
    m.phase = 'running';
    // From here the commit log answers for it.
    this.incoming.delete(id);
    await fp('target-after-commit-logged');
    const r = steps.resumeRestored(m.key, record.phases ? { ...record, phases: { ...record.phases, commitMs: this.d.clock.now() - committing } } : record);
    this.cleanup(id);
    return r;
  }

  /** The phase; while the memory comes in, also why a page server here failed, if one did. */
  private async statusReport(id: string): Promise<{ phase: MigrationPhase | 'none' | 'unknown'; pagesError?: string }> {
    const m = this.incoming.get(id);
    if (m?.phase === 'receiving' && m.pages.size && !m.pagesError) {
      // The source asks as soon as its dump failed: the page server here may be exiting still.
      let cancel = () => {};
      const waited = new Promise<void>((r) => (cancel = this.d.clock.timer(r, PAGES_SETTLE_MS)));
      await Promise.race([Promise.allSettled(m.pages.values()), waited]);
      cancel();
    }
    const phase = this.status(id);
    return m?.pagesError ? { phase, pagesError: m.pagesError } : { phase };
  }

  private status(id: string): MigrationPhase | 'none' | 'unknown' {
    const phase = this.incoming.get(id)?.phase;
    if (phase === 'receiving' || phase === 'restoring') return 'receiving';
    if (phase === 'restored') return 'restored';
    // Committed or discarded (or this agent restarted since): the commit log tells.
    if (this.commits.has(id)) return 'running';
    return this.commits.forgotten(id) ? 'unknown' : 'none';
  }

  private discard(id: string): void {
    const m = this.incoming.get(id);
    if (!m || m.phase === 'running' || m.phase === 'discarded') return;
    m.cancel?.();
    if (m.phase === 'restored') this.d.steps.discardRestored(m.key);
    m.phase = 'discarded';
    // Forgotten at once: an id neither here nor in the commit log is answered "none" anyway.
    this.incoming.delete(id);
    this.cleanup(id);
  }

  private cleanup(id: string): void {
    try {
      this.d.jobs.files.remove(this.pathOf(id));
    } catch (e) {
      this.d.log(`could not remove the images of migration ${id}: ${(e as Error).message}`);
    }
  }
}
